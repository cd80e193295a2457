// Tests of detect/synchronized_expiry (being written).
