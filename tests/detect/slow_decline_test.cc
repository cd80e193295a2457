// Tests of detect/slow_decline (being written).
