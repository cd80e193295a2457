// Tests of detect/origin_amplification (being written).
