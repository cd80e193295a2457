#include "collectors/metric_builder.h"

namespace stampede::collectors {

FamilyBuilder::FamilyBuilder(std::string name, std::string help, prometheus::MetricType type) {
  family_.name = std::move(name);
  family_.help = std::move(help);
  family_.type = type;
}

FamilyBuilder& FamilyBuilder::Add(std::initializer_list<Label> labels, double value) {
  return Add(std::vector<Label>(labels), value);
}

FamilyBuilder& FamilyBuilder::Add(const std::vector<Label>& labels, double value) {
  prometheus::ClientMetric m;
  m.label.reserve(labels.size());
  for (const auto& [name, label_value] : labels) {
    m.label.push_back({name, label_value});
  }
  if (family_.type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  family_.metric.push_back(std::move(m));
  return *this;
}

prometheus::MetricFamily GaugeFamily(std::string name, std::string help, double value) {
  return FamilyBuilder(std::move(name), std::move(help), prometheus::MetricType::Gauge)
      .Add(value)
      .Build();
}

prometheus::MetricFamily CounterFamily(std::string name, std::string help, double value) {
  return FamilyBuilder(std::move(name), std::move(help), prometheus::MetricType::Counter)
      .Add(value)
      .Build();
}

}  // namespace stampede::collectors
