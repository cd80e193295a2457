#include "events/key_tracker.h"

#include <algorithm>

namespace stampede::events {

namespace {

// One Space-Saving counter: its node (80 B), its key allocation (<= 112 B), four index slots
// (64 B) and a bucket (24 B).
constexpr std::size_t kTopKEntryBytes = 280;

}  // namespace

std::size_t TrackerOptions::MaxBytes(std::size_t classes) const {
  const std::size_t per_class =
      2 * top_k * kTopKEntryBytes + hll_windows * ((std::size_t{1} << hll_precision) + 8);
  return classes * per_class + sketch::InvalidationTable::BytesFor(invalidation_capacity);
}

KeyTracker::ClassState::ClassState(const TrackerOptions& o)
    : current(o.top_k),
      previous(o.top_k),
      hll(o.hll_windows, sketch::HyperLogLog(o.hll_precision)),
      hll_epoch(o.hll_windows, -1) {}

KeyTracker::KeyTracker(TrackerOptions options, std::size_t classes)
    : options_(options),
      invalidations_(options.invalidation_capacity, options.invalidation_ttl),
      classes_(classes),
      misses_after_(classes) {
  flushes_.reserve(kMaxFlushes);
}

std::int64_t KeyTracker::Epoch(Clock::time_point now) const {
  const auto window = std::max<std::int64_t>(options_.window.count(), 1);
  return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() /
         window;
}

KeyTracker::ClassState& KeyTracker::State(std::uint16_t class_id, std::int64_t epoch) {
  std::unique_ptr<ClassState>& state = classes_[class_id];
  if (!state) {
    state = std::make_unique<ClassState>(options_);
  }
  // A late event from a window already rotated away (another node's thread stamped it a
  // moment earlier) counts in the current window rather than resetting it.
  if (epoch > state->epoch) {
    if (state->epoch == epoch - 1) {
      std::swap(state->current, state->previous);
    } else {
      state->previous.Clear();
    }
    state->current.Clear();
    state->epoch = epoch;
  }
  return *state;
}

const KeyTracker::ClassState* KeyTracker::Find(std::uint16_t class_id) const {
  return class_id < classes_.size() ? classes_[class_id].get() : nullptr;
}

void KeyTracker::OnInvalidation(std::uint64_t hash, sketch::Cause cause, std::uint16_t class_id,
                                Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  invalidations_.Record(hash, cause, class_id, now);
}

void KeyTracker::OnMiss(std::uint64_t hash, std::string_view key, std::uint16_t class_id,
                        Clock::time_point now) {
  if (class_id >= classes_.size() || options_.hll_windows == 0) {
    return;
  }
  const std::int64_t epoch = Epoch(now);
  std::lock_guard<std::mutex> lock(mu_);
  if (const std::optional<sketch::Invalidation> gone = invalidations_.OnMiss(hash, now)) {
    ++misses_after_[class_id][static_cast<std::size_t>(gone->cause)];
  }
  ClassState& state = State(class_id, epoch);
  state.current.Offer(hash, key);
  const std::size_t slot = static_cast<std::size_t>(epoch) % state.hll.size();
  if (state.hll_epoch[slot] < epoch) {
    state.hll[slot].Clear();
    state.hll_epoch[slot] = epoch;
  }
  if (state.hll_epoch[slot] == epoch) {
    state.hll[slot].Add(hash);
  }
}

void KeyTracker::OnRefill(std::uint64_t hash, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  invalidations_.OnRefill(hash, now);
}

void KeyTracker::OnFlush(int db, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (flushes_.size() == kMaxFlushes) {
    flushes_.erase(flushes_.begin());
  }
  flushes_.push_back({now, db});
}

std::optional<sketch::Invalidation> KeyTracker::RecentInvalidation(std::uint64_t hash, int db,
                                                                   Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<sketch::Invalidation> own = invalidations_.Find(hash, now);
  for (auto it = flushes_.rbegin(); it != flushes_.rend(); ++it) {
    if (now - it->at > options_.invalidation_ttl) {
      break;
    }
    if ((it->db == db || it->db == -1) && (!own || own->at < it->at)) {
      sketch::Invalidation flush;
      flush.at = it->at;
      flush.cause = sketch::Cause::kFlush;
      return flush;
    }
  }
  return own;
}

std::vector<sketch::SpaceSaving::Entry> KeyTracker::TopMissed(std::uint16_t class_id, std::size_t n,
                                                              bool previous,
                                                              Clock::time_point now) const {
  const std::int64_t epoch = Epoch(now);
  std::lock_guard<std::mutex> lock(mu_);
  const ClassState* state = Find(class_id);
  if (state == nullptr) {
    return {};
  }
  if (!previous) {
    return state->epoch == epoch ? state->current.Top(n)
                                 : std::vector<sketch::SpaceSaving::Entry>{};
  }
  if (state->epoch == epoch) {
    return state->previous.Top(n);
  }
  return state->epoch == epoch - 1 ? state->current.Top(n)
                                   : std::vector<sketch::SpaceSaving::Entry>{};
}

double KeyTracker::DistinctMissed(std::uint16_t class_id, std::size_t windows,
                                  Clock::time_point now) const {
  const std::int64_t epoch = Epoch(now);
  std::lock_guard<std::mutex> lock(mu_);
  const ClassState* state = Find(class_id);
  if (state == nullptr) {
    return 0;
  }
  sketch::HyperLogLog merged(options_.hll_precision);
  const auto span = static_cast<std::int64_t>(std::min(windows, state->hll.size()));
  for (std::size_t i = 0; i < state->hll.size(); ++i) {
    const std::int64_t e = state->hll_epoch[i];
    if (e >= 0 && e <= epoch && e > epoch - span) {
      merged.Merge(state->hll[i]);
    }
  }
  return merged.Estimate();
}

std::uint64_t KeyTracker::MissesAfter(std::uint16_t class_id, sketch::Cause cause) const {
  std::lock_guard<std::mutex> lock(mu_);
  return class_id < misses_after_.size() ? misses_after_[class_id][static_cast<std::size_t>(cause)]
                                         : 0;
}

std::vector<FlushRecord> KeyTracker::RecentFlushes(Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<FlushRecord> out;
  for (const FlushRecord& f : flushes_) {
    if (now - f.at <= options_.invalidation_ttl) {
      out.push_back(f);
    }
  }
  return out;
}

KeyTracker::Stats KeyTracker::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s;
  s.invalidation_overflow = invalidations_.overflow();
  s.bytes = invalidations_.bytes();
  for (const auto& c : classes_) {
    if (c) {
      s.bytes += (c->current.size() + c->previous.size()) * kTopKEntryBytes +
                 c->hll.size() * (c->hll.empty() ? 0 : c->hll[0].bytes());
    }
  }
  return s;
}

}  // namespace stampede::events
