# helm/stampede-exporter: rendered for every tests/observability/helm_values/*.yaml and compared
# with tests/golden/helm/ (update: tests/observability/helm_render_test.sh --update-all), then
# checked with yamllint, the Kubernetes + prometheus-operator schemas (kubernetes-models) and
# types (kubernetes-types + tsc), values.schema.json (ajv), the real exporter's flag and config
# parsing; plus the chart's copies of alerts/ and dashboards/, and the Dockerfile.
# Renderer: tools/helmrender (Go text/template + sprig from Debian), or `helm template` when
# helm is on PATH (helm.render.* only; STAMPEDE_HELM=helmrender forces helmrender).
# Needs: golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev yamllint
# nodejs python3 cmake (apt-cache, dpkg, ldd from the base system).
set(HELM_OBS_DIR ${CMAKE_CURRENT_LIST_DIR})
set(HELMRENDER ${CMAKE_BINARY_DIR}/helmrender/helmrender)

add_test(NAME helm.helmrender_build
  COMMAND ${CMAKE_SOURCE_DIR}/tools/helmrender/build.sh ${CMAKE_BINARY_DIR}/helmrender)
set_tests_properties(helm.helmrender_build PROPERTIES LABELS unit TIMEOUT 180
  FIXTURES_SETUP helmrender)

file(GLOB HELM_VALUES_FILES CONFIGURE_DEPENDS ${HELM_OBS_DIR}/helm_values/*.yaml)
set(HELM_GOLDENS)
foreach(values_file ${HELM_VALUES_FILES})
  get_filename_component(name ${values_file} NAME_WE)
  list(APPEND HELM_GOLDENS ${CMAKE_SOURCE_DIR}/tests/golden/helm/${name}.yaml)
  add_test(NAME helm.render.${name}
    COMMAND ${HELM_OBS_DIR}/helm_render_test.sh --renderer ${HELMRENDER} ${name})
  set_tests_properties(helm.render.${name} PROPERTIES LABELS unit TIMEOUT 60
    FIXTURES_REQUIRED helmrender)
endforeach()

add_test(NAME helm.yamllint COMMAND ${HELM_OBS_DIR}/helm_lint_test.sh)
set_tests_properties(helm.yamllint PROPERTIES LABELS unit TIMEOUT 60)

add_test(NAME helm.manifests
  COMMAND node ${HELM_OBS_DIR}/validate_manifests.mjs ${OBS_NPM_DIR} ${HELM_GOLDENS})
set_tests_properties(helm.manifests PROPERTIES LABELS unit TIMEOUT 120
  FIXTURES_REQUIRED "helmrender;observability_npm")

add_test(NAME helm.values_schema
  COMMAND ${HELM_OBS_DIR}/helm_values_test.sh ${OBS_NPM_DIR} ${HELMRENDER})
set_tests_properties(helm.values_schema PROPERTIES LABELS unit TIMEOUT 120
  FIXTURES_REQUIRED "helmrender;observability_npm")

add_test(NAME helm.validators_selftest
  COMMAND ${HELM_OBS_DIR}/helm_validators_selftest.sh ${OBS_NPM_DIR})
set_tests_properties(helm.validators_selftest PROPERTIES LABELS unit TIMEOUT 180
  FIXTURES_REQUIRED observability_npm)

add_test(NAME helm.exporter_args
  COMMAND node ${HELM_OBS_DIR}/helm_exporter_args_test.mjs ${OBS_NPM_DIR}
    $<TARGET_FILE:stampede_exporter> ${HELM_GOLDENS})
set_tests_properties(helm.exporter_args PROPERTIES LABELS unit TIMEOUT 120
  FIXTURES_REQUIRED observability_npm)

add_test(NAME helm.chart_copies
  COMMAND ${HELM_OBS_DIR}/helm_chart_copies_test.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(helm.chart_copies PROPERTIES LABELS unit TIMEOUT 30)

add_test(NAME helm.dockerfile
  COMMAND python3 ${HELM_OBS_DIR}/helm_dockerfile_test.py ${CMAKE_SOURCE_DIR}
    $<TARGET_FILE:stampede_exporter>)
set_tests_properties(helm.dockerfile PROPERTIES LABELS unit TIMEOUT 120)

# helmrender itself: a fixture chart exercising the helm-template behaviour the chart uses.
add_test(NAME helm.helmrender
  COMMAND ${HELM_OBS_DIR}/helm_helmrender_test.sh ${HELMRENDER})
set_tests_properties(helm.helmrender PROPERTIES LABELS unit TIMEOUT 60
  FIXTURES_REQUIRED helmrender)

# The PrometheusRule carries alerts/ unchanged (and promtool accepts it); rule options apply.
add_test(NAME helm.rules_roundtrip
  COMMAND node ${HELM_OBS_DIR}/helm_rules_roundtrip.mjs ${OBS_NPM_DIR} ${CMAKE_SOURCE_DIR})
set_tests_properties(helm.rules_roundtrip PROPERTIES LABELS unit TIMEOUT 60
  FIXTURES_REQUIRED observability_npm)
