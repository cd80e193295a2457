#include "detect/engine.h"

#include <algorithm>
#include <cmath>

#include "detect/format.h"
#include "detect/registry.h"
#include "detect/verdict.h"

namespace stampede::detect {

namespace {

std::size_t Index(Indicator i) { return static_cast<std::size_t>(i); }

// How a timeline names what happened to a key.
std::string_view CauseVerb(Cause c) {
  switch (c) {
    case Cause::kDel:
      return "DEL";
    case Cause::kExpired:
      return "expiry";
    case Cause::kEvicted:
      return "eviction";
    case Cause::kFlush:
      return "FLUSH";
    case Cause::kExpiryCliff:
      return "expiry cliff";
    default:
      return "invalidation";
  }
}

std::string Seconds(double s) { return FormatCount(std::max(0.0, std::round(s))) + " s"; }

}  // namespace

Status Engine::Check(const Options& options) {
  if (Status s = CheckOverrides(AllOptionSpecs(), options.global, "detectors"); !s.ok()) {
    return s;
  }
  for (const auto& [name, settings] : options.classes) {
    if (Status s = CheckOverrides(AllOptionSpecs(), settings.overrides, "class " + name); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Engine::Engine(Options options, ExpectedFn expected, const WallClock& wall, Logger& log)
    : options_(std::move(options)),
      expected_(std::move(expected)),
      wall_(wall),
      log_(log),
      incidents_(options_.max_incidents) {}

WallTime Engine::ToWall(Clock::time_point t) const {
  return wall_now_ - std::chrono::duration_cast<WallTime::duration>(now_ - t);
}

std::string Engine::KeyText(std::uint64_t hash, std::string_view raw) const {
  if (options_.show_keys && !raw.empty()) {
    return std::string(raw);
  }
  return "key#" + HashHex(hash);
}

ClassState* Engine::StateFor(std::string_view name) {
  if (auto it = classes_.find(name); it != classes_.end()) {
    return it->second.get();
  }
  if (classes_.size() >= options_.max_classes + 1) {  // + `all`
    ++stats_.class_overflow;
    return nullptr;
  }
  const auto settings = options_.classes.find(name);
  const bool has = settings != options_.classes.end();
  auto state =
      std::make_unique<ClassState>(std::string(name), name == kAllClass,
                                   OptionValues(AllOptionSpecs(), options_.global,
                                                has ? settings->second.overrides : Overrides{}),
                                   has ? settings->second.expected_hit_ratio : std::nullopt);
  ClassState* raw = state.get();
  classes_.emplace(std::string(name), std::move(state));
  return raw;
}

void Engine::Tick(const TickInput& input) {
  const auto started = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  now_ = input.now;
  wall_now_ = wall_.Now();
  StateFor(kAllClass);
  for (const auto& [name, second] : input.classes) {
    StateFor(name);
  }
  for (auto& [name, cls] : classes_) {
    const auto second = input.classes.find(name);
    cls->seconds.Push(second != input.classes.end() ? second->second : ClassSecond{});
    const auto keys = input.keys.find(name);
    cls->keys = keys != input.keys.end() ? keys->second : KeyEvidence{};
  }
  // `all` first: its blind indicator gates every class's verdict at this tick.
  ClassState& all = *classes_.find(kAllClass)->second;
  Evaluate(all, input, false);
  const bool blind = all.raised(Indicator::kBlind);
  bool any_amplification = false;
  for (auto& [name, cls] : classes_) {
    if (!cls->all) {
      Evaluate(*cls, input, blind);
      any_amplification = any_amplification || cls->raised(Indicator::kOriginAmplification);
    }
  }
  bool any_named_verdict = false;
  for (auto& [name, cls] : classes_) {
    if (!cls->all) {
      Decide(*cls, input, blind, false);
      any_named_verdict = any_named_verdict || cls->level != Level::kNone;
    }
  }
  // `all` speaks only for a cliff no named class explains.
  Decide(all, input, blind, any_named_verdict || !any_amplification ? any_named_verdict : false);
  ++stats_.ticks;
  stats_.last_tick_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

void Engine::Evaluate(ClassState& cls, const TickInput& in, bool blind) {
  const auto ttl = in.ttl.find(cls.name);
  const Context ctx{in.now,
                    cls.name,
                    cls.all,
                    cls.seconds,
                    cls.keys,
                    in.health,
                    in.flushes,
                    ttl != in.ttl.end() ? &ttl->second : nullptr,
                    cls.any_raised() || blind,
                    cls.expected_hit_ratio};
  std::vector<Reading> readings;
  for (const auto& d : cls.detectors) {
    d->Evaluate(ctx, readings);
  }
  for (Reading& r : readings) {
    const std::size_t i = Index(r.indicator);
    if (!cls.indicators[i]) {
      continue;
    }
    const auto change = cls.indicators[i]->Step(r.triggered(), r.eligible && r.progress >= 0.5,
                                                r.immediate && r.triggered());
    cls.last[i] = std::move(r);
    if (change == IndicatorState::Change::kRaised) {
      cls.raised_at[i] = in.now;
      cls.raised_detail[i] = cls.last[i].detail;
      OnIndicatorRaised(cls, cls.last[i], wall_now_);
    } else if (change == IndicatorState::Change::kCleared) {
      cls.raised_at[i].reset();
      OnIndicatorCleared(cls, static_cast<Indicator>(i), wall_now_);
    }
  }
  if (cls.raised(Indicator::kOriginAmplification)) {
    cls.amplification_seen = in.now;
  }
  while (!cls.causes.empty() && in.now - cls.causes.front().at > options_.cause_lookback) {
    cls.causes.pop_front();
  }
}

void Engine::OnIndicatorRaised(ClassState& cls, const Reading& r, WallTime at) {
  Cause cause = r.cause;
  if (cause == Cause::kUnknown && !cls.causes.empty()) {
    cause = cls.causes.back().cause;  // e.g. a cliff right after a DEL burst
  }
  const bool expected = expected_ && expected_(cls.name);
  ++cls.detections[{r.indicator, cause, expected}];
  cls.last_detection[Index(r.indicator)] = at;
  // What happened to keys, for the causes of later detections. A herd's own invalidation is
  // one; a predicted expiry cliff is not (it has not happened yet).
  const bool invalidation = r.indicator == Indicator::kInvalidationBurst ||
                            r.indicator == Indicator::kSynchronizedExpiry ||
                            r.indicator == Indicator::kEvictionPressure ||
                            r.indicator == Indicator::kHotKeyHerd;
  if (invalidation && IsKeyCause(r.cause)) {
    cls.causes.push_back({now_, r.cause, r.key_hash, r.key, r.detail});
  }
  std::vector<LogField> fields = {{"indicator", std::string(IndicatorName(r.indicator))},
                                  {"class", cls.name},
                                  {"cause", std::string(CauseName(cause))},
                                  {"expected", expected ? "true" : "false"}};
  if (r.key_hash) {
    fields.push_back({"key_hash", HashHex(*r.key_hash)});
    if (options_.show_keys && !r.key.empty()) {
      fields.push_back({"key", r.key});
    }
  }
  fields.push_back({"detail", r.detail});
  log_.Log(LogLevel::kInfo, "indicator raised", fields);
  if (cls.incident) {
    if (Incident* inc = incidents_.Find(*cls.incident)) {
      inc->Add(at, std::string(IndicatorName(r.indicator)) + " raised: " + r.detail);
    }
  }
}

void Engine::OnIndicatorCleared(ClassState& cls, Indicator i, WallTime at) {
  log_.Info("indicator cleared",
            {{"indicator", std::string(IndicatorName(i))}, {"class", cls.name}});
  if (cls.incident) {
    if (Incident* inc = incidents_.Find(*cls.incident)) {
      inc->Add(at, std::string(IndicatorName(i)) + " cleared");
    }
  }
}

void Engine::Decide(ClassState& cls, const TickInput& in, bool blind, bool any_named_verdict) {
  VerdictInputs v;
  v.blind = blind;
  if (cls.all) {
    v.miss_signal = cls.raised(Indicator::kHitRatioCliff) && !any_named_verdict;
    for (const auto& [name, other] : classes_) {
      v.amplification = v.amplification || other->raised(Indicator::kOriginAmplification);
    }
  } else {
    v.miss_signal = cls.raised(Indicator::kHitRatioCliff) || cls.raised(Indicator::kHotKeyHerd);
    v.amplification =
        cls.amplification_seen && in.now - *cls.amplification_seen <= options_.amplification_join;
  }
  v.blind = v.blind || (cls.level != Level::kNone && cls.episode_blind);
  const Level level = detect::Decide(v);
  if (cls.level == Level::kNone && level != Level::kNone) {
    cls.episode_blind = blind;
  }
  if (level == cls.level) {
    if (cls.incident) {
      UpdateIncident(cls, in);
    }
    return;
  }
  const Level previous = cls.level;
  cls.level = level;
  log_.Warn("verdict", {{"class", cls.name},
                        {"level", std::string(LevelName(level))},
                        {"previous", std::string(LevelName(previous))}});
  if (level > previous) {
    // Inside a marker the rise is expected (an announced purge or deploy).
    ++cls.verdict_rises[{level, expected_ && expected_(cls.name)}];
  }
  if (previous == Level::kNone) {
    OpenIncident(cls, level, in);
  } else if (level == Level::kNone) {
    CloseIncident(cls);
  } else if (cls.incident) {
    if (Incident* inc = incidents_.Find(*cls.incident)) {
      inc->level = std::max(inc->level, level);
      inc->Add(wall_now_,
               "verdict " + std::string(LevelName(previous)) + " → " +
                   std::string(LevelName(level)) +
                   (blind && level == Level::kHerdRisk ? " (the sidecar is blind)" : ""));
    }
    UpdateIncident(cls, in);
  }
}

void Engine::OpenIncident(ClassState& cls, Level level, const TickInput& in) {
  Incident inc;
  inc.class_name = cls.name;
  inc.level = level;
  inc.expected = expected_ && expected_(cls.name);
  inc.detected = wall_now_;
  // Onset: the earliest miss indicator of this episode.
  Clock::time_point onset = in.now;
  for (const Indicator i : {Indicator::kHitRatioCliff, Indicator::kHotKeyHerd}) {
    if (const auto& at = cls.raised_at[Index(i)]; at && *at < onset) {
      onset = *at;
    }
  }
  inc.onset = ToWall(onset);
  // Cause: the herd's own invalidation, else what happened to keys shortly before onset.
  const Reading& herd = cls.last[Index(Indicator::kHotKeyHerd)];
  const HerdKey* herd_key = nullptr;
  for (const HerdKey& k : cls.keys.herd_keys) {
    if ((herd.key_hash && k.hash == *herd.key_hash) || (!herd.key_hash && herd_key == nullptr)) {
      herd_key = &k;
    }
  }
  const ClassState& all = *classes_.find(kAllClass)->second;
  const CauseEvent* event = !cls.causes.empty()   ? &cls.causes.back()
                            : !all.causes.empty() ? &all.causes.back()
                                                  : nullptr;
  if (herd_key != nullptr && (cls.raised(Indicator::kHotKeyHerd) || event == nullptr)) {
    inc.cause = herd_key->cause;
    inc.cause_key_hash = herd_key->hash;
    inc.cause_key = options_.show_keys ? herd_key->key : "";
    inc.cause_at = ToWall(herd_key->invalidated_at);
    inc.Add(*inc.cause_at, std::string(CauseVerb(inc.cause)) + " of " +
                               KeyText(herd_key->hash, herd_key->key) + " (" + cls.name + ")");
    cls.last_herd_size = herd_key->herd_size;
    // The herd so far, spread over the seconds since the key went away.
    const double age = std::chrono::duration<double>(in.now - herd_key->invalidated_at).count();
    inc.peak_key_misses_per_second = herd_key->herd_size / std::max(1.0, age);
    inc.peak_herd_size = herd_key->herd_size;
  } else if (event != nullptr) {
    inc.cause = event->cause;
    inc.cause_key_hash = event->key_hash;
    inc.cause_at = ToWall(event->at);
    inc.Add(*inc.cause_at, event->detail);
    cls.last_herd_size = 0;
  }
  cls.herd_refilled = false;
  if (const auto baseline =
          cls.last[Index(Indicator::kHitRatioCliff)].StatValue("baseline_hit_ratio")) {
    inc.baseline_hit_ratio = *baseline;
  }
  std::vector<std::pair<Clock::time_point, Indicator>> raised;
  for (std::size_t i = 0; i < kIndicators; ++i) {
    if (cls.raised_at[i] && cls.raised(static_cast<Indicator>(i))) {
      raised.emplace_back(*cls.raised_at[i], static_cast<Indicator>(i));
    }
  }
  std::sort(raised.begin(), raised.end());
  for (const auto& [at, i] : raised) {
    inc.Add(ToWall(at), std::string(IndicatorName(i)) + " raised: " + cls.raised_detail[Index(i)]);
  }
  inc.Add(wall_now_, "verdict " + std::string(LevelName(level)) +
                         (inc.expected ? " (inside a marker: expected)" : ""));
  const std::uint64_t id = incidents_.Open(std::move(inc));
  cls.incident = id;
  ++cls.incidents_opened[level];
  stats_.incidents_opened = incidents_.opened();
  stats_.incidents_evicted = incidents_.evicted();
  const Incident& opened = *incidents_.Find(id);
  std::vector<LogField> fields = {{"id", std::to_string(id)},
                                  {"class", cls.name},
                                  {"level", std::string(LevelName(level))},
                                  {"cause", std::string(CauseName(opened.cause))},
                                  {"expected", opened.expected ? "true" : "false"}};
  if (opened.cause_key_hash) {
    fields.push_back({"key_hash", HashHex(*opened.cause_key_hash)});
  }
  log_.Log(LogLevel::kWarn, "incident opened", fields);
  UpdateIncident(cls, in);
}

void Engine::UpdateIncident(ClassState& cls, const TickInput& in) {
  Incident* inc = incidents_.Find(*cls.incident);
  if (inc == nullptr) {
    cls.incident.reset();  // evicted from the log
    return;
  }
  const std::size_t window =
      static_cast<std::size_t>(std::max(1.0, cls.options.Get("d1.window_seconds")));
  if (const auto ratio = cls.HitRatio(window)) {
    inc->lowest_hit_ratio = std::min(inc->lowest_hit_ratio.value_or(1.0), *ratio);
  }
  if (cls.seconds.size() > 0) {
    inc->peak_origin_loads_per_second =
        std::max(inc->peak_origin_loads_per_second, cls.seconds.Ago(0).app_loads);
  }
  if (const auto per_key =
          cls.last[Index(Indicator::kOriginAmplification)].StatValue("max_loads_per_key")) {
    inc->peak_loads_per_key = std::max(inc->peak_loads_per_key, *per_key);
  }
  if (!inc->cause_key_hash) {
    return;
  }
  for (const HerdKey& k : cls.keys.herd_keys) {
    if (k.hash != *inc->cause_key_hash) {
      continue;
    }
    const double per_second =
        k.herd_size >= cls.last_herd_size ? k.herd_size - cls.last_herd_size : 0.0;
    inc->peak_key_misses_per_second = std::max(inc->peak_key_misses_per_second, per_second);
    inc->peak_herd_size = std::max(inc->peak_herd_size, static_cast<double>(k.herd_size));
    cls.last_herd_size = k.herd_size;
    if (k.refilled && !cls.herd_refilled) {
      cls.herd_refilled = true;
      inc->Add(wall_now_,
               KeyText(k.hash, k.key) + " refilled after " + FormatCount(k.herd_size) + " misses");
    }
  }
  (void)in;
}

void Engine::CloseIncident(ClassState& cls) {
  Incident* inc = cls.incident ? incidents_.Find(*cls.incident) : nullptr;
  cls.incident.reset();
  if (inc == nullptr) {
    return;
  }
  inc->open = false;
  inc->resolved = wall_now_;
  std::string text =
      "recovered after " + Seconds(std::chrono::duration<double>(wall_now_ - inc->onset).count());
  if (inc->lowest_hit_ratio) {
    text += "; hit ratio " +
            (inc->baseline_hit_ratio ? FormatRatio(*inc->baseline_hit_ratio) + " → " : "") +
            FormatRatio(*inc->lowest_hit_ratio) + " at worst";
  }
  if (inc->peak_key_misses_per_second > 0) {
    text += "; misses on the key peaked at " + FormatCount(inc->peak_key_misses_per_second) + "/s";
  }
  if (inc->peak_origin_loads_per_second > 0) {
    text += "; origin loads peaked at " + FormatCount(inc->peak_origin_loads_per_second) + "/s";
  }
  if (inc->peak_loads_per_key > 0) {
    text += " (" + FormatCount(inc->peak_loads_per_key) + " loads of one key)";
  }
  inc->Add(wall_now_, text);
  log_.Info("incident resolved", {{"id", std::to_string(inc->id)}, {"class", cls.name}});
}

std::vector<ClassView> Engine::Classes() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ClassView> out;
  out.reserve(classes_.size());
  for (const auto& [name, cls] : classes_) {
    ClassView v;
    v.name = name;
    v.level = cls->level;
    v.incident = cls->incident;
    for (std::size_t i = 0; i < kIndicators; ++i) {
      v.served[i] = cls->indicators[i].has_value();
      v.raised[i] = cls->raised(static_cast<Indicator>(i));
    }
    v.last = cls->last;
    v.last_detection = cls->last_detection;
    v.detections = cls->detections;
    v.incidents = cls->incidents_opened;
    v.verdict_rises = cls->verdict_rises;
    v.short_window_seconds = static_cast<int>(std::max(1.0, cls->options.Get("d1.window_seconds")));
    v.hit_ratio_short = cls->HitRatio(static_cast<std::size_t>(v.short_window_seconds));
    v.hit_ratio_minute = cls->HitRatio(60);
    v.baseline_hit_ratio =
        cls->last[Index(Indicator::kHitRatioCliff)].StatValue("baseline_hit_ratio");
    v.source = std::string(cls->Source());
    for (const HerdKey& k : cls->keys.herd_keys) {
      if (v.top_herd.size() == ClassView::kTopHerd) {
        break;
      }
      v.top_herd.push_back(k);
      if (!options_.show_keys) {
        v.top_herd.back().key.clear();
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<Incident> Engine::Incidents(std::size_t limit) const {
  std::lock_guard<std::mutex> lock(mu_);
  return incidents_.Newest(limit);
}

std::optional<Incident> Engine::FindIncident(std::uint64_t id) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Incident* inc = incidents_.Find(id);
  return inc ? std::optional<Incident>(*inc) : std::nullopt;
}

EngineStats Engine::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace stampede::detect
