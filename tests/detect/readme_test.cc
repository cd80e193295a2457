// The README documents every detector option: a new option without a line there fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "detect/registry.h"

namespace stampede::detect {
namespace {

TEST(ReadmeTest, ListsEveryDetectorOptionWithItsDefault) {
  std::ifstream in(std::string(STAMPEDE_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream text;
  text << in.rdbuf();
  for (const DetectorInfo& d : Detectors()) {
    for (const OptionSpec& o : d.options) {
      std::ostringstream value;
      value << o.fallback;
      const std::string row = "| `" + std::string(o.key) + "` | ";
      const std::size_t at = text.str().find(row);
      ASSERT_NE(at, std::string::npos) << o.key << " is missing from README.md";
      const std::string rest = text.str().substr(at + row.size(), 16);
      EXPECT_EQ(std::stod(rest), o.fallback) << o.key << ": README says " << rest;
    }
  }
}

}  // namespace
}  // namespace stampede::detect
