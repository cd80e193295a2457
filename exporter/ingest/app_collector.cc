#include "ingest/app_collector.h"

#include <limits>
#include <string>
#include <vector>

#include "collectors/metric_builder.h"

namespace stampede::ingest {

namespace {

using collectors::FamilyBuilder;
using collectors::Label;
using prometheus::MetricType;

constexpr Reject kLineReasons[] = {
    Reject::kLineTooLong,  Reject::kNulByte,       Reject::kNotUtf8,      Reject::kEmptyName,
    Reject::kMissingValue, Reject::kBadValue,      Reject::kMissingType,  Reject::kBadType,
    Reject::kBadRate,      Reject::kBadTags,       Reject::kTooManyTags,  Reject::kBadField,
    Reject::kWrongType,    Reject::kNegativeValue, Reject::kLabelTooLong,
};
constexpr Reject kBatchReasons[] = {
    Reject::kInvalidJson,  Reject::kBadField,      Reject::kNegativeValue,
    Reject::kLabelTooLong, Reject::kTooManyEvents, Reject::kUnauthorized,
};

struct CounterRow {
  Signal signal;
  const char* name;
  const char* help;
};
constexpr CounterRow kSimpleCounters[] = {
    {Signal::kLoad, "stampede_app_origin_loads_total",
     "Cache misses that loaded from the origin, as the application reported them."},
    {Signal::kCoalesced, "stampede_app_coalesced_total",
     "Requests that waited on another request's origin load (single-flight), as reported."},
    {Signal::kStale, "stampede_app_stale_served_total",
     "Requests served a stale value, as the application reported them."},
    {Signal::kLockWait, "stampede_app_lock_waits_total",
     "Requests that waited on a lock, as the application reported them."},
};

prometheus::MetricFamily LoadHistogram(const AppCounterStore::Snapshot& snap) {
  prometheus::MetricFamily family;
  family.name = "stampede_app_origin_load_duration_seconds";
  family.help = "Origin load durations the application reported (cache.load.time).";
  family.type = MetricType::Histogram;
  for (const auto& [key, s] : snap.series) {
    prometheus::ClientMetric m;
    m.label = {{"class", key.first}, {"tier", key.second}};
    double cumulative = 0;
    for (std::size_t i = 0; i < kLoadSecondsBuckets.size(); ++i) {
      cumulative += s.load_buckets[i];
      prometheus::ClientMetric::Bucket b;
      b.upper_bound = kLoadSecondsBuckets[i];
      b.cumulative_count = static_cast<std::uint64_t>(cumulative + 0.5);
      m.histogram.bucket.push_back(b);
    }
    prometheus::ClientMetric::Bucket inf;
    inf.upper_bound = std::numeric_limits<double>::infinity();
    inf.cumulative_count =
        static_cast<std::uint64_t>(s.counts[static_cast<std::size_t>(Signal::kLoadTime)] + 0.5);
    m.histogram.bucket.push_back(inf);
    m.histogram.sample_count = inf.cumulative_count;
    m.histogram.sample_sum = s.load_seconds_sum;
    family.metric.push_back(std::move(m));
  }
  return family;
}

// A counter family with one sample per transport.
template <typename Get>
prometheus::MetricFamily PerTransport(const char* name, const char* help, Get get) {
  FamilyBuilder f(name, help, MetricType::Counter);
  for (const Transport t : {Transport::kUdp, Transport::kUnixgram}) {
    f.Add({{"transport", std::string(TransportName(t))}}, static_cast<double>(get(t)));
  }
  return f.Build();
}

// A counter family with one sample per reason of `reasons`.
template <std::size_t N, typename Get>
prometheus::MetricFamily PerReason(const char* name, const char* help, const Reject (&reasons)[N],
                                   Get get) {
  FamilyBuilder f(name, help, MetricType::Counter);
  for (const Reject r : reasons) {
    f.Add({{"reason", std::string(RejectName(r))}}, static_cast<double>(get(r)));
  }
  return f.Build();
}

}  // namespace

AppCollector::AppCollector(std::shared_ptr<const AppCounterStore> store,
                           std::shared_ptr<const IngestStats> stats)
    : store_(std::move(store)), stats_(std::move(stats)) {}

Status AppCollector::Collect(collectors::Families& out) const {
  const AppCounterStore::Snapshot snap = store_->Read();

  FamilyBuilder lookups("stampede_app_lookups_total",
                        "Cache lookups the application reported, by result (hit or miss).",
                        MetricType::Counter);
  for (const auto& [key, s] : snap.series) {
    lookups.Add({{"class", key.first}, {"tier", key.second}, {"result", "hit"}},
                s.counts[static_cast<std::size_t>(Signal::kHit)]);
    lookups.Add({{"class", key.first}, {"tier", key.second}, {"result", "miss"}},
                s.counts[static_cast<std::size_t>(Signal::kMiss)]);
  }
  out.push_back(lookups.Build());
  for (const CounterRow& row : kSimpleCounters) {
    FamilyBuilder f(row.name, row.help, MetricType::Counter);
    for (const auto& [key, s] : snap.series) {
      f.Add({{"class", key.first}, {"tier", key.second}},
            s.counts[static_cast<std::size_t>(row.signal)]);
    }
    out.push_back(f.Build());
  }
  out.push_back(LoadHistogram(snap));

  out.push_back(PerTransport("stampede_ingest_statsd_packets_total", "StatsD datagrams received.",
                             [this](Transport t) { return stats_->packets(t); }));
  out.push_back(
      PerTransport("stampede_ingest_statsd_packets_dropped_total",
                   "StatsD datagrams the kernel dropped because the receive queue was full.",
                   [this](Transport t) { return stats_->drops(t); }));
  out.push_back(PerTransport("stampede_ingest_statsd_packets_truncated_total",
                             "StatsD datagrams larger than the receive buffer, refused whole.",
                             [this](Transport t) { return stats_->truncated(t); }));
  out.push_back(collectors::CounterFamily("stampede_ingest_statsd_lines_accepted_total",
                                          "StatsD lines counted as a cache signal.",
                                          static_cast<double>(stats_->lines_accepted())));
  out.push_back(collectors::CounterFamily(
      "stampede_ingest_statsd_lines_ignored_total",
      "Well-formed StatsD lines that are not a cache signal (other metrics the app sends).",
      static_cast<double>(stats_->lines_ignored())));
  out.push_back(PerReason("stampede_ingest_statsd_lines_rejected_total",
                          "StatsD lines refused, by reason.", kLineReasons,
                          [this](Reject r) { return stats_->lines_rejected(r); }));
  out.push_back(collectors::CounterFamily("stampede_ingest_http_events_accepted_total",
                                          "Events of accepted HTTP batches.",
                                          static_cast<double>(stats_->events_accepted())));
  out.push_back(PerReason("stampede_ingest_http_batches_rejected_total",
                          "HTTP event batches refused whole, by reason.", kBatchReasons,
                          [this](Reject r) { return stats_->batches_rejected(r); }));
  out.push_back(FamilyBuilder("stampede_ingest_label_overflow_total",
                              "Reports whose class or tier value was counted as \"other\" "
                              "because the distinct-value bound was reached.",
                              MetricType::Counter)
                    .Add({{"label", "class"}}, static_cast<double>(snap.class_overflows))
                    .Add({{"label", "tier"}}, static_cast<double>(snap.tier_overflows))
                    .Build());
  out.push_back(collectors::CounterFamily(
      "stampede_ingest_key_table_overflow_total",
      "Key-hash reports not tracked per key because the key-hash table was full.",
      static_cast<double>(snap.key_overflows)));
  out.push_back(collectors::GaugeFamily("stampede_ingest_key_table_entries",
                                        "Key hashes in the per-key table of misses and loads.",
                                        static_cast<double>(snap.key_hashes)));
  return Status::Ok();
}

}  // namespace stampede::ingest
