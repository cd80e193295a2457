// Flags of the application-counter side ([ingest]).

#include "config/flag_table.h"

namespace stampede::config {

namespace {

// A whole decimal number in [min, max] into `out`.
Status SetCount(std::string_view value, std::size_t min, std::size_t max, std::size_t& out) {
  Result<std::size_t> n = FlagCount(value, min, max);
  if (n.ok()) {
    out = *n;
  }
  return n.status();
}

// An empty value (off) or a [host]:port.
Status SetOptionalAddress(std::string_view value, std::string& out) {
  if (!value.empty()) {
    if (Status s = FlagListenAddress(value); !s.ok()) {
      return s;
    }
  }
  out = std::string(value);
  return Status::Ok();
}

}  // namespace

void AddIngestFlags(std::vector<FlagDef>& table) {
  table.insert(
      table.end(),
      {
          {{"statsd.listen-udp", "STAMPEDE_STATSD_LISTEN_UDP", "127.0.0.1:8125",
            "[host]:port to receive StatsD/DogStatsD on over UDP; empty turns it off. Loopback "
            "by default: a sidecar shares the app's network."},
           true,
           [](Config& c, std::string_view v) {
             return SetOptionalAddress(v, c.ingest.statsd_udp);
           }},
          {{"statsd.listen-unixgram", "STAMPEDE_STATSD_LISTEN_UNIXGRAM", "",
            "Path of a Unix datagram socket to receive StatsD/DogStatsD on; empty: none."},
           true,
           [](Config& c, std::string_view v) {
             if (v.size() > 107) {
               return Status::Error("a Unix socket path has at most 107 bytes, got " +
                                    std::to_string(v.size()));
             }
             c.ingest.statsd_unixgram = std::string(v);
             return Status::Ok();
           }},
          {{"ingest.listen-address", "STAMPEDE_INGEST_LISTEN_ADDRESS", "127.0.0.1:9913",
            "[host]:port of the HTTP ingest API (POST /api/v1/events, /api/v1/markers); empty "
            "turns it off. Loopback by default; --web.listen-address never accepts writes."},
           true,
           [](Config& c, std::string_view v) {
             return SetOptionalAddress(v, c.ingest.listen_address);
           }},
          {{"ingest.token-file", "STAMPEDE_INGEST_TOKEN_FILE", "",
            "File holding a bearer token the ingest API then requires (Authorization: Bearer "
            "<token>; trailing newlines are dropped)."},
           true,
           [](Config& c, std::string_view v) {
             c.ingest.token_file = std::string(v);
             return Status::Ok();
           }},
          {{"ingest.max-body-bytes", "STAMPEDE_INGEST_MAX_BODY_BYTES", "1048576",
            "Largest ingest request body; larger ones answer 413 unread. 1024 to 67108864."},
           true,
           [](Config& c, std::string_view v) {
             return SetCount(v, 1024, 64 << 20, c.ingest.max_body_bytes);
           }},
          {{"ingest.max-batch-events", "STAMPEDE_INGEST_MAX_BATCH_EVENTS", "1000",
            "Most events in one POST /api/v1/events batch; 1 to 100000."},
           true,
           [](Config& c, std::string_view v) {
             return SetCount(v, 1, 100000, c.ingest.max_batch_events);
           }},
          {{"ingest.max-classes", "STAMPEDE_INGEST_MAX_CLASSES", "64",
            "Distinct class label values of the app counters, \"other\" included; later ones "
            "count as \"other\". 2 to 10000."},
           true,
           [](Config& c, std::string_view v) {
             return SetCount(v, 2, 10000, c.ingest.max_classes);
           }},
          {{"ingest.max-tiers", "STAMPEDE_INGEST_MAX_TIERS", "8",
            "Distinct tier label values, \"other\" included; 2 to 100."},
           true,
           [](Config& c, std::string_view v) { return SetCount(v, 2, 100, c.ingest.max_tiers); }},
          {{"ingest.max-key-hashes", "STAMPEDE_INGEST_MAX_KEY_HASHES", "65536",
            "Size of the per-key-hash table of misses and loads; 1 to 10000000."},
           true,
           [](Config& c, std::string_view v) {
             return SetCount(v, 1, 10000000, c.ingest.max_key_hashes);
           }},
      });
}

}  // namespace stampede::config
