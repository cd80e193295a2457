// The Prometheus text exposition format (0.0.4), written straight into one string.
//
// Same output as prometheus::TextSerializer line for line, except for how numbers are
// spelled: integral values within ±2^53 are written as integers ("1000000", never "1e+06"),
// everything else as the shortest decimal that reads back to the same double
// (std::to_chars), NaN as "NaN" and infinities as "+Inf"/"-Inf". It exists for speed: the
// scrape of a capped, fully populated exporter spent most of its time in TextSerializer's
// iostream formatting (BENCHMARKS.md, "Bounds and soak").
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

namespace stampede::collectors {

/// Appends `families` in the text format to `out`. Pure; thread-compatible.
void AppendTextExposition(const std::vector<prometheus::MetricFamily>& families, std::string& out);

/// Appends one number as the text format spells it (see above). Pure.
void AppendSampleValue(double value, std::string& out);

}  // namespace stampede::collectors
