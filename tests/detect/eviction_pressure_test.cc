// Tests of detect/eviction_pressure (being written).
