// scenario_quality: runs each detection scenario many times with randomized timing (seeded)
// and prints how well the sidecar did: recall and detection latency on the positives, false
// `stampede` alarms on the look-alikes (research/stampede-detection.md §4.1).
//
//   scenario_quality [--runs N] [--seed S] [--only name,name] [--verbose]
//
// --verbose prints every run's outcome (incidents, timelines, the sidecar's log) to stderr.
//
// Not part of the default test run (label benchmark): a full run takes about 6 × N × 25 s.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "scenarios.h"

namespace stampede::scenarios {
namespace {

struct Score {
  std::string name;
  bool positive = false;
  int runs = 0;
  int errors = 0;
  int hits = 0;             // positives: detected as the scenario requires
  int false_stampedes = 0;  // negatives: runs with a stampede verdict
  int expected_signal = 0;  // the signal each scenario should show (see Expected())
  std::vector<double> latencies;
  std::vector<double> extra;          // expiry: lead before the cliff; restart: time to clear blind
  std::map<std::string, int> raised;  // "class/indicator" → runs in which it was raised
  std::map<std::string, int> incidents;  // "class level cause=..." → incidents over all runs
};

struct Scenario {
  std::string name;
  std::function<Outcome(std::uint64_t seed)> run;
  std::string expected_signal;  // what `expected_signal` counts, for the table's legend
  std::string extra;            // what `extra` holds
};

// Whether a positive run found what it must: the verdict, the cause and the key.
bool Detected(const Outcome& o) {
  if (o.scenario == "celebrity") {
    const IncidentSummary* i = o.FindIncident("user_profile", "stampede");
    return i != nullptr && i->cause == "del" && i->cause_key == "user:42" &&
           o.latency_seconds.has_value();
  }
  if (o.scenario == "expiry") {
    return o.lead_seconds && *o.lead_seconds > 0 && o.latency_seconds;
  }
  return false;
}

// The signal each scenario is expected to show besides its verdict.
bool ExpectedSignal(const Outcome& o) {
  if (o.scenario == "celebrity") {
    return o.latency_seconds && *o.latency_seconds <= 3.0;
  }
  if (o.scenario == "expiry") {
    return o.latency_seconds && *o.latency_seconds <= 5.0;
  }
  if (o.scenario == "purge") {
    return o.Detections("invalidation_burst", "user_profile", "", "true") >= 1;
  }
  if (o.scenario == "lock_polling") {
    return o.verdicts_seen.count("lock/herd_risk") > 0;
  }
  if (o.scenario == "surge") {
    return o.raised_seen.empty() && o.indicator_series_raised.empty() && o.detections.empty();
  }
  if (o.scenario == "restart") {
    return o.latency_seconds.has_value() && o.cleared_seconds.has_value();
  }
  return false;
}

std::optional<double> Extra(const Outcome& o) {
  if (o.scenario == "expiry") {
    return o.lead_seconds;
  }
  if (o.scenario == "restart") {
    return o.cleared_seconds;
  }
  return std::nullopt;
}

// Nearest rank.
std::string Percentile(std::vector<double> v, double q) {
  if (v.empty()) {
    return "-";
  }
  std::sort(v.begin(), v.end());
  const auto rank =
      static_cast<std::size_t>(std::max(1.0, std::ceil(q * static_cast<double>(v.size()))));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", v[std::min(rank, v.size()) - 1]);
  return buf;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

int Main(int argc, char** argv) {
  int runs = 10;
  std::uint64_t seed = 1;
  std::vector<std::string> only;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "scenario_quality: " << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--runs") {
      runs = std::max(1, std::atoi(value().c_str()));
    } else if (arg == "--seed") {
      seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--only") {
      only = Split(value());
    } else if (arg == "--verbose") {
      verbose = true;
    } else {
      std::cerr << "usage: scenario_quality [--runs N] [--seed S] [--only name,name] "
                   "[--verbose]\n";
      return 2;
    }
  }
  const std::vector<Scenario> scenarios = {
      {"celebrity", [](std::uint64_t s) { return RunCelebrity(CelebrityParams::Random(s)); },
       "stampede verdict <= 3 s", ""},
      {"expiry", [](std::uint64_t s) { return RunExpiry(ExpiryParams::Random(s)); },
       "synchronized_expiry <= 5 s", "predicted ahead (p50)"},
      {"purge", [](std::uint64_t s) { return RunPurge(PurgeParams::Random(s)); },
       "invalidation_burst expected=true", ""},
      {"lock_polling", [](std::uint64_t s) { return RunLockPolling(LockPollingParams::Random(s)); },
       "herd_risk on class lock", ""},
      {"surge", [](std::uint64_t s) { return RunSurge(SurgeParams::Random(s)); },
       "no indicator at all", ""},
      {"restart", [](std::uint64_t s) { return RunRestart(RestartParams::Random(s)); },
       "blind raised, then cleared", "blind cleared after (p50)"},
  };
  std::vector<Score> scores;
  for (const Scenario& sc : scenarios) {
    if (!only.empty() && std::find(only.begin(), only.end(), sc.name) == only.end()) {
      continue;
    }
    Score score;
    score.name = sc.name;
    for (int r = 0; r < runs; ++r) {
      const std::uint64_t run_seed = seed * 1000 + static_cast<std::uint64_t>(r);
      const Outcome o = sc.run(run_seed);
      score.positive = o.positive;
      ++score.runs;
      std::string verdict;
      if (!o.error.empty()) {
        ++score.errors;
        verdict = "ERROR " + o.error;
      } else {
        const bool hit = o.positive ? Detected(o) : false;
        const bool false_alarm = !o.positive && o.StampedeSeen();
        score.hits += hit ? 1 : 0;
        score.false_stampedes += false_alarm ? 1 : 0;
        score.expected_signal += ExpectedSignal(o) ? 1 : 0;
        if (o.latency_seconds && (!o.positive || hit)) {
          score.latencies.push_back(*o.latency_seconds);
        }
        if (const auto e = Extra(o)) {
          score.extra.push_back(*e);
        }
        for (const std::string& key : o.raised_seen) {
          ++score.raised[key];
        }
        for (const IncidentSummary& i : o.incidents) {
          ++score.incidents[i.class_name + " " + i.level + " cause=" + i.cause +
                            (i.cause_key.empty() ? "" : " key=" + i.cause_key) +
                            (i.expected ? " expected" : "")];
        }
        verdict = o.positive ? (hit ? "detected" : "MISSED")
                             : (false_alarm ? "FALSE STAMPEDE" : "no stampede");
        if (o.latency_seconds) {
          char buf[48];
          std::snprintf(buf, sizeof buf, " latency=%.2fs", *o.latency_seconds);
          verdict += buf;
        }
        verdict += ExpectedSignal(o) ? " signal=ok" : " signal=missing";
        if (verbose) {
          std::cerr << o.Describe() << "\n";
        }
      }
      std::cerr << sc.name << " run " << (r + 1) << "/" << runs << " seed=" << run_seed << ": "
                << verdict << "\n";
    }
    scores.push_back(score);
  }

