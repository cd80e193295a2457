// The INFO numbers the detectors need, kept from the sampler's latest sample.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "redis/info_sampler.h"

namespace stampede::detect {

/// What the last INFO sample said. A plain value.
struct InfoReading {
  std::uint64_t samples = 0;  // successful samples so far (a new one arrived when it grew)
  bool up = true;             // no sample has failed since the last success
  std::string run_id;
  double hits = 0, misses = 0, expired = 0, evicted = 0;  // cumulative counters
  double used_memory = 0, maxmemory = 0;
};

/// An InfoSink (sampler thread) read by the engine's source (tick thread). Thread-safe.
class InfoFeed : public redis::InfoSink {
 public:
  void OnInfo(const redis::InfoSnapshot& info, std::chrono::duration<double> took) override;
  void OnInfoError(redis::SampleError error, std::chrono::duration<double> took) override;
  InfoReading Read() const;

 private:
  mutable std::mutex mu_;
  InfoReading reading_;  // guarded by mu_
};

}  // namespace stampede::detect
