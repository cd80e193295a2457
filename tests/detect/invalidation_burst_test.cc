// Tests of detect/invalidation_burst (being written).
