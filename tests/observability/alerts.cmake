# alerts/: the suite's checks of the recording rules and alerts (included by CMakeLists.txt
# here). All offline, label unit. The delivery through a real Prometheus and Alertmanager is
# e2e.oncall's job.
set(OBS_ALERTS_DIR ${CMAKE_SOURCE_DIR}/alerts)
set(OBS_ALERTS_RULES ${OBS_ALERTS_DIR}/recording-rules.yml ${OBS_ALERTS_DIR}/alerts.yml)

# Syntax and PromQL of both files, with promtool's lint (duplicate rules) fatal.
add_test(NAME observability.alerts.promtool_check_rules
  COMMAND promtool check rules --lint=all --lint-fatal ${OBS_ALERTS_RULES})

# The unit tests of every alert and recording rule (tests/*.yml, globbed when the test runs).
add_test(NAME observability.alerts.promtool_test_rules
  COMMAND sh -c "promtool test rules \"$1\"/tests/*.yml" sh ${OBS_ALERTS_DIR})

# ... which do fail when the rules behave otherwise: StampedeDetected expected as a warning.
add_test(NAME observability.alerts.promtool_test_rules_refuses_wrong
  COMMAND sh -c "d=\"$2/alerts-wrong\" && rm -rf \"$d\" && mkdir -p \"$d/tests\" && \
cp \"$1\"/*.yml \"$d/\" && sed 's/severity: critical/severity: warning/' \
\"$1/tests/verdicts.yml\" >\"$d/tests/verdicts.yml\" && \
out=$(promtool test rules \"$d/tests/verdicts.yml\" 2>&1); rc=$?; \
printf '%s\\n' \"$out\" | head -n 8; \
[ $rc -eq 1 ] && printf '%s\\n' \"$out\" | grep -q 'alertname: StampedeDetected'"
    sh ${OBS_ALERTS_DIR} ${CMAKE_CURRENT_BINARY_DIR})

# The monitoring-mixin conventions, runbook anchors and test coverage (check_rules.py) ...
add_test(NAME observability.alerts.conventions
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_rules.py ${OBS_ALERTS_DIR})
# ... and the checker fails, naming the violation, on a copy broken in each of 28 ways.
add_test(NAME observability.alerts.conventions_selftest
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/alerts_check_rules_selftest.py
    ${CMAKE_CURRENT_SOURCE_DIR}/check_rules.py ${OBS_ALERTS_DIR})

# YAML style of the rule files and their tests (alerts/.yamllint.yml), warnings fatal.
add_test(NAME observability.alerts.yamllint
  COMMAND sh -c "yamllint -s -c \"$1/.yamllint.yml\" \"$1\"/*.yml \"$1\"/tests/*.yml"
    sh ${OBS_ALERTS_DIR})

set_tests_properties(
  observability.alerts.promtool_check_rules
  observability.alerts.promtool_test_rules
  observability.alerts.promtool_test_rules_refuses_wrong
  observability.alerts.conventions
  observability.alerts.conventions_selftest
  observability.alerts.yamllint
  PROPERTIES LABELS unit TIMEOUT 120)
