#include "detect/info_feed.h"

namespace stampede::detect {

void InfoFeed::OnInfo(const redis::InfoSnapshot& info, std::chrono::duration<double>) {
  const auto number = [&](std::string_view key) { return info.Number(key).value_or(0); };
  std::lock_guard<std::mutex> lock(mu_);
  ++reading_.samples;
  reading_.up = true;
  reading_.run_id = std::string(info.Text("run_id").value_or(""));
  reading_.hits = number("keyspace_hits");
  reading_.misses = number("keyspace_misses");
  reading_.expired = number("expired_keys");
  reading_.evicted = number("evicted_keys");
  reading_.used_memory = number("used_memory");
  reading_.maxmemory = number("maxmemory");
}

void InfoFeed::OnInfoError(redis::SampleError, std::chrono::duration<double>) {
  std::lock_guard<std::mutex> lock(mu_);
  reading_.up = false;
}

InfoReading InfoFeed::Read() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reading_;
}

}  // namespace stampede::detect
