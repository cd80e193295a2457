#include "collectors/text_exposition.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace stampede::collectors {

namespace {

constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53

void AppendUnsigned(std::uint64_t value, std::string& out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
void AppendEscaped(std::string_view text, bool quote, std::string& out) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

struct ExtraLabel {
  std::string_view name;
  std::string_view text;  // already spelled
};

void AppendHead(const prometheus::MetricFamily& family, const prometheus::ClientMetric& metric,
                std::string_view suffix, const ExtraLabel* extra, std::string& out) {
  out += family.name;
  out += suffix;
  if (!metric.label.empty() || extra != nullptr) {
    out += '{';
    bool first = true;
    for (const auto& label : metric.label) {
      if (!first) {
        out += ',';
      }
      first = false;
      out += label.name;
      out += "=\"";
      AppendEscaped(label.value, true, out);
      out += '"';
    }
    if (extra != nullptr) {
      if (!first) {
        out += ',';
      }
      out += extra->name;
      out += "=\"";
      out += extra->text;
      out += '"';
    }
    out += '}';
  }
  out += ' ';
}

void AppendTail(const prometheus::ClientMetric& metric, std::string& out) {
  if (metric.timestamp_ms != 0) {
    out += ' ';
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), metric.timestamp_ms);
    out.append(buffer, result.ptr);
  }
  out += '\n';
}

void AppendSample(const prometheus::MetricFamily& family, const prometheus::ClientMetric& metric,
                  double value, std::string& out) {
  AppendHead(family, metric, "", nullptr, out);
  AppendSampleValue(value, out);
  AppendTail(metric, out);
}

// The _count and _sum lines of a summary or a histogram.
void AppendCountAndSum(const prometheus::MetricFamily& family,
                       const prometheus::ClientMetric& metric, std::uint64_t count, double sum,
                       std::string& out) {
  AppendHead(family, metric, "_count", nullptr, out);
  AppendUnsigned(count, out);
  AppendTail(metric, out);
  AppendHead(family, metric, "_sum", nullptr, out);
  AppendSampleValue(sum, out);
  AppendTail(metric, out);
}

void AppendSummary(const prometheus::MetricFamily& family, const prometheus::ClientMetric& metric,
                   std::string& out) {
  const auto& summary = metric.summary;
  AppendCountAndSum(family, metric, summary.sample_count, summary.sample_sum, out);
  std::string quantile;
  for (const auto& q : summary.quantile) {
    quantile.clear();
    AppendSampleValue(q.quantile, quantile);
    const ExtraLabel extra{"quantile", quantile};
    AppendHead(family, metric, "", &extra, out);
    AppendSampleValue(q.value, out);
    AppendTail(metric, out);
  }
}

void AppendHistogram(const prometheus::MetricFamily& family, const prometheus::ClientMetric& metric,
                     std::string& out) {
  const auto& histogram = metric.histogram;
  AppendCountAndSum(family, metric, histogram.sample_count, histogram.sample_sum, out);
  std::string bound;
  bool has_inf = false;
  for (const auto& bucket : histogram.bucket) {
    bound.clear();
    AppendSampleValue(bucket.upper_bound, bound);
    has_inf = std::isinf(bucket.upper_bound) && bucket.upper_bound > 0;
    const ExtraLabel extra{"le", bound};
    AppendHead(family, metric, "_bucket", &extra, out);
    AppendUnsigned(bucket.cumulative_count, out);
    AppendTail(metric, out);
  }
  if (!has_inf) {
    const ExtraLabel extra{"le", "+Inf"};
    AppendHead(family, metric, "_bucket", &extra, out);
    AppendUnsigned(histogram.sample_count, out);
    AppendTail(metric, out);
  }
}

std::string_view TypeName(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter:
      return "counter";
    case prometheus::MetricType::Gauge:
      return "gauge";
    case prometheus::MetricType::Summary:
      return "summary";
    case prometheus::MetricType::Histogram:
      return "histogram";
    case prometheus::MetricType::Untyped:
      break;
  }
  return "untyped";
}

}  // namespace

void AppendSampleValue(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buffer[32];
  std::to_chars_result result;
  if (std::trunc(value) == value && std::fabs(value) <= kExactIntegerLimit) {
    result = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<std::int64_t>(value));
  } else {
    result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  }
  out.append(buffer, result.ptr);
}

void AppendTextExposition(const std::vector<prometheus::MetricFamily>& families, std::string& out) {
  for (const auto& family : families) {
    if (!family.help.empty()) {
      out += "# HELP ";
      out += family.name;
      out += ' ';
      AppendEscaped(family.help, false, out);
      out += '\n';
    }
    out += "# TYPE ";
    out += family.name;
    out += ' ';
    out += TypeName(family.type);
    out += '\n';
    for (const auto& metric : family.metric) {
      switch (family.type) {
        case prometheus::MetricType::Counter:
          AppendSample(family, metric, metric.counter.value, out);
          break;
        case prometheus::MetricType::Gauge:
          AppendSample(family, metric, metric.gauge.value, out);
          break;
        case prometheus::MetricType::Untyped:
          AppendSample(family, metric, metric.untyped.value, out);
          break;
        case prometheus::MetricType::Summary:
          AppendSummary(family, metric, out);
          break;
        case prometheus::MetricType::Histogram:
          AppendHistogram(family, metric, out);
          break;
      }
    }
  }
}

}  // namespace stampede::collectors
