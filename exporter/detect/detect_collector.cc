#include "detect/detect_collector.h"

#include <chrono>
#include <string>
#include <vector>

#include "collectors/metric_builder.h"
#include "detect/format.h"

namespace stampede::detect {

namespace {

using collectors::FamilyBuilder;
using collectors::Label;
using prometheus::MetricType;

double Seconds(WallTime t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

void AddIndicators(const std::vector<ClassView>& views, collectors::Families& out) {
  FamilyBuilder indicator("stampede_indicator",
                          "1 while the indicator is raised on the class (persistence and "
                          "hysteresis applied).",
                          MetricType::Gauge);
  FamilyBuilder detections("stampede_detections_total",
                           "Times the indicator was raised, by cause; expected=\"true\" inside "
                           "a marker.",
                           MetricType::Counter);
  FamilyBuilder last("stampede_last_detection_timestamp_seconds",
                     "Unix time the indicator was last raised on the class.", MetricType::Gauge);
  FamilyBuilder stats("stampede_detector_statistic",
                      "The numbers behind an indicator, for debugging (names per detector in "
                      "the README).",
                      MetricType::Gauge);
  for (const ClassView& v : views) {
    for (std::size_t i = 0; i < kIndicators; ++i) {
      if (!v.served[i]) {
        continue;
      }
      const std::string name(IndicatorName(static_cast<Indicator>(i)));
      indicator.Add({{"indicator", name}, {"class", v.name}}, v.raised[i] ? 1 : 0);
      if (v.last_detection[i]) {
        last.Add({{"indicator", name}, {"class", v.name}}, Seconds(*v.last_detection[i]));
      }
      if (v.last[i].eligible) {
        for (const Stat& s : v.last[i].stats) {
          stats.Add({{"indicator", name}, {"class", v.name}, {"statistic", std::string(s.name)}},
                    s.value);
        }
      }
    }
    for (const auto& [key, count] : v.detections) {
      const auto& [ind, cause, expected] = key;
      detections.Add({{"indicator", std::string(IndicatorName(ind))},
                      {"class", v.name},
                      {"cause", std::string(CauseName(cause))},
                      {"expected", expected ? "true" : "false"}},
                     static_cast<double>(count));
    }
  }
  for (FamilyBuilder* f : {&indicator, &detections, &last, &stats}) {
    if (!f->empty()) {
      out.push_back(f->Build());
    }
  }
}

void AddVerdicts(const std::vector<ClassView>& views, collectors::Families& out) {
  FamilyBuilder verdict("stampede_verdict",
                        "1 for the class's current verdict level: stampede (a miss signal with "
                        "origin amplification) or herd_risk (a miss signal without).",
                        MetricType::Gauge);
  FamilyBuilder incidents("stampede_incidents_total", "Incidents opened, by their first level.",
                          MetricType::Counter);
  // Every series from the start at 0, so that increase() in an alert sees the first rise.
  FamilyBuilder rises("stampede_verdicts_total",
                      "Times the class's verdict rose to the level (an incident opening at it, "
                      "or herd_risk escalating to stampede); expected=\"true\" inside a marker.",
                      MetricType::Counter);
  for (const ClassView& v : views) {
    for (const Level l : {Level::kStampede, Level::kHerdRisk}) {
      const std::string level(LevelName(l));
      verdict.Add({{"class", v.name}, {"level", level}}, v.level == l ? 1 : 0);
      const auto it = v.incidents.find(l);
      incidents.Add({{"class", v.name}, {"level", level}},
                    it == v.incidents.end() ? 0 : static_cast<double>(it->second));
      for (const bool expected : {false, true}) {
        const auto r = v.verdict_rises.find({l, expected});
        rises.Add({{"class", v.name}, {"level", level}, {"expected", expected ? "true" : "false"}},
                  r == v.verdict_rises.end() ? 0 : static_cast<double>(r->second));
      }
    }
  }
  out.push_back(verdict.Build());
  out.push_back(incidents.Build());
  out.push_back(rises.Build());
}

void AddRatios(const std::vector<ClassView>& views, collectors::Families& out) {
  FamilyBuilder ratio("stampede_hit_ratio",
                      "Hit ratio over a short window (source app: the application's reports; "
                      "redis: INFO keyspace hits and misses, class all).",
                      MetricType::Gauge);
  FamilyBuilder baseline("stampede_hit_ratio_baseline",
                         "The hit-ratio cliff detector's baseline (EWMA, frozen while an "
                         "indicator is raised).",
                         MetricType::Gauge);
  FamilyBuilder amplification("stampede_origin_amplification",
                              "Origin loads per distinct missed key (exact: loads of the most "
                              "loaded key) over the detector's window.",
                              MetricType::Gauge);
  FamilyBuilder herd("stampede_herd_size",
                     "Misses on the class's largest herd key since its invalidation.",
                     MetricType::Gauge);
  FamilyBuilder herd_keys("stampede_herd_key_misses",
                          "Misses since invalidation of the top herd keys (rank 1 = largest; "
                          "key_hash = 16 hex digits of the seeded key hash).",
                          MetricType::Gauge);
  FamilyBuilder eta("stampede_expiry_cliff_eta_seconds",
                    "Seconds until the predicted expiry cliff of the class.", MetricType::Gauge);
  for (const ClassView& v : views) {
    if (!v.source.empty()) {
      const std::string window = std::to_string(v.short_window_seconds) + "s";
      if (v.hit_ratio_short) {
        ratio.Add({{"class", v.name}, {"source", v.source}, {"window", window}},
                  *v.hit_ratio_short);
      }
      if (v.hit_ratio_minute) {
        ratio.Add({{"class", v.name}, {"source", v.source}, {"window", "1m"}}, *v.hit_ratio_minute);
      }
      if (v.baseline_hit_ratio) {
        baseline.Add({{"class", v.name}, {"source", v.source}}, *v.baseline_hit_ratio);
      }
    }
    const Reading& d5 = v.last[static_cast<std::size_t>(Indicator::kOriginAmplification)];
    if (v.served[static_cast<std::size_t>(Indicator::kOriginAmplification)]) {
      if (const auto a = d5.StatValue("amplification"); a && d5.eligible) {
        amplification.Add({{"class", v.name}}, *a);
      }
    }
    if (v.served[static_cast<std::size_t>(Indicator::kHotKeyHerd)]) {
      herd.Add({{"class", v.name}},
               v.top_herd.empty() ? 0 : static_cast<double>(v.top_herd.front().herd_size));
      for (std::size_t r = 0; r < v.top_herd.size(); ++r) {
        herd_keys.Add({{"class", v.name},
                       {"rank", std::to_string(r + 1)},
                       {"key_hash", HashHex(v.top_herd[r].hash)}},
                      v.top_herd[r].herd_size);
      }
    }
    const Reading& d6 = v.last[static_cast<std::size_t>(Indicator::kExpiryCliffPredicted)];
    if (const auto s = d6.StatValue("cliff_eta_seconds"); s && d6.eligible) {
      eta.Add({{"class", v.name}}, *s);
    }
  }
  for (FamilyBuilder* f : {&ratio, &baseline, &amplification, &herd, &herd_keys, &eta}) {
    if (!f->empty()) {
      out.push_back(f->Build());
    }
  }
}

}  // namespace

Status DetectCollector::Collect(collectors::Families& out) const {
  const std::vector<ClassView> views = engine_.Classes();
  AddIndicators(views, out);
  AddVerdicts(views, out);
  AddRatios(views, out);
  const EngineStats s = engine_.stats();
  out.push_back(collectors::CounterFamily("stampede_detect_ticks_total",
                                          "Detection ticks run (one a second).",
                                          static_cast<double>(s.ticks)));
  out.push_back(collectors::GaugeFamily("stampede_detect_tick_duration_seconds",
                                        "How long the last detection tick took.",
                                        s.last_tick_seconds));
  out.push_back(collectors::CounterFamily(
      "stampede_detect_class_overflow_total",
      "Ticks in which a class was left out because the engine already tracks its maximum.",
      static_cast<double>(s.class_overflow)));
  out.push_back(
      collectors::CounterFamily("stampede_incidents_evicted_total",
                                "Incidents dropped from the log to keep it within --incidents.max.",
                                static_cast<double>(s.incidents_evicted)));
  if (source_ != nullptr) {
    out.push_back(collectors::CounterFamily(
        "stampede_detect_keyed_loads_overflow_total",
        "Reported keys left out of exact per-key amplification (per-second bound).",
        static_cast<double>(source_->keyed_overflow())));
  }
  if (ttl_ != nullptr) {
    out.push_back(collectors::CounterFamily("stampede_ttl_sample_rounds_total",
                                            "TTL sampling rounds completed.",
                                            static_cast<double>(ttl_->rounds())));
    out.push_back(collectors::CounterFamily("stampede_ttl_sample_errors_total",
                                            "TTL sampling rounds that failed.",
                                            static_cast<double>(ttl_->errors())));
  }
  return Status::Ok();
}

}  // namespace stampede::detect
