#include "events/event_tally.h"

#include "sketch/key_hash.h"

namespace stampede::events {

namespace {

// One writer: a plain load and store, which readers on other threads see whole.
void Bump(std::atomic<std::uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace

EventTally::EventTally(const classify::Classifier& classifier, KeyTracker* tracker,
                       std::uint64_t key_seed)
    : classifier_(classifier),
      tracker_(tracker),
      key_seed_(key_seed),
      counts_(new Row[classifier.size()]) {
  for (std::size_t i = 0; i < classifier.size(); ++i) {
    for (auto& c : counts_[i]) {
      c.store(0, std::memory_order_relaxed);
    }
  }
}

void EventTally::OnEvent(int db, EventKind kind, std::string_view key, Clock::time_point now,
                         bool shed) {
  const classify::ClassId id = classifier_.Classify(key);
  Bump(counts_[id][static_cast<std::size_t>(kind)]);
  if (id == classifier_.other()) {
    Bump(class_overflow_);
  }
  if (tracker_ == nullptr) {
    return;
  }
  if (shed) {
    Bump(shed_);
    return;
  }
  const std::uint64_t hash = sketch::KeyHash(key, db, key_seed_);
  switch (kind) {
    case EventKind::kDel:
      tracker_->OnInvalidation(hash, sketch::Cause::kDel, id, now);
      break;
    case EventKind::kExpired:
      tracker_->OnInvalidation(hash, sketch::Cause::kExpired, id, now);
      break;
    case EventKind::kEvicted:
      tracker_->OnInvalidation(hash, sketch::Cause::kEvicted, id, now);
      break;
    case EventKind::kKeymiss:
      tracker_->OnMiss(hash, key, id, now);
      break;
    case EventKind::kNew:
      tracker_->OnRefill(hash, now);
      break;
  }
}

}  // namespace stampede::events
