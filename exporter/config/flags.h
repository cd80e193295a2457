// Command-line flags and their STAMPEDE_* environment twins: one table drives parsing,
// validation and --help.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "config/detect_config.h"
#include "config/events_config.h"
#include "config/ingest_config.h"
#include "redis/address.h"

namespace stampede::config {

/// Everything the process is configured with. A plain value: thread-compatible.
struct Config {
  redis::Address redis_addr;        // --redis.addr
  std::string redis_user;           // --redis.user (overrides a user in the URL)
  std::string redis_password_file;  // --redis.password-file
  std::chrono::milliseconds redis_connect_timeout{2000};  // --redis.connect-timeout
  std::chrono::milliseconds info_interval{1000};          // --info.interval
  std::string web_listen_address = ":9912";               // --web.listen-address
  std::string web_telemetry_path = "/metrics";            // --web.telemetry-path
  std::string web_config_file;                            // --web.config.file
  std::size_t web_max_header_bytes = 16384;               // --web.max-header-bytes
  std::chrono::milliseconds web_read_timeout{10000};      // --web.read-timeout
  LogLevel log_level = LogLevel::kInfo;                   // --log.level
  LogFormat log_format = LogFormat::kLogfmt;              // --log.format
  std::string config_file;                                // --config.file
  EventsConfig events;                                    // events_flags.cc
  IngestConfig ingest;                                    // ingest_flags.cc
  DetectConfig detect;                                    // detect_flags.cc
  bool show_help = false;                                 // --help / -h
  bool show_version = false;                              // --version
};

/// One flag: its name without dashes, its env twin, the default shown in --help, the help text.
struct FlagInfo {
  std::string_view name;
  std::string_view env;
  std::string_view default_value;
  std::string_view help;
};

/// The flag table, in --help order (help and version last).
const std::vector<FlagInfo>& Flags();

/// Looks an environment variable up; returns nullopt when unset. Injected so parsing is pure.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// Parses argv (without argv[0]) over the environment: defaults < env twin < flag.
/// Accepts `--name=value` and `--name value`; `-h` is --help. On the first bad or unknown flag
/// returns an error of one line that names the flag (or env variable) and the problem, e.g.
/// `--info.interval: invalid duration "abc" (want e.g. 1s, 500ms, 1m30s)`.
Result<Config> ParseFlags(const std::vector<std::string>& args, const EnvLookup& env);

/// The text --help prints: usage line, then each flag with its env twin and default.
std::string HelpText(std::string_view program);

/// The password to AUTH with, from (in order) --redis.password-file, the
/// STAMPEDE_REDIS_PASSWORD environment variable, or the URL. Trailing newlines in the file are
/// dropped. An unreadable file is an error naming the file (never its content).
Result<std::string> ResolvePassword(const Config& config, const EnvLookup& env);

/// The environment variable that carries the password (not a flag on purpose: argv is visible
/// to every user of the machine).
inline constexpr std::string_view kPasswordEnv = "STAMPEDE_REDIS_PASSWORD";

}  // namespace stampede::config
