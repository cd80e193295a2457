# dashboards/: the suite's offline checks of the Grafana dashboards (included by CMakeLists.txt
# here). The live check, every query returning data on a real Prometheus during a simulated
# stampede, runs in e2e.oncall (check_dashboard_queries.py --prom).
set(OBS_DASH_DIR ${CMAKE_SOURCE_DIR}/dashboards)
set(OBS_DASH_FIXTURES ${CMAKE_CURRENT_SOURCE_DIR}/dashboards_fixtures)
set(OBS_DASHBOARDS
  ${OBS_DASH_DIR}/stampede-overview.json
  ${OBS_DASH_DIR}/stampede-investigation.json
  ${OBS_DASH_DIR}/redis-health.json)
set(OBS_EXPECT_FAIL /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/dashboards_expect_failure.py)

# Every dashboard typechecks against @grafana/schema's Dashboard with the pinned tsc.
add_test(NAME observability.dashboards.typecheck
  COMMAND node ${CMAKE_CURRENT_SOURCE_DIR}/typecheck_dashboards.mjs ${OBS_NPM_DIR}
    ${CMAKE_CURRENT_BINARY_DIR}/dashboards-typecheck ${OBS_DASHBOARDS})
# ... and tsc does refuse a broken one: unknown keys, wrong types, bad enum values, a missing
# required field, an annotation in the legacy form.
add_test(NAME observability.dashboards.typecheck_refuses_broken
  COMMAND ${OBS_EXPECT_FAIL} 1
    --expect "broken-types.json\\(5,[0-9]+\\): error TS2322: Type '7' is not assignable to type 'DashboardCursorSync"
    --expect "broken-types.json\\(7,[0-9]+\\): error TS2353: .*'\"titel\"' does not exist"
    --expect "broken-types.json\\(9,[0-9]+\\): error TS2322: Type 'string' is not assignable to type 'number'"
    --expect "broken-types.json\\(12,[0-9]+\\): error TS2820: Type '\"absolut\"' is not assignable"
    --expect "broken-types.json\\(13,[0-9]+\\): error TS2353: .*'\"exrp\"' does not exist"
    --expect "broken-types.json\\(17,[0-9]+\\): error TS2353: .*'\"expr\"' does not exist"
    --expect "broken-missing-field.json\\(1,[0-9]+\\): error TS2741: Property 'schemaVersion' is missing"
    --
    node ${CMAKE_CURRENT_SOURCE_DIR}/typecheck_dashboards.mjs ${OBS_NPM_DIR}
    ${CMAKE_CURRENT_BINARY_DIR}/dashboards-typecheck-broken
    ${OBS_DASH_FIXTURES}/broken-types.json ${OBS_DASH_FIXTURES}/broken-missing-field.json)
set_tests_properties(observability.dashboards.typecheck
  observability.dashboards.typecheck_refuses_broken
  PROPERTIES LABELS unit TIMEOUT 120 FIXTURES_REQUIRED observability_npm)

# Every query (panels, annotations, variables) parses with Prometheus's own parser.
add_test(NAME observability.dashboards.promql_offline
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_dashboard_queries.py --offline
    ${OBS_DASHBOARDS})
add_test(NAME observability.dashboards.promql_offline_refuses_broken
  COMMAND ${OBS_EXPECT_FAIL} 1
    --expect "FAIL broken-queries.json / nested: unclosed parenthesis / A: .*\n.*unclosed left parenthesis"
    --expect "FAIL broken-queries.json / annotation bad annotation / Anno: .*\n.*unclosed left parenthesis"
    --expect "FAIL broken-queries.json / unknown variable / A: .*\n.*unknown variable\\(s\\): nosuchvar"
    --expect "FAIL broken-queries.json / unknown variable / C: .*\n.*target without an expr"
    --expect "FAIL broken-queries.json / variable \\$class / query: .*\n.*unsupported variable query"
    --expect "PASS broken-queries.json / unknown variable / B: stampede_redis_up\\{job=~\"\\[\\[job\\]\\]\"\\}"
    --expect "3 passed, 5 failed"
    --
    /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_dashboard_queries.py --offline
    ${OBS_DASH_FIXTURES}/broken-queries.json)

# Our conventions: variables, uids, ${datasource}, $__rate_interval, ids, gridPos, filters.
add_test(NAME observability.dashboards.structure
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_dashboard_structure.py
    ${OBS_DASHBOARDS})
add_test(NAME observability.dashboards.structure_refuses_broken
  COMMAND ${OBS_EXPECT_FAIL} 1
    --expect "uid: 'Broken Structure' is not a stable slug uid"
    --expect "id: must be null"
    --expect "tags: missing tag 'redis'"
    --expect "links: no `dashboards` link"
    --expect "variable instance: .* does not depend on \\$job"
    --expect "variable class: missing"
    --expect "legacy panel type 'graph'"
    --expect "panel 1 'legacy graph.*': panel datasource is not"
    --expect "panel 1 'legacy graph.*' target A: datasource is not"
    --expect "target A: rate\\(\\) over \\[5m\\], not \\[\\$__rate_interval\\]"
    --expect "id 1 also used by"
    --expect "gridPos missing or incomplete"
    --expect "no description"
    --expect "selector stampede_redis_up without"
    --expect "selector stampede_verdict does not filter class"
    --expect "gridPos x=20 w=8 outside the 24 columns"
    --expect "'no targets, no unit': no targets"
    --expect "'no targets, no unit': no unit"
    --expect "panel 1: gridPos overlaps panel 4"
    --expect "1 dashboards checked, 20 problems"
    --
    /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_dashboard_structure.py
    ${OBS_DASH_FIXTURES}/broken-structure.json)
set_tests_properties(observability.dashboards.promql_offline
  observability.dashboards.promql_offline_refuses_broken
  observability.dashboards.structure
  observability.dashboards.structure_refuses_broken
  PROPERTIES LABELS unit TIMEOUT 60)
