// stampede_sim: plays a stampede scenario (scenarios/*.scn) against a real Redis as a
// cache-aside application would, reports to the exporter over StatsD, prints a row per second
// and a summary, and, with --exporter.url, what the exporter said about it.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "generated/version.h"
#include "report.h"
#include "runner.h"
#include "scenario/scenario_parser.h"
#include "sim_flags.h"

namespace {

using namespace stampede::sim;

std::atomic<bool> g_cancel{false};

extern "C" void OnSignal(int) { g_cancel.store(true); }

// "host:port" or "redis://host:port".
bool ParseRedisAddr(std::string text, RedisEndpoint& out, std::string& error) {
  if (text.rfind("redis://", 0) == 0) {
    text.erase(0, 8);
  }
  HttpTarget t;
  if (!ParseHttpTarget(text, t, error)) {
    error = "--redis.addr: want host:port, got \"" + text + "\"";
    return false;
  }
  out.host = t.host == "localhost" ? "127.0.0.1" : t.host;
  out.port = t.port;
  return true;
}

bool ReadToken(const std::string& path, std::string& token, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "--ingest.token-file: cannot read " + path;
    return false;
  }
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  return true;
}

// Everything the flags say, checked, into run options.
bool Options(const SimFlags& f, RunOptions& o, std::string& error) {
  if (!ParseRedisAddr(f.redis_addr, o.redis, error)) {
    return false;
  }
  if (!f.strategy.empty()) {
    o.strategy = ParseProtection(f.strategy);
    if (!o.strategy) {
      error = "--strategy: unknown strategy \"" + f.strategy +
              "\" (none, lock, single-flight, swr, xfetch, jitter)";
      return false;
    }
  }
  if (!f.statsd_addr.empty() && f.statsd_addr != "off") {
    HttpTarget t;
    if (!ParseHttpTarget(f.statsd_addr, t, error)) {
      error = "--statsd.addr: " + error;
      return false;
    }
    StatsdReporter::Options statsd;
    statsd.host = t.host == "localhost" ? "127.0.0.1" : t.host;
    statsd.port = t.port;
    statsd.tier = f.statsd_tier;
    o.statsd = statsd;
    o.report_keys = f.statsd_key_tags;
  }
  for (auto [url, target, name] : {std::tuple{&f.exporter_url, &o.exporter, "--exporter.url"},
                                   std::tuple{&f.ingest_url, &o.ingest, "--ingest.url"}}) {
    if (url->empty()) {
      continue;
    }
    HttpTarget t;
    if (!ParseHttpTarget(*url, t, error)) {
      error = std::string(name) + ": " + error;
      return false;
    }
    *target = t;
  }
  if (!f.ingest_token_file.empty() && !ReadToken(f.ingest_token_file, o.ingest_token, error)) {
    return false;
  }
  o.time_scale = f.time_scale;
  o.seed = f.seed;
  o.restart_command = f.restart_command;
  o.cancel = &g_cancel;
  return true;
}

int List(const std::string& dir) {
  for (const std::string& name : ListScenarios(dir)) {
    const ScenarioResult r = LoadScenario(ResolveScenarioPath(name, dir));
    std::cout << name;
    if (r.ok()) {
      std::cout << std::string(name.size() < 16 ? 16 - name.size() : 1, ' ')
                << r.scenario().description;
    } else {
      std::cout << "  (does not parse: " << r.error().ToString() << ")";
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  SimFlags flags;
  std::string error;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v == nullptr ? std::nullopt : std::optional<std::string>(v);
  };
  if (!ParseSimFlags(args, env, STAMPEDE_SCENARIOS_DIR, flags, error)) {
    std::cerr << "stampede_sim: " << error << "\n";
    return 2;
  }
  if (flags.help) {
    std::cout << SimUsage();
    return 0;
  }
  if (flags.version) {
    std::cout << "stampede_sim " << stampede::kVersion << " (revision " << stampede::kRevision
              << ")\n";
    return 0;
  }
  if (flags.list) {
    return List(flags.scenarios_dir);
  }
  if (flags.scenario.empty()) {
    std::cerr << "stampede_sim: --scenario is required (--list shows them)\n";
    return 2;
  }
  const ScenarioResult loaded =
      LoadScenario(ResolveScenarioPath(flags.scenario, flags.scenarios_dir));
  if (!loaded.ok()) {
    std::cerr << "stampede_sim: " << loaded.error().ToString() << "\n";
    return 2;
  }
  const Scenario& scenario = loaded.scenario();
  RunOptions options;
  if (!Options(flags, options, error)) {
    std::cerr << "stampede_sim: " << error << "\n";
    return 2;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);

  std::cout << "scenario " << scenario.name << ": " << scenario.description << "\n"
            << "  redis " << options.redis.host << ":" << options.redis.port << ", strategy "
            << (options.strategy ? ProtectionName(*options.strategy) : scenario.strategy)
            << ", time scale " << flags.time_scale
            << (options.exporter ? ", exporter " + flags.exporter_url : std::string()) << "\n";
  if (options.exporter) {
    std::cout << "  waiting for the exporter to be ready ...\n" << std::flush;
  }
  bool header = false;
  const RunResult result = RunScenario(scenario, options, [&](const SecondRow& row) {
    if (flags.quiet) {
      return;
    }
    if (!header) {
      std::cout << RowHeader() << "\n";
      header = true;
    }
    std::cout << FormatRow(row) << std::endl;
  });
  if (!result.ok) {
    std::cerr << "stampede_sim: " << result.error << "\n";
    return 1;
  }
  std::cout << "\n" << FormatSummary(result.summary);
  if (!flags.summary_file.empty()) {
    std::ofstream out(flags.summary_file);
    out << SummaryLines(result.summary);
    if (!out) {
      std::cerr << "stampede_sim: cannot write " << flags.summary_file << "\n";
      return 1;
    }
  }
  return result.summary.cancelled ? 130 : 0;
}
