#include "actions.h"

#include <cstdlib>
#include <thread>
#include <vector>

namespace stampede::sim {

namespace {

ActionResult FromReply(const RedisReply& r, std::string_view what) {
  if (r.failed()) {
    return {false, 0, std::string(what) + ": " + r.str};
  }
  return {true, 1, ""};
}

}  // namespace

ActionResult FlushDb(RedisLink& link) { return FromReply(link.Command({"FLUSHDB"}), "FLUSHDB"); }

std::optional<MemoryConfig> GetMemoryConfig(RedisLink& link, std::string& error) {
  MemoryConfig out;
  for (auto [name, field] :
       {std::pair{"maxmemory", &out.maxmemory}, std::pair{"maxmemory-policy", &out.policy}}) {
    const RedisReply r = link.Command({"CONFIG", "GET", name});
    if (r.failed() || r.type != RedisReply::Type::kArray || r.elements != 2) {
      error = std::string("CONFIG GET ") + name + ": " + (r.failed() ? r.str : "unexpected reply");
      return std::nullopt;
    }
    *field = r.items[1];  // [name, value]
  }
  return out;
}

ActionResult SetMemoryConfig(RedisLink& link, std::string_view maxmemory, std::string_view policy) {
  ActionResult r =
      FromReply(link.Command({"CONFIG", "SET", "maxmemory", maxmemory}), "CONFIG SET maxmemory");
  if (r.ok && !policy.empty()) {
    r = FromReply(link.Command({"CONFIG", "SET", "maxmemory-policy", policy}),
                  "CONFIG SET maxmemory-policy");
  }
  return r;
}

ActionResult FillKeys(RedisLink& link, std::string_view prefix, std::size_t count, std::size_t size,
                      std::chrono::seconds ttl) {
  constexpr std::size_t kBatch = 500;
  const std::string value(size, 'x');
  ActionResult result{true, 0, ""};
  for (std::size_t first = 0; first < count && result.ok; first += kBatch) {
    std::vector<std::vector<std::string>> commands;
    for (std::size_t n = first; n < std::min(count, first + kBatch); ++n) {
      std::vector<std::string> set = {"SET", std::string(prefix) + std::to_string(n), value};
      if (ttl.count() > 0) {
        set.push_back("EX");
        set.push_back(std::to_string(ttl.count()));
      }
      commands.push_back(std::move(set));
    }
    const ActionResult batch = TallyReplies(link.Pipeline(commands), "SET");
    result.count += batch.count;
    result.ok = batch.ok;
    result.error = batch.error;
  }
  return result;
}

ActionResult RestartRedis(RedisLink& link, const std::string& restart_command,
                          std::chrono::milliseconds wait) {
  const auto started = std::chrono::steady_clock::now();
  const RedisReply down = link.Command({"SHUTDOWN", "NOSAVE"});
  if (down.type == RedisReply::Type::kError) {  // refused (an I/O error is the success case)
    return {false, 0, "SHUTDOWN NOSAVE: " + down.str};
  }
  if (!restart_command.empty()) {
    // Give the old server a moment to release its port before starting the new one.
    const auto gone_by = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!link.Command({"PING"}).failed() && std::chrono::steady_clock::now() < gone_by) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (const int rc = std::system(restart_command.c_str()); rc != 0) {
      return {false, 0, "restart command exited with " + std::to_string(rc)};
    }
  }
  const auto until = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < until) {
    if (link.Command({"PING"}).type == RedisReply::Type::kStatus) {
      const auto away = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      return {true, away.count(), ""};
    }
    // Waiting for another process (Redis) to come back: polling is all there is.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return {false, 0, "Redis did not answer PING within " + std::to_string(wait.count()) + " ms"};
}

}  // namespace stampede::sim
