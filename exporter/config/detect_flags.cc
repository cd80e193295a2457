// Flags of the detectors and the incident log ([detect]).

#include <charconv>

#include "config/flag_table.h"

namespace stampede::config {

namespace {

Status SetBool(std::string_view v, bool& out) {
  Result<bool> b = FlagBool(v);
  if (b.ok()) {
    out = *b;
  }
  return b.status();
}

}  // namespace

void AddDetectFlags(std::vector<FlagDef>& table) {
  table.insert(
      table.end(),
      {
          {{"detect.enabled", "STAMPEDE_DETECT_ENABLED", "true",
            "Run the stampede detectors (false: export the raw signals only)."},
           false,
           [](Config& c, std::string_view v) { return SetBool(v, c.detect.enabled); }},
          {{"detect.key-hash-seed", "STAMPEDE_DETECT_KEY_HASH_SEED", "",
            "Seed of the key hashes shown in key_hash labels and incidents (a decimal number). "
            "Empty: a random seed per process, so a hash cannot be looked up across restarts."},
           true,
           [](Config& c, std::string_view v) {
             if (v.empty()) {
               c.detect.key_hash_seed.reset();
               return Status::Ok();
             }
             std::uint64_t seed = 0;
             const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seed);
             if (ec != std::errc() || end != v.data() + v.size()) {
               return Status::Error("want a whole number below 2^64, got " + FlagQuote(v));
             }
             c.detect.key_hash_seed = seed;
             return Status::Ok();
           }},
          {{"detect.ttl-sample-interval", "STAMPEDE_DETECT_TTL_SAMPLE_INTERVAL", "30s",
            "How often to sample key TTLs (RANDOMKEY + PEXPIRETIME, Redis >= 7.0) to predict "
            "expiry cliffs; 0 turns sampling off."},
           true,
           [](Config& c, std::string_view v) {
             Result<std::chrono::milliseconds> d =
                 FlagDuration(v, std::chrono::milliseconds(0), true, std::chrono::hours(24));
             if (d.ok()) {
               c.detect.ttl_sample_interval = *d;
             }
             return d.status();
           }},
          {{"detect.ttl-sample-keys", "STAMPEDE_DETECT_TTL_SAMPLE_KEYS", "200",
            "Keys sampled per TTL sampling round (1..10000)."},
           true,
           [](Config& c, std::string_view v) {
             Result<std::size_t> n = FlagCount(v, 1, 10000);
             if (n.ok()) {
               c.detect.ttl_sample_keys = *n;
             }
             return n.status();
           }},
          {{"incidents.show-keys", "STAMPEDE_INCIDENTS_SHOW_KEYS", "false",
            "Show raw key names in /api/v1/incidents and logs (otherwise only key hashes)."},
           false,
           [](Config& c, std::string_view v) { return SetBool(v, c.detect.show_keys); }},
          {{"incidents.max", "STAMPEDE_INCIDENTS_MAX", "100",
            "Incidents kept in memory for /api/v1/incidents (1..10000); the oldest go first."},
           true,
           [](Config& c, std::string_view v) {
             Result<std::size_t> n = FlagCount(v, 1, 10000);
             if (n.ok()) {
               c.detect.max_incidents = *n;
             }
             return n.status();
           }},
      });
}

}  // namespace stampede::config
