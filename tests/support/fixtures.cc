#include "support/fixtures.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace stampede::testing {

namespace {

std::string TestPath(std::string_view relative) {
  return std::string(STAMPEDE_SOURCE_DIR) + "/tests/" + std::string(relative);
}

}  // namespace

std::string ReadTestFile(std::string_view relative) {
  const std::string path = TestPath(relative);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read test file " << path;
    return "";
  }
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string CompareWithGolden(std::string_view name, const std::string& actual) {
  const std::string path = TestPath("golden/" + std::string(name));
  const char* update = std::getenv("STAMPEDE_UPDATE_GOLDEN");
  if (update != nullptr && std::string_view(update) == "1") {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << actual;
    return out ? "" : "cannot write golden " + path;
  }
  std::ifstream in(path, std::ios::binary);
  const std::string expected((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (expected == actual) {
    return "";
  }
  std::ostringstream msg;
  msg << "output differs from golden " << path
      << " (rerun with STAMPEDE_UPDATE_GOLDEN=1 to update it, then review the diff)\n"
      << "--- actual ---\n"
      << actual;
  return msg.str();
}

}  // namespace stampede::testing
