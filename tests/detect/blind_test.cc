// Tests of detect/blind (being written).
