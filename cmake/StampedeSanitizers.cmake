# -DSTAMPEDE_SANITIZE=address (ASan + UBSan) or thread (TSan), applied to everything we build.
# GCC 12's -Wmaybe-uninitialized reports false positives inside libstdc++ (std::regex,
# std::function) once sanitizers instrument it, so that one warning is off in these builds.
# -O1 -g1 (after the build type's -O2 -g, so they win): the level the sanitizers' authors
# recommend, line tables for the reports, and shorter builds, which the suite's 25-minute
# budget on 2 cores needs.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT STAMPEDE_SANITIZE STREQUAL "")
  add_compile_options(-Wno-maybe-uninitialized)
endif()
if(STAMPEDE_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined -O1 -g1)
  add_link_options(-fsanitize=address,undefined)
elseif(STAMPEDE_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -O1 -g1)
  add_link_options(-fsanitize=thread)
elseif(NOT STAMPEDE_SANITIZE STREQUAL "")
  message(FATAL_ERROR "STAMPEDE_SANITIZE must be '', 'address' or 'thread', not '${STAMPEDE_SANITIZE}'")
endif()
