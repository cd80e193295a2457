// /metrics for the detectors: indicators, detections, verdicts, hit ratios, herds.
#pragma once

#include "collectors/collector.h"
#include "detect/engine.h"
#include "detect/live_source.h"
#include "redis/ttl_sampler.h"

namespace stampede::detect {

/// Reads the engine's views at scrape time. Thread-safe (the engine locks itself).
class DetectCollector : public collectors::Collector {
 public:
  /// `source` and `ttl` may be null.
  DetectCollector(const Engine& engine, const LiveSource* source, const redis::TtlSampler* ttl)
      : engine_(engine), source_(source), ttl_(ttl) {}
  std::string_view Name() const override { return "detect"; }
  Status Collect(collectors::Families& out) const override;

 private:
  const Engine& engine_;
  const LiveSource* source_;
  const redis::TtlSampler* ttl_;
};

}  // namespace stampede::detect
