// Tests of detect/hot_key_herd (being written).
