#include "detect/live_source.h"

#include <algorithm>
#include <cmath>

namespace stampede::detect {

namespace {

double Delta(double now, double before) { return now >= before ? now - before : 0; }

Cause FromSketch(sketch::Cause c) {
  switch (c) {
    case sketch::Cause::kDel:
      return Cause::kDel;
    case sketch::Cause::kExpired:
      return Cause::kExpired;
    case sketch::Cause::kEvicted:
      return Cause::kEvicted;
    case sketch::Cause::kFlush:
      return Cause::kFlush;
  }
  return Cause::kUnknown;
}

double At(const std::array<double, events::kEventKinds>& kinds, events::EventKind k) {
  return kinds[static_cast<std::size_t>(k)];
}

}  // namespace

TickInput LiveSource::Gather(Clock::time_point now) {
  TickInput in;
  in.now = now;
  in.classes[std::string(kAllClass)];
  GatherEvents(now, in);
  GatherInfo(in);
  GatherApp(in);
  GatherKeyedLoads(in);
  if (s_.ttl != nullptr) {
    for (auto& [name, sample] : s_.ttl->Latest()) {
      in.ttl.emplace(name, std::move(sample));
    }
  }
  return in;
}

void LiveSource::GatherEvents(Clock::time_point now, TickInput& in) {
  if (s_.events == nullptr) {
    return;
  }
  const classify::Classifier& classifier = s_.events->classifier();
  const events::KeyTracker& tracker = s_.events->tracker();
  const events::NodeEventsList nodes = s_.events->nodes();
  in.health.subscriber_expected = !nodes.empty();
  double shed = 0;
  for (const auto& node : nodes) {
    in.health.subscriber_up = in.health.subscriber_up && node->subscriber.connected();
    in.health.lag_seconds = std::max(in.health.lag_seconds, node->subscriber.lag_seconds());
    shed += static_cast<double>(node->tally.shed());
  }
  in.health.events_shed = Delta(shed, shed_prev_);
  shed_prev_ = shed;

  ClassSecond& all = in.classes[std::string(kAllClass)];
  for (std::size_t id = 0; id < classifier.size(); ++id) {
    const auto cid = static_cast<classify::ClassId>(id);
    const std::string& name = classifier.Name(cid);
    EventTotals now_totals;
    for (const auto& node : nodes) {
      for (const events::EventKind k : events::kAllEventKinds) {
        now_totals.kinds[static_cast<std::size_t>(k)] +=
            static_cast<double>(node->tally.count(cid, k));
      }
    }
    now_totals.misses_after_evicted =
        static_cast<double>(tracker.MissesAfter(cid, sketch::Cause::kEvicted));
    EventTotals& prev = events_prev_[name];
    ClassSecond second;
    using events::EventKind;
    second.keymiss =
        Delta(At(now_totals.kinds, EventKind::kKeymiss), At(prev.kinds, EventKind::kKeymiss));
    second.del = Delta(At(now_totals.kinds, EventKind::kDel), At(prev.kinds, EventKind::kDel));
    second.expired =
        Delta(At(now_totals.kinds, EventKind::kExpired), At(prev.kinds, EventKind::kExpired));
    second.evicted =
        Delta(At(now_totals.kinds, EventKind::kEvicted), At(prev.kinds, EventKind::kEvicted));
    second.refills = Delta(At(now_totals.kinds, EventKind::kNew), At(prev.kinds, EventKind::kNew));
    second.misses_after_evicted = Delta(now_totals.misses_after_evicted, prev.misses_after_evicted);
    prev = now_totals;

    std::deque<double>& recent = keymiss_recent_[name];
    recent.push_back(second.keymiss);
    if (recent.size() > 20) {
      recent.pop_front();
    }
    all.keymiss += second.keymiss;
    all.misses_after_evicted += second.misses_after_evicted;
    const bool active = std::any_of(recent.begin(), recent.end(), [](double m) { return m > 0; });
    const bool moved =
        second.keymiss + second.del + second.expired + second.evicted + second.refills > 0;
    if (moved || active) {
      in.classes[name] = second;
    }
    if (active) {
      GatherKeys(now, cid, name, in);
    }
  }
  for (const events::FlushRecord& f : tracker.RecentFlushes(now)) {
    if (!last_flush_ || f.at > *last_flush_) {
      in.flushes.push_back({f.at, f.db});
      last_flush_ = f.at;
    }
  }
}

void LiveSource::GatherKeys(Clock::time_point now, std::uint16_t id, const std::string& name,
                            TickInput& in) {
  const events::KeyTracker& tracker = s_.events->tracker();
  const auto window_ms = std::max<std::int64_t>(tracker.window().count(), 1);
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  KeyEvidence& keys = in.keys[name];
  // The tracker's current window plus the previous one: between one and two windows.
  keys.window_seconds = static_cast<double>(window_ms + since_epoch % window_ms) / 1000.0;
  const auto span = static_cast<std::size_t>(std::ceil(keys.window_seconds));
  const std::deque<double>& recent = keymiss_recent_[name];
  for (std::size_t k = 0; k < span && k < recent.size(); ++k) {
    keys.window_misses += recent[recent.size() - 1 - k];
  }
  keys.distinct_missed = tracker.DistinctMissed(id, 2, now);

  std::map<std::uint64_t, HerdKey> merged;
  for (const bool previous : {false, true}) {
    for (const sketch::SpaceSaving::Entry& e :
         tracker.TopMissed(id, kHerdCandidates, previous, now)) {
      HerdKey& k = merged[e.hash];
      k.hash = e.hash;
      k.key = e.key;
      k.misses += static_cast<double>(e.count);
    }
  }
  for (auto& [hash, k] : merged) {
    const std::optional<sketch::Invalidation> gone = tracker.RecentInvalidation(hash, s_.db, now);
    if (!gone) {
      continue;
    }
    k.herd_size = gone->misses_since;
    k.refilled = gone->refilled;
    k.cause = FromSketch(gone->cause);
    k.invalidated_at = gone->at;
    keys.herd_keys.push_back(std::move(k));
  }
  std::sort(keys.herd_keys.begin(), keys.herd_keys.end(),
            [](const HerdKey& a, const HerdKey& b) { return a.herd_size > b.herd_size; });
}

void LiveSource::GatherInfo(TickInput& in) {
  if (s_.info == nullptr) {
    return;
  }
  const InfoReading r = s_.info->Read();
  in.health.info_up = r.up;
  if (r.samples == info_prev_.samples) {
    return;  // no new sample this second
  }
  ClassSecond& all = in.classes[std::string(kAllClass)];
  all.info_ok = true;
  all.used_memory_bytes = r.used_memory;
  all.maxmemory_bytes = r.maxmemory;
  const bool reset =
      info_have_prev_ &&
      (r.run_id != info_prev_.run_id || r.hits < info_prev_.hits || r.misses < info_prev_.misses ||
       r.expired < info_prev_.expired || r.evicted < info_prev_.evicted);
  if (reset) {
    in.health.counter_reset = true;
  } else if (info_have_prev_) {
    all.info_hits = r.hits - info_prev_.hits;
    all.info_misses = r.misses - info_prev_.misses;
    all.info_expired = r.expired - info_prev_.expired;
    all.info_evicted = r.evicted - info_prev_.evicted;
  }
  info_prev_ = r;
  info_have_prev_ = true;
}

void LiveSource::GatherApp(TickInput& in) {
  if (!s_.app) {
    return;
  }
  const ingest::AppCounterStore::Snapshot snap = s_.app->Read();
  std::map<std::string, AppTotals> totals;
  for (const auto& [key, counts] : snap.series) {
    AppTotals& t = totals[key.first];
    const auto at = [&c = counts](ingest::Signal s) {
      return c.counts[static_cast<std::size_t>(s)];
    };
    t.hits += at(ingest::Signal::kHit);
    t.misses += at(ingest::Signal::kMiss);
    t.loads += at(ingest::Signal::kLoad);
    t.coalesced += at(ingest::Signal::kCoalesced);
    t.lock_waits += at(ingest::Signal::kLockWait);
    t.stale += at(ingest::Signal::kStale);
  }
  for (const auto& [name, t] : totals) {
    AppTotals& prev = app_prev_[name];
    ClassSecond& c = in.classes[name];
    c.app_hits = Delta(t.hits, prev.hits);
    c.app_misses = Delta(t.misses, prev.misses);
    c.app_loads = Delta(t.loads, prev.loads);
    c.app_coalesced = Delta(t.coalesced, prev.coalesced);
    c.app_lock_waits = Delta(t.lock_waits, prev.lock_waits);
    c.app_stale = Delta(t.stale, prev.stale);
    c.app_reported =
        c.app_hits + c.app_misses + c.app_loads + c.app_coalesced + c.app_lock_waits + c.app_stale >
        0;
    prev = t;
  }
}

void LiveSource::GatherKeyedLoads(TickInput& in) {
  if (!s_.app) {
    return;
  }
  const std::vector<ingest::KeyCounts> drained = s_.app->DrainKeyTable();
  const std::vector<std::string> names = s_.app->ClassNames();
  std::map<std::string, KeyLoads> second;
  std::size_t kept = 0;
  for (const ingest::KeyCounts& k : drained) {
    if (k.loads <= 0 || k.class_index >= names.size()) {
      continue;
    }
    if (kept == kMaxKeyedPerSecond) {
      ++keyed_overflow_;
      continue;
    }
    second[names[k.class_index]][k.key_hash] += k.loads;
    ++kept;
  }
  keyed_.push_back(std::move(second));
  if (keyed_.size() > kKeyWindowSeconds) {
    keyed_.pop_front();
  }
  std::map<std::string, KeyLoads> window;
  for (const auto& s : keyed_) {
    for (const auto& [name, loads] : s) {
      KeyLoads& w = window[name];
      for (const auto& [hash, n] : loads) {
        w[hash] += n;
      }
    }
  }
  for (const auto& [name, loads] : window) {
    KeyEvidence& keys = in.keys[name];
    keys.app_keys = true;
    keys.distinct_loaded_keys = static_cast<double>(loads.size());
    for (const auto& [hash, n] : loads) {
      keys.keyed_loads += n;
      if (n > keys.max_loads_per_key) {
        keys.max_loads_per_key = n;
        keys.max_loads_key_hash = hash;
      }
    }
  }
}

}  // namespace stampede::detect
