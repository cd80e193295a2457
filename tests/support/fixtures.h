// Reading test fixtures and golden files from the source tree.
#pragma once

#include <string>
#include <string_view>

namespace stampede::testing {

/// The bytes of `tests/<relative>`; fails the current test (ADD_FAILURE) and returns "" when
/// the file cannot be read.
std::string ReadTestFile(std::string_view relative);

/// Compares `actual` with the golden `tests/golden/<name>`. With STAMPEDE_UPDATE_GOLDEN=1 in the
/// environment it rewrites the golden instead and passes. Returns a gtest-friendly message
/// on mismatch (empty when equal).
std::string CompareWithGolden(std::string_view name, const std::string& actual);

}  // namespace stampede::testing
