#include "detect/invalidation_burst.h"

#include <algorithm>
#include <cmath>

#include "detect/format.h"

namespace stampede::detect {

namespace {

std::string DescribeFlushes(const std::vector<FlushSeen>& flushes) {
  std::string words;
  for (const FlushSeen& f : flushes) {
    words += words.empty() ? "" : ", ";
    words += f.db < 0 ? std::string("FLUSHALL") : "FLUSHDB db " + std::to_string(f.db);
  }
  return words;
}

}  // namespace

double InvalidationBurst::Judged::progress() const { return std::max({0.0, second, window}); }

InvalidationBurst::InvalidationBurst(const OptionValues& o)
    : factor_(o.Get("d3.factor")),
      mad_factor_(o.Get("d3.mad_factor")),
      min_per_second_(o.Get("d3.min_per_second")),
      window_(std::max(1.0, std::floor(o.Get("d3.window_seconds")))),
      window_factor_(o.Get("d3.window_factor")),
      min_per_window_(o.Get("d3.min_per_window")),
      warmup_(o.Get("d3.warmup_seconds")),
      del_{window::Ewma(std::max(1.0, o.Get("d3.half_life_seconds")))},
      expired_{window::Ewma(std::max(1.0, o.Get("d3.half_life_seconds")))} {}

void InvalidationBurst::Evaluate(const Context& ctx, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kInvalidationBurst;
  if (!ctx.all) {
    const Stream streams[] = {
        {del_, &ClassSecond::del, Cause::kDel, "DEL", "del_per_second", "del_baseline"},
        {expired_, &ClassSecond::expired, Cause::kExpired, "expired", "expired_per_second",
         "expired_baseline"},
    };
    JudgeStreams(ctx, streams, r);
  } else if (!ctx.health.subscriber_expected) {
    // Without keyspace events, INFO's expired_keys is the only view of expiries (DEL has none).
    const Stream streams[] = {{expired_, &ClassSecond::info_expired, Cause::kExpired,
                               "expired (INFO)", "expired_per_second", "expired_baseline"}};
    JudgeStreams(ctx, streams, r);
  }
  if (ctx.all && !ctx.flushes.empty()) {
    // Every key of the database is gone at once: no baseline or volume makes that normal.
    r.eligible = true;
    r.immediate = true;
    r.progress = std::max(1.0, r.progress);
    r.cause = Cause::kFlush;
    r.detail = DescribeFlushes(ctx.flushes);
  }
  out.push_back(r);
}

double InvalidationBurst::Mean(const Rate& rate) const {
  if (rate.baseline.count() > 0) {
    return rate.baseline.mean();
  }
  return learnt_seconds_ > 0 ? rate.warm_sum / learnt_seconds_ : 0;  // still warming up
}

InvalidationBurst::Judged InvalidationBurst::Judge(const Context& ctx, const Stream& stream) const {
  const double mu = Mean(stream.rate);
  const auto count = [&](const ClassSecond& s) { return s.*stream.field; };
  Judged j;
  j.now = count(ctx.seconds.Ago(0));
  j.window_sum = ctx.seconds.Sum(static_cast<std::size_t>(window_), count);
  const double per_second =
      std::max({factor_ * mu, mu + mad_factor_ * stream.rate.baseline.spread(), min_per_second_});
  const double per_window = std::max(window_factor_ * window_ * mu, min_per_window_);
  j.second = Toward(j.now, mu, per_second);
  j.window = Toward(j.window_sum, window_ * mu, per_window);
  return j;
}

void InvalidationBurst::JudgeStreams(const Context& ctx, std::span<const Stream> streams,
                                     Reading& r) {
  std::vector<Judged> judged;
  std::size_t lead = 0;
  for (const Stream& stream : streams) {
    judged.push_back(Judge(ctx, stream));
    r.stats.push_back({stream.per_second_stat, judged.back().now});
    r.stats.push_back({stream.baseline_stat, Mean(stream.rate)});
    lead = judged.back().progress() > judged[lead].progress() ? judged.size() - 1 : lead;
  }
  r.eligible = Warm();
  r.progress = judged[lead].progress();
  r.cause = r.progress > 0 ? streams[lead].cause : Cause::kUnknown;
  r.detail = Describe(streams[lead], judged[lead]);

  // INFO deltas of a second without an INFO sample are zeros, not a quiet second.
  if (ctx.frozen || (ctx.all && !ctx.seconds.Ago(0).info_ok)) {
    return;
  }
  for (std::size_t i = 0; i < streams.size(); ++i) {
    Learn(streams[i], judged[i]);
  }
  if (!Warm() && ++learnt_seconds_ >= warmup_) {
    for (const Stream& stream : streams) {
      stream.rate.baseline.Seed(stream.rate.warm_sum / learnt_seconds_);
    }
  }
}

void InvalidationBurst::Learn(const Stream& stream, const Judged& judged) {
  if (!Warm()) {
    stream.rate.warm_sum += judged.now;
  } else if (judged.second < 1) {
    // A burst second the persistence has not raised yet must not lift the baseline toward it.
    stream.rate.baseline.Update(judged.now);
  }
}

std::string InvalidationBurst::Describe(const Stream& stream, const Judged& judged) const {
  const std::string baseline = " (baseline " + FormatCount(Mean(stream.rate)) + "/s)";
  if (judged.window > judged.second) {
    return FormatCount(judged.window_sum) + " " + std::string(stream.label) + " in " +
           FormatCount(window_) + " s" + baseline;
  }
  return FormatCount(judged.now) + " " + std::string(stream.label) + "/s" + baseline;
}

}  // namespace stampede::detect