  std::printf("\n%-13s %-8s %4s %6s  %-26s %-36s %10s %10s  %s\n", "scenario", "kind", "runs",
              "errors", "recall / false stampede", "expected signal", "lat p50", "lat p95",
              "notes");
  for (const Score& s : scores) {
    const Scenario& sc = *std::find_if(scenarios.begin(), scenarios.end(),
                                       [&](const Scenario& x) { return x.name == s.name; });
    const int valid = s.runs - s.errors;
    char result[64];
    if (s.positive) {
      std::snprintf(result, sizeof result, "recall %d/%d = %.2f", s.hits, valid,
                    valid > 0 ? static_cast<double>(s.hits) / valid : 0.0);
    } else {
      std::snprintf(result, sizeof result, "false stampede %d/%d", s.false_stampedes, valid);
    }
    char signal[96];
    std::snprintf(signal, sizeof signal, "%d/%d %s", s.expected_signal, valid,
                  sc.expected_signal.c_str());
    std::string notes;
    if (!sc.extra.empty() && !s.extra.empty()) {
      notes = sc.extra + " " + Percentile(s.extra, 0.5);
    }
    std::printf("%-13s %-8s %4d %6d  %-26s %-36s %10s %10s  %s\n", s.name.c_str(),
                s.positive ? "positive" : "negative", s.runs, s.errors, result, signal,
                Percentile(s.latencies, 0.5).c_str(), Percentile(s.latencies, 0.95).c_str(),
                notes.c_str());
  }
  std::printf(
      "\nwhat the sidecar said, per scenario (indicators: runs raised; incidents: count)\n");
  for (const Score& s : scores) {
    std::printf("%-13s indicators:", s.name.c_str());
    for (const auto& [key, n] : s.raised) {
      std::printf(" %s×%d", key.c_str(), n);
    }
    std::printf("\n%-13s incidents: ", "");
    for (const auto& [key, n] : s.incidents) {
      std::printf(" [%s]×%d", key.c_str(), n);
    }
    std::printf("\n");
  }
  std::printf(
      "\nlatency: positives from the injected onset (spike start; expiry cliff) to the stampede "
      "verdict / synchronized_expiry;\n         purge: to invalidation_burst; restart: to "
      "blind. Onsets are the driver's wall clock; the sidecar never reads them.\n");
  return 0;
}

}  // namespace
}  // namespace stampede::scenarios

int main(int argc, char** argv) { return stampede::scenarios::Main(argc, argv); }
