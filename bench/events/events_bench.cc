// Microbenchmarks: key classification and the per-event path (classify, count, track).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "classify/classifier.h"
#include "config/config_file.h"
#include "events/event_tally.h"
#include "events/key_tracker.h"

namespace stampede::events {
namespace {

classify::ClassesConfig ExampleClasses() {
  const auto file =
      config::LoadConfigFile(std::string(STAMPEDE_SOURCE_DIR) + "/examples/stampede.yml");
  return file.ok() ? file->classes : classify::ClassesConfig{};
}

// 64 prefix classes plus a few general globs: the worst realistic table.
classify::ClassesConfig WideClasses() {
  std::string yaml = "classes:\n";
  for (int i = 0; i < 60; ++i) {
    yaml += "  - {name: c" + std::to_string(i) + ", patterns: [\"svc" + std::to_string(i) +
            ":*\", \"svc" + std::to_string(i) + ":v2:*\"]}\n";
  }
  yaml += "  - {name: g1, patterns: [\"*:lock\", \"tmp:?:*\"]}\n";
  const auto file = config::ParseConfigText(yaml, "bench");
  return file.ok() ? file->classes : classify::ClassesConfig{};
}

std::vector<std::string> Keys(int n) {
  std::vector<std::string> keys;
  for (int i = 0; i < n; ++i) {
    switch (i % 4) {
      case 0:
        keys.push_back("user:" + std::to_string(i * 7919));
        break;
      case 1:
        keys.push_back("page:product:" + std::to_string(i));
        break;
      case 2:
        keys.push_back("svc" + std::to_string(i % 60) + ":v2:" + std::to_string(i));
        break;
      default:
        keys.push_back("key:" + std::to_string(100000000 + i));
        break;
    }
  }
  return keys;
}

void Classify(benchmark::State& state, const classify::ClassesConfig& config) {
  const classify::Classifier classifier(config);
  const std::vector<std::string> keys = Keys(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(classifier.Classify(keys[i++ & 4095]));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ClassifyExample(benchmark::State& state) { Classify(state, ExampleClasses()); }
BENCHMARK(BM_ClassifyExample);

void BM_ClassifyWide(benchmark::State& state) { Classify(state, WideClasses()); }
BENCHMARK(BM_ClassifyWide);

// One event through EventTally with the example classes and 65,536 distinct keys cycling.
void Event(benchmark::State& state, EventKind kind, bool shed) {
  const classify::Classifier classifier(ExampleClasses());
  KeyTracker tracker(TrackerOptions{}, classifier.size());
  EventTally tally(classifier, &tracker);
  const std::vector<std::string> keys = Keys(1 << 16);
  const auto now = SteadyClock::Instance().Now();
  std::size_t i = 0;
  for (auto _ : state) {
    tally.OnEvent(0, kind, keys[i++ & 0xffff], now, shed);
  }
  state.SetItemsProcessed(state.iterations());
}

// A keymiss: classify, count, invalidation join, top-K, HyperLogLog. Arg 1: tracked; 0: shed
// (count only).
void BM_KeymissEvent(benchmark::State& state) {
  Event(state, EventKind::kKeymiss, state.range(0) == 0);
}
BENCHMARK(BM_KeymissEvent)->Arg(1)->Arg(0);

// A del: classify, count, record in the invalidation table.
void BM_DelEvent(benchmark::State& state) { Event(state, EventKind::kDel, false); }
BENCHMARK(BM_DelEvent);

}  // namespace
}  // namespace stampede::events

BENCHMARK_MAIN();
