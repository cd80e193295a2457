// Tests of detect/hit_ratio_cliff (being written).
