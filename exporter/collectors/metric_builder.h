// Small helpers to build prometheus-cpp MetricFamily values by hand at scrape time.
#pragma once

#include <prometheus/metric_family.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace stampede::collectors {

using Label = std::pair<std::string, std::string>;

/// Builds one family: `FamilyBuilder(name, help, type).Add({{"db","0"}}, 5).Build()`.
/// Thread-compatible.
class FamilyBuilder {
 public:
  FamilyBuilder(std::string name, std::string help, prometheus::MetricType type);

  /// Adds one sample; for a counter family the value goes to counter.value, else gauge.value.
  FamilyBuilder& Add(std::initializer_list<Label> labels, double value);
  FamilyBuilder& Add(const std::vector<Label>& labels, double value);
  FamilyBuilder& Add(double value) { return Add({}, value); }

  bool empty() const { return family_.metric.empty(); }
  /// Moves the family out; the builder is empty afterwards.
  prometheus::MetricFamily Build() { return std::move(family_); }

 private:
  prometheus::MetricFamily family_;
};

/// Shorthands for a single unlabelled sample.
prometheus::MetricFamily GaugeFamily(std::string name, std::string help, double value);
prometheus::MetricFamily CounterFamily(std::string name, std::string help, double value);

}  // namespace stampede::collectors
