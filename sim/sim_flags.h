// stampede_sim's command line: flags in the exporter's style (`--group.name=value` or
// `--group.name value`), each with an environment twin STAMPEDE_SIM_<GROUP>_<NAME>. Pure:
// arguments and environment in, options or an error out.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::sim {

struct SimFlags {
  std::string scenario;  // a name (scenarios/<name>.scn) or a path
  std::string scenarios_dir;
  std::string strategy;  // empty: the scenario's
  double time_scale = 1.0;
  std::string redis_addr = "127.0.0.1:6379";
  std::string statsd_addr = "127.0.0.1:8125";  // empty or "off": no reports
  std::string statsd_tier = "l1";
  bool statsd_key_tags = true;
  std::string exporter_url;  // empty: do not ask an exporter
  std::string ingest_url;    // empty: markers are skipped
  std::string ingest_token_file;
  std::string restart_command;
  std::string summary_file;
  std::uint64_t seed = 1;
  bool quiet = false;  // no per-second table
  bool list = false;
  bool help = false;
  bool version = false;
};

/// One flag, for --help and the README.
struct SimFlagInfo {
  std::string_view name;  // without the leading "--"
  std::string_view env;
  std::string_view placeholder;  // empty: a switch
  std::string_view help;
};
const std::vector<SimFlagInfo>& SimFlagTable();

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// Environment first, then the arguments (arguments win). `default_scenarios_dir` is where
/// the repository's scenarios are. False with `error` set on an unknown flag, a missing or bad
/// value; `flags` then holds what was parsed so far.
bool ParseSimFlags(const std::vector<std::string>& args, const EnvLookup& env,
                   std::string_view default_scenarios_dir, SimFlags& flags, std::string& error);

/// The --help text.
std::string SimUsage();

}  // namespace stampede::sim
