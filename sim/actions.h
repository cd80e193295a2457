// The one-shot Redis actions of a scenario's script beyond DEL and SET (workload.h): flush,
// memory limits, filler writes and a restart. Each returns what happened as a value.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "redis_link.h"
#include "workload.h"

namespace stampede::sim {

/// FLUSHDB.
ActionResult FlushDb(RedisLink& link);

/// Redis's memory limit and eviction policy, as CONFIG GET shows them.
struct MemoryConfig {
  std::string maxmemory;  // bytes, as text
  std::string policy;
};
std::optional<MemoryConfig> GetMemoryConfig(RedisLink& link, std::string& error);
/// CONFIG SET maxmemory (and maxmemory-policy when `policy` is not empty).
ActionResult SetMemoryConfig(RedisLink& link, std::string_view maxmemory, std::string_view policy);

/// SET "<prefix><n>" for n in [0, count) to `size`-byte values, with EX ttl when ttl > 0, in
/// pipelines of 500. `count` is the number of keys written (an OOM error stops early).
ActionResult FillKeys(RedisLink& link, std::string_view prefix, std::size_t count, std::size_t size,
                      std::chrono::seconds ttl);

/// SHUTDOWN NOSAVE, then runs `restart_command` (a shell command; empty: a supervisor is
/// expected to restart Redis) and waits up to `wait` for PING to answer again. `count` is the
/// milliseconds Redis was away.
ActionResult RestartRedis(RedisLink& link, const std::string& restart_command,
                          std::chrono::milliseconds wait);

}  // namespace stampede::sim
