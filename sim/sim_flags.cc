#include "sim_flags.h"

#include <charconv>
#include <cmath>
#include <sstream>

namespace stampede::sim {

namespace {

bool ParseDouble(std::string_view text, double& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out);
}

bool ParseUint(std::string_view text, std::uint64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool ParseBool(std::string_view text, bool& out) {
  if (text == "true" || text == "1") {
    out = true;
    return true;
  }
  if (text == "false" || text == "0") {
    out = false;
    return true;
  }
  return false;
}

// Applies one flag's value; false with `error` when the value is bad.
bool Apply(std::string_view name, const std::string& value, SimFlags& f, std::string& error) {
  const auto bad = [&](std::string_view want) {
    error = "--" + std::string(name) + ": want " + std::string(want) + ", got \"" + value + "\"";
    return false;
  };
  if (name == "scenario") {
    f.scenario = value;
  } else if (name == "scenarios.dir") {
    f.scenarios_dir = value;
  } else if (name == "strategy") {
    f.strategy = value;
  } else if (name == "time-scale") {
    if (!ParseDouble(value, f.time_scale) || f.time_scale <= 0 || f.time_scale > 10) {
      return bad("a number in (0, 10]");
    }
  } else if (name == "redis.addr") {
    f.redis_addr = value;
  } else if (name == "statsd.addr") {
    f.statsd_addr = value;
  } else if (name == "statsd.tier") {
    f.statsd_tier = value;
  } else if (name == "statsd.key-tags") {
    if (!ParseBool(value, f.statsd_key_tags)) {
      return bad("true or false");
    }
  } else if (name == "exporter.url") {
    f.exporter_url = value;
  } else if (name == "ingest.url") {
    f.ingest_url = value;
  } else if (name == "ingest.token-file") {
    f.ingest_token_file = value;
  } else if (name == "redis.restart-command") {
    f.restart_command = value;
  } else if (name == "summary-file") {
    f.summary_file = value;
  } else if (name == "seed") {
    if (!ParseUint(value, f.seed)) {
      return bad("a whole number");
    }
  } else if (name == "quiet" || name == "list" || name == "help" || name == "version") {
    bool& b = name == "quiet"  ? f.quiet
              : name == "list" ? f.list
              : name == "help" ? f.help
                               : f.version;
    if (!ParseBool(value, b)) {
      return bad("true or false");
    }
  } else {
    error = "unknown flag --" + std::string(name) + " (see --help)";
    return false;
  }
  return true;
}

const SimFlagInfo* Find(std::string_view name) {
  for (const SimFlagInfo& info : SimFlagTable()) {
    if (info.name == name) {
      return &info;
    }
  }
  return nullptr;
}

}  // namespace

const std::vector<SimFlagInfo>& SimFlagTable() {
  static const std::vector<SimFlagInfo> table = {
      {"scenario", "STAMPEDE_SIM_SCENARIO", "NAME|FILE",
       "the scenario to play: a name from --scenarios.dir or a .scn file"},
      {"scenarios.dir", "STAMPEDE_SIM_SCENARIOS_DIR", "DIR",
       "where scenario names are looked up (default: the repository's scenarios/)"},
      {"strategy", "STAMPEDE_SIM_STRATEGY", "NAME",
       "the application's protection: none, lock, single-flight, swr, xfetch, jitter "
       "(default: the scenario's)"},
      {"time-scale", "STAMPEDE_SIM_TIME_SCALE", "F",
       "multiply every time of the script by F (0.2: five times faster; default 1)"},
      {"redis.addr", "STAMPEDE_SIM_REDIS_ADDR", "HOST:PORT",
       "the Redis to play against (default 127.0.0.1:6379)"},
      {"redis.restart-command", "STAMPEDE_SIM_REDIS_RESTART_COMMAND", "CMD",
       "shell command that starts Redis again after `restart` (default: wait for a supervisor)"},
      {"statsd.addr", "STAMPEDE_SIM_STATSD_ADDR", "HOST:PORT",
       "where the application reports over DogStatsD/UDP (default 127.0.0.1:8125; off: none)"},
      {"statsd.tier", "STAMPEDE_SIM_STATSD_TIER", "NAME",
       "the `tier` tag of every report (default l1)"},
      {"statsd.key-tags", "STAMPEDE_SIM_STATSD_KEY_TAGS", "BOOL",
       "tag each report with its `key` (default true; false: class and tier only, as many apps "
       "report)"},
      {"exporter.url", "STAMPEDE_SIM_EXPORTER_URL", "URL",
       "the exporter's web address: wait until it is ready, then report what it said"},
      {"ingest.url", "STAMPEDE_SIM_INGEST_URL", "URL",
       "the exporter's ingest address, for `marker` events"},
      {"ingest.token-file", "STAMPEDE_SIM_INGEST_TOKEN_FILE", "FILE",
       "bearer token for the ingest API"},
      {"summary-file", "STAMPEDE_SIM_SUMMARY_FILE", "FILE",
       "also write the summary as name=value lines to FILE"},
      {"seed", "STAMPEDE_SIM_SEED", "N", "seed of every random choice (default 1)"},
      {"quiet", "STAMPEDE_SIM_QUIET", "", "no per-second table, only the summary"},
      {"list", "", "", "list the scenarios and exit"},
      {"help", "", "", "this text"},
      {"version", "", "", "version and git revision"},
  };
  return table;
}

bool ParseSimFlags(const std::vector<std::string>& args, const EnvLookup& env,
                   std::string_view default_scenarios_dir, SimFlags& flags, std::string& error) {
  flags.scenarios_dir = std::string(default_scenarios_dir);
  for (const SimFlagInfo& info : SimFlagTable()) {
    if (info.env.empty()) {
      continue;
    }
    if (const std::optional<std::string> v = env(std::string(info.env))) {
      if (!Apply(info.name, *v, flags, error)) {
        error = std::string(info.env) + ": " + error;
        return false;
      }
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "-h") {
      arg = "--help";
    }
    if (arg.substr(0, 2) != "--") {
      error = "unexpected argument \"" + std::string(arg) + "\" (flags start with --)";
      return false;
    }
    arg.remove_prefix(2);
    const std::size_t eq = arg.find('=');
    const std::string_view name = arg.substr(0, eq);
    const SimFlagInfo* info = Find(name);
    if (info == nullptr) {
      error = "unknown flag --" + std::string(name) + " (see --help)";
      return false;
    }
    std::string value;
    if (eq != std::string_view::npos) {
      value = std::string(arg.substr(eq + 1));
    } else if (info->placeholder.empty()) {
      value = "true";
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      error = "--" + std::string(name) + " needs a value (" + std::string(info->placeholder) + ")";
      return false;
    }
    if (!Apply(name, value, flags, error)) {
      return false;
    }
  }
  return true;
}

std::string SimUsage() {
  std::ostringstream out;
  out << "usage: stampede_sim --scenario NAME|FILE [flags]\n"
         "Plays a stampede scenario against a real Redis as a cache-aside application would,\n"
         "reporting to the exporter over StatsD; prints a row per second and a summary.\n\n";
  for (const SimFlagInfo& info : SimFlagTable()) {
    std::string left = "  --" + std::string(info.name);
    if (!info.placeholder.empty()) {
      left += " " + std::string(info.placeholder);
    }
    out << left << std::string(left.size() < 34 ? 34 - left.size() : 1, ' ') << info.help;
    if (!info.env.empty()) {
      out << " [$" << info.env << "]";
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace stampede::sim
