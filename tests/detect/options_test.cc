#include "detect/options.h"

#include <gtest/gtest.h>

#include "detect/registry.h"

namespace stampede::detect {
namespace {

TEST(OptionValuesTest, ClassOverridesWinOverGlobalOverDefaults) {
  const OptionValues v(AllOptionSpecs(), {{"d1.min_lookups", 10}, {"d1.min_z", 3}},
                       {{"d1.min_lookups", 20}});
  EXPECT_EQ(v.Get("d1.min_lookups"), 20);
  EXPECT_EQ(v.Get("d1.min_z"), 3);
  EXPECT_EQ(v.Get("d1.ratio_factor"), 3);  // the default
  EXPECT_EQ(v.Get("d1.persist_need"), 2);  // persistence options are declared too
  EXPECT_EQ(v.Get("dq.clear_seconds"), 10);
}

TEST(CheckOverridesTest, AcceptsDeclaredOptions) {
  EXPECT_TRUE(CheckOverrides(AllOptionSpecs(), {{"d4.herd_min_misses", 5}, {"d5.clear_seconds", 3}},
                             "class x")
                  .ok());
}

TEST(CheckOverridesTest, NamesTheUnknownOptionAndTheDetectorsOptions) {
  const Status s = CheckOverrides(AllOptionSpecs(), {{"d4.herd_size", 5}}, "class user_profile");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("class user_profile: unknown detector option \"d4.herd_size\""),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("d4.herd_min_misses"), std::string::npos) << s.message();
}

TEST(CheckOverridesTest, AnUnknownDetectorSaysSo) {
  const Status s = CheckOverrides(AllOptionSpecs(), {{"d9.x", 1}}, "detectors");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no such detector"), std::string::npos) << s.message();
}

TEST(RegistryTest, EveryOptionKeyIsPrefixedByItsDetectorId) {
  for (const DetectorInfo& d : Detectors()) {
    for (const OptionSpec& o : d.options) {
      EXPECT_EQ(o.key.substr(0, o.key.find('.')), d.id) << o.key;
    }
    EXPECT_NE(d.make(OptionValues(AllOptionSpecs(), {}, {})), nullptr) << d.id;
  }
}

}  // namespace
}  // namespace stampede::detect
