// Flags of the keyspace-notification side ([events]).
#include <set>

#include "config/flag_table.h"

namespace stampede::config {

namespace {

constexpr int kMaxDb = 9999;
constexpr std::size_t kMaxDbs = 16;

// Sets an EventsConfig count field from a whole number in [Min, Max].
template <std::size_t EventsConfig::*Field, std::size_t Min, std::size_t Max>
Status SetCount(Config& c, std::string_view value) {
  Result<std::size_t> n = FlagCount(value, Min, Max);
  if (n.ok()) {
    c.events.*Field = *n;
  }
  return n.status();
}

// Sets an EventsConfig duration field from a duration in [1s, 10m].
template <std::chrono::milliseconds EventsConfig::*Field>
Status SetBetween1sAnd10m(Config& c, std::string_view value) {
  Result<std::chrono::milliseconds> d =
      FlagDuration(value, std::chrono::seconds(1), true, std::chrono::minutes(10));
  if (d.ok()) {
    c.events.*Field = *d;
  }
  return d.status();
}

Status SetDbs(Config& c, std::string_view value) {
  std::vector<int> dbs;
  std::set<int> seen;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) {
      comma = value.size();
    }
    const std::string_view part = value.substr(start, comma - start);
    Result<std::size_t> db = FlagCount(part, 0, kMaxDb);
    if (!db.ok()) {
      return Status::Error("database " + FlagQuote(part) + ": " + db.status().message() +
                           " (want e.g. 0 or 0,1)");
    }
    if (!seen.insert(static_cast<int>(*db)).second) {
      return Status::Error("database " + std::to_string(*db) + " given twice");
    }
    dbs.push_back(static_cast<int>(*db));
    start = comma + 1;
  }
  if (dbs.size() > kMaxDbs) {
    return Status::Error("at most 16 databases");
  }
  c.events.dbs = std::move(dbs);
  return Status::Ok();
}

}  // namespace

void AddEventsFlags(std::vector<FlagDef>& table) {
  table.insert(
      table.end(),
      {
          {{"redis.db", "STAMPEDE_REDIS_DB", "0",
            "Databases whose keyspace events to subscribe to, comma-separated (at most 16)."},
           true,
           SetDbs},
          {{"redis.configure-notifications", "STAMPEDE_REDIS_CONFIGURE_NOTIFICATIONS", "false",
            "Opt in with true: add the notify-keyspace-events flags the exporter needs (E g x e "
            "m n) with CONFIG SET when they are missing. false: the exporter never changes "
            "Redis."},
           true,
           [](Config& c, std::string_view v) {
             Result<bool> b = FlagBool(v);
             if (b.ok()) {
               c.events.configure_notifications = *b;
             }
             return b.status();
           }},
          {{"events.tracked-keys", "STAMPEDE_EVENTS_TRACKED_KEYS", "65536",
            "Slots of the recently-invalidated-keys table (24 bytes each; rounded up to a power "
            "of two); 1024 to 4194304."},
           true,
           SetCount<&EventsConfig::tracked_keys, 1024, 4194304>},
          {{"events.top-k", "STAMPEDE_EVENTS_TOP_K", "128",
            "Most-missed keys tracked per class and 10 s window (Space-Saving); 8 to 4096."},
           true,
           SetCount<&EventsConfig::top_k, 8, 4096>},
          {{"events.invalidation-ttl", "STAMPEDE_EVENTS_INVALIDATION_TTL", "2m",
            "How long an invalidated key (DEL, expiry, eviction, flush) is remembered; 1s to "
            "10m."},
           true,
           SetBetween1sAnd10m<&EventsConfig::invalidation_ttl>},
          {{"redis.cluster", "STAMPEDE_REDIS_CLUSTER", "auto",
            "Redis Cluster mode: on (discover the masters from --redis.addr and watch each), "
            "off (one node), or auto (on when INFO cluster says cluster_enabled:1)."},
           true,
           [](Config& c, std::string_view v) {
             if (v == "auto") {
               c.events.cluster = ClusterMode::kAuto;
             } else if (v == "on") {
               c.events.cluster = ClusterMode::kOn;
             } else if (v == "off") {
               c.events.cluster = ClusterMode::kOff;
             } else {
               return Status::Error("want auto, on or off, got " + FlagQuote(v));
             }
             return Status::Ok();
           }},
          {{"redis.cluster-refresh", "STAMPEDE_REDIS_CLUSTER_REFRESH", "10s",
            "Cluster mode: how often to read the topology (CLUSTER SLOTS) again; it is also "
            "read again, at most once a second, while a node does not answer. 1s to 10m."},
           true,
           SetBetween1sAnd10m<&EventsConfig::cluster_refresh>},
      });
}

}  // namespace stampede::config
