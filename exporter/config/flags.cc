#include "config/flags.h"

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/duration.h"
#include "common/text.h"
#include "config/flag_table.h"

namespace stampede::config {

namespace {

using std::chrono::milliseconds;

// A password file larger than this is surely the wrong file (think /dev/zero).
constexpr std::size_t kMaxPasswordFileBytes = 64 * 1024;
// --help wraps its text to this many columns.
constexpr std::size_t kHelpColumns = 96;
constexpr std::string_view kHelpIndent = "      ";

bool IsAlnum(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// ---- Value checks used by the setters. Their messages do not name the flag: ParseFlags
// prefixes the flag (or environment variable) the value came from.

Result<milliseconds> DurationInRange(std::string_view value, milliseconds min, bool min_inclusive,
                                     milliseconds max) {
  Result<milliseconds> d = ParseDuration(value);
  if (!d.ok()) {
    return d;
  }
  const bool too_small = min_inclusive ? *d < min : *d <= min;
  if (too_small || *d > max) {
    return Status::Error("must be " + std::string(min_inclusive ? "at least " : "more than ") +
                         FormatDuration(min) + " and at most " + FormatDuration(max) + ", got " +
                         FormatDuration(*d));
  }
  return d;
}

// Dotted-quad: four decimal parts of 0..255.
bool IsIpv4Literal(std::string_view host) {
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    const std::string_view part = host.substr(start, dot - start);
    if (part.empty() || part.size() > 3) {
      return false;
    }
    int value = 0;
    for (const char c : part) {
      if (!IsAsciiDigit(c)) {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    if (value > 255) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return parts == 4;
}

// Dot-separated non-empty labels of letters, digits, '-' and '_'.
bool IsHostName(std::string_view host) {
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    const std::string_view label = host.substr(start, dot - start);
    if (label.empty()) {
      return false;
    }
    for (const char c : label) {
      if (!IsAlnum(c) && c != '-' && c != '_') {
        return false;
      }
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    start = dot + 1;
  }
}

Status CheckListenAddress(std::string_view value) {
  const std::string want = " (want [host]:port, e.g. :9912 or 127.0.0.1:9912)";
  if (!value.empty() && value.front() == '[') {
    return Status::Error("IPv6 listen addresses such as " + QuoteForMessage(value) +
                         " are not supported by the HTTP server; use an IPv4 address or a host "
                         "name, e.g. 0.0.0.0:9912");
  }
  const std::size_t colon = value.rfind(':');
  if (colon == std::string_view::npos) {
    return Status::Error("invalid listen address " + QuoteForMessage(value) + want);
  }
  const std::string_view host = value.substr(0, colon);
  const std::string_view port = value.substr(colon + 1);
  if (host.find(':') != std::string_view::npos) {
    return Status::Error("IPv6 listen addresses such as " + QuoteForMessage(value) +
                         " are not supported by the HTTP server; use an IPv4 address or a host "
                         "name, e.g. 0.0.0.0:9912");
  }
  bool all_digits_and_dots = !host.empty();
  for (const char c : host) {
    all_digits_and_dots = all_digits_and_dots && (IsAsciiDigit(c) || c == '.');
  }
  if (!host.empty() && (all_digits_and_dots ? !IsIpv4Literal(host) : !IsHostName(host))) {
    return Status::Error("invalid host " + QuoteForMessage(host) + " in listen address " +
                         QuoteForMessage(value) + want);
  }
  if (port.empty()) {
    return Status::Error("missing port in listen address " + QuoteForMessage(value) + want);
  }
  int number = 0;
  for (const char c : port) {
    if (!IsAsciiDigit(c)) {
      return Status::Error("port " + QuoteForMessage(port) + " is not a number" + want);
    }
    if (number <= 65535) {
      number = number * 10 + (c - '0');
    }
  }
  if (number > 65535) {
    return Status::Error("port " + QuoteForMessage(port) + " is out of range 0..65535");
  }
  return Status::Ok();
}

Status CheckTelemetryPath(std::string_view value) {
  if (value.empty() || value.front() != '/') {
    return Status::Error("must start with '/', got " + QuoteForMessage(value));
  }
  if (value == "/") {
    return Status::Error("\"/\" is the landing page; pick another path, e.g. /metrics");
  }
  if (value == "/-/healthy" || value == "/-/ready") {
    return Status::Error(QuoteForMessage(value) + " is reserved for health checks");
  }
  for (const char c : value) {
    if (IsAsciiControl(c) || c == ' ' || c == '?' || c == '#') {
      return Status::Error("must be a plain path without spaces, '?' or '#', got " +
                           QuoteForMessage(value));
    }
  }
  return Status::Ok();
}

// ---- The flag table: the core flags here, each area's in its own file (flag_table.h).

// The web server's security and limits (TLS and basic auth come from --web.config.file).
void AddWebFlags(std::vector<FlagDef>& table) {
  table.insert(
      table.end(),
      {
          {{"web.config.file", "STAMPEDE_WEB_CONFIG_FILE", "",
            "YAML file enabling TLS and/or basic auth on the web server, in the format of "
            "Prometheus exporter-toolkit (see README, examples/web-config.yml). Relative "
            "certificate paths are relative to the file. Empty: plain HTTP, no auth."},
           true,
           [](Config& c, std::string_view v) {
             c.web_config_file = std::string(v);
             return Status::Ok();
           }},
          {{"web.max-header-bytes", "STAMPEDE_WEB_MAX_HEADER_BYTES", "16384",
            "Largest request line plus headers the web server accepts, in bytes; at least 1024 "
            "and at most 1048576. Larger requests are refused."},
           true,
           [](Config& c, std::string_view v) {
             Result<std::size_t> n = FlagCount(v, 1024, 1 << 20);
             if (!n.ok()) {
               return n.status();
             }
             c.web_max_header_bytes = *n;
             return Status::Ok();
           }},
          {{"web.read-timeout", "STAMPEDE_WEB_READ_TIMEOUT", "10s",
            "Time a client has to send a whole request (line, headers and body) before the web "
            "server closes the connection; at least 100ms and at most 5m."},
           true,
           [](Config& c, std::string_view v) {
             Result<milliseconds> d =
                 DurationInRange(v, milliseconds(100), true, std::chrono::minutes(5));
             if (!d.ok()) {
               return d.status();
             }
             c.web_read_timeout = *d;
             return Status::Ok();
           }},
      });
}

const std::vector<FlagDef>& Table() {
  static const std::vector<FlagDef> table = [] {
    std::vector<FlagDef> t;
    AddCoreFlags(t);
    AddWebFlags(t);
    AddEventsFlags(t);
    AddIngestFlags(t);
    AddDetectFlags(t);
    t.insert(t.end(), {
                          {{"help", "", "", "Show this help and exit."},
                           false,
                           [](Config& c, std::string_view) {
                             c.show_help = true;
                             return Status::Ok();
                           }},
                          {{"version", "", "", "Show the version and exit."},
                           false,
                           [](Config& c, std::string_view) {
                             c.show_version = true;
                             return Status::Ok();
                           }},
                      });
    return t;
  }();
  return table;
}

const FlagDef* FindFlag(std::string_view name) {
  for (const FlagDef& def : Table()) {
    if (def.info.name == name) {
      return &def;
    }
  }
  return nullptr;
}

std::string FlagName(const FlagDef& def) { return "--" + std::string(def.info.name); }

Status UnknownFlag(std::string_view dashes, std::string_view name) {
  std::string message = "unknown flag " + EscapeControl(std::string(dashes) + std::string(name));
  if (name == "redis.password") {
    message += " (the password is not a flag: use --redis.password-file or " +
               std::string(kPasswordEnv) + ")";
  } else {
    message += " (see --help)";
  }
  return Status::Error(std::move(message));
}

// Appends `text` word-wrapped to kHelpColumns, each line starting with kHelpIndent.
void AppendWrapped(std::string& out, const std::vector<std::string_view>& words) {
  std::size_t column = 0;
  for (const std::string_view word : words) {
    if (column != 0 && column + 1 + word.size() > kHelpColumns) {
      out += '\n';
      column = 0;
    }
    if (column == 0) {
      out += kHelpIndent;
      column = kHelpIndent.size();
    } else {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
  }
  if (column != 0) {
    out += '\n';
  }
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t space = text.find(' ', start);
    const std::size_t end = space == std::string_view::npos ? text.size() : space;
    if (end > start) {
      words.push_back(text.substr(start, end - start));
    }
    start = end + 1;
  }
  return words;
}

}  // namespace

void AddCoreFlags(std::vector<FlagDef>& table) {
  table.insert(
      table.end(),
      {
          {{"redis.addr", "STAMPEDE_REDIS_ADDR", "redis://127.0.0.1:6379",
            "The Redis to export: redis://[user[:password]@]host[:port], host[:port] or "
            "unix:///path/to/redis.sock. IPv6 in brackets: redis://[::1]:6379. Prefer "
            "--redis.password-file or STAMPEDE_REDIS_PASSWORD to a password in the URL."},
           true,
           [](Config& c, std::string_view v) {
             Result<redis::Address> address = redis::ParseAddress(v);
             if (!address.ok()) {
               return address.status();
             }
             c.redis_addr = std::move(address).value();
             return Status::Ok();
           }},
          {{"redis.user", "STAMPEDE_REDIS_USER", "",
            "ACL user to authenticate as (Redis 6+); overrides a user given in --redis.addr."},
           true,
           [](Config& c, std::string_view v) {
             c.redis_user = std::string(v);
             return Status::Ok();
           }},
          {{"redis.password-file", "STAMPEDE_REDIS_PASSWORD_FILE", "",
            "File holding the password to authenticate with (trailing newlines are dropped). Or "
            "set "
            "the password in the STAMPEDE_REDIS_PASSWORD environment variable: it is never a flag, "
            "since every user of the machine can read the command line."},
           true,
           [](Config& c, std::string_view v) {
             c.redis_password_file = std::string(v);
             return Status::Ok();
           }},
          {{"redis.connect-timeout", "STAMPEDE_REDIS_CONNECT_TIMEOUT", "2s",
            "Timeout for connecting and authenticating to Redis; more than 0 and at most 1m."},
           true,
           [](Config& c, std::string_view v) {
             Result<milliseconds> d =
                 DurationInRange(v, milliseconds(0), false, std::chrono::minutes(1));
             if (!d.ok()) {
               return d.status();
             }
             c.redis_connect_timeout = *d;
             return Status::Ok();
           }},
          {{"info.interval", "STAMPEDE_INFO_INTERVAL", "1s",
            "How often to sample INFO from Redis; at least 100ms and at most 1h."},
           true,
           [](Config& c, std::string_view v) {
             Result<milliseconds> d =
                 DurationInRange(v, milliseconds(100), true, std::chrono::hours(1));
             if (!d.ok()) {
               return d.status();
             }
             c.info_interval = *d;
             return Status::Ok();
           }},
          {{"web.listen-address", "STAMPEDE_WEB_LISTEN_ADDRESS", ":9912",
            "[host]:port to serve HTTP on. The host is empty (all interfaces), an IPv4 address or "
            "a "
            "name; IPv6 is not supported. Port 0 picks a free port."},
           true,
           [](Config& c, std::string_view v) {
             Status status = CheckListenAddress(v);
             if (status.ok()) {
               c.web_listen_address = std::string(v);
             }
             return status;
           }},
          {{"web.telemetry-path", "STAMPEDE_WEB_TELEMETRY_PATH", "/metrics",
            "Path under which to expose metrics."},
           true,
           [](Config& c, std::string_view v) {
             Status status = CheckTelemetryPath(v);
             if (status.ok()) {
               c.web_telemetry_path = std::string(v);
             }
             return status;
           }},
          {{"log.level", "STAMPEDE_LOG_LEVEL", "info",
            "Only log events at this level or above: debug, info, warn or error."},
           true,
           [](Config& c, std::string_view v) {
             Result<LogLevel> level = ParseLogLevel(v);
             if (!level.ok()) {
               return level.status();
             }
             c.log_level = *level;
             return Status::Ok();
           }},
          {{"log.format", "STAMPEDE_LOG_FORMAT", "logfmt", "Log line format: logfmt or json."},
           true,
           [](Config& c, std::string_view v) {
             Result<LogFormat> format = ParseLogFormat(v);
             if (!format.ok()) {
               return format.status();
             }
             c.log_format = *format;
             return Status::Ok();
           }},
          {{"config.file", "STAMPEDE_CONFIG_FILE", "",
            "YAML file with key classes and StatsD name mappings (see README, "
            "examples/stampede.yml). Empty: built-in defaults."},
           true,
           [](Config& c, std::string_view v) {
             c.config_file = std::string(v);
             return Status::Ok();
           }},
      });
}

Result<std::chrono::milliseconds> FlagDuration(std::string_view value,
                                               std::chrono::milliseconds min, bool min_inclusive,
                                               std::chrono::milliseconds max) {
  return DurationInRange(value, min, min_inclusive, max);
}

Status FlagListenAddress(std::string_view value) { return CheckListenAddress(value); }

std::string FlagQuote(std::string_view value) { return QuoteForMessage(value); }

Result<bool> FlagBool(std::string_view value) {
  if (value == "true" || value == "1") {
    return true;
  }
  if (value == "false" || value == "0") {
    return false;
  }
  return Status::Error("want true or false, got " + FlagQuote(value));
}

Result<std::size_t> FlagCount(std::string_view value, std::size_t min, std::size_t max) {
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
    return Status::Error("want a whole number, got " + FlagQuote(value));
  }
  if (n < min || n > max) {
    return Status::Error("must be between " + std::to_string(min) + " and " + std::to_string(max) +
                         ", got " + std::to_string(n));
  }
  return n;
}

const std::vector<FlagInfo>& Flags() {
  static const std::vector<FlagInfo> flags = [] {
    std::vector<FlagInfo> infos;
    for (const FlagDef& def : Table()) {
      infos.push_back(def.info);
    }
    return infos;
  }();
  return flags;
}

Result<Config> ParseFlags(const std::vector<std::string>& args, const EnvLookup& env) {
  Config config;
  // Defaults come from the table, so --help never disagrees with what happens.
  for (const FlagDef& def : Table()) {
    if (def.takes_value || !def.info.default_value.empty()) {
      if (Status status = def.set(config, def.info.default_value); !status.ok()) {
        return Status::Error(FlagName(def) + ": bad default: " + status.message());
      }
    }
  }

  // The command line, checked for shape before anything is applied.
  struct Setting {
    const FlagDef* def;
    std::string_view value;
  };
  std::vector<Setting> settings;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-h") {
      settings.push_back({FindFlag("help"), {}});
      continue;
    }
    if (!arg.starts_with("--") || arg == "--") {
      if (arg.size() > 1 && arg.front() == '-' && arg != "--") {
        return UnknownFlag("-", arg.substr(1, arg.find('=') - 1));
      }
      return Status::Error("unexpected argument " + QuoteForMessage(arg) +
                           " (only --flags are accepted; see --help)");
    }
    const std::string_view body = arg.substr(2);
    const std::size_t eq = body.find('=');
    const std::string_view name = body.substr(0, eq);
    const FlagDef* def = FindFlag(name);
    if (def == nullptr) {
      return UnknownFlag("--", name);
    }
    if (!def->takes_value) {
      // A switch. One with an env twin (a setting, not an action like --help) also takes
      // `--name=true|false`, so a command line can turn off what the environment turned on.
      if (eq != std::string_view::npos) {
        if (def->info.env.empty()) {
          return Status::Error(FlagName(*def) + ": takes no value");
        }
        settings.push_back({def, body.substr(eq + 1)});
      } else {
        settings.push_back({def, def->info.env.empty() ? std::string_view() : "true"});
      }
      continue;
    }
    if (eq != std::string_view::npos) {
      settings.push_back({def, body.substr(eq + 1)});
      continue;
    }
    // `--name value`. A following "--flag" is not taken as the value: `--redis.addr --help`
    // is far more likely a forgotten value than an address. Use `--name=--x` for such values.
    if (i + 1 >= args.size() || std::string_view(args[i + 1]).starts_with("--")) {
      return Status::Error(FlagName(*def) + ": missing value");
    }
    settings.push_back({def, args[++i]});
  }

  // Environment twins of the flags not given on the command line. An empty variable counts as
  // unset, as `FOO=` in a compose file or a unit usually means "not configured".
  if (env) {
    for (const FlagDef& def : Table()) {
      if (def.info.env.empty()) {
        continue;
      }
      bool on_command_line = false;
      for (const Setting& setting : settings) {
        on_command_line = on_command_line || setting.def == &def;
      }
      if (on_command_line) {
        continue;
      }
      const std::optional<std::string> value = env(def.info.env);
      if (!value.has_value() || value->empty()) {
        continue;
      }
      if (Status status = def.set(config, *value); !status.ok()) {
        return Status::Error(std::string(def.info.env) + ": " + status.message());
      }
    }
  }

  // The command line, in order: a flag given twice keeps the last value.
  for (const Setting& setting : settings) {
    if (Status status = setting.def->set(config, setting.value); !status.ok()) {
      return Status::Error(FlagName(*setting.def) + ": " + status.message());
    }
  }

  // --redis.user (or its env twin) wins over a user in the URL; without it, the URL's user is
  // the one to authenticate as. Either way config.redis_user ends up as the effective user,
  // and config.redis_addr.user keeps what the URL said.
  if (config.redis_user.empty() && !config.redis_addr.user.empty()) {
    config.redis_user = config.redis_addr.user;
  }
  return config;
}

std::string HelpText(std::string_view program) {
  std::string out = "usage: " + std::string(program) + " [flags]\n\n";
  out += "Exports Redis INFO as Prometheus metrics.\n\nFlags:\n";
  for (const FlagDef& def : Table()) {
    out += "  " + FlagName(def);
    if (def.info.name == "help") {
      out += ", -h";
    }
    if (def.takes_value || !def.info.default_value.empty()) {
      out += '=';
      out += def.info.default_value.empty() ? std::string("\"\"")
                                            : std::string(def.info.default_value);
    }
    out += '\n';
    std::vector<std::string_view> words = SplitWords(def.info.help);
    std::string env_note;
    if (!def.info.env.empty()) {
      env_note = "[env " + std::string(def.info.env) + "]";
      words.push_back(env_note);
    }
    AppendWrapped(out, words);
  }
  return out;
}

Result<std::string> ResolvePassword(const Config& config, const EnvLookup& env) {
  if (!config.redis_password_file.empty()) {
    const std::string& path = config.redis_password_file;
    const auto cannot_read = [&path](int error) {
      return Status::Error("--redis.password-file: cannot read " + EscapeControl(path) + ": " +
                           std::generic_category().message(error));
    };
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
      return cannot_read(errno);
    }
    std::string content;
    char buf[4096];
    int read_error = 0;
    errno = 0;
    while (content.size() <= kMaxPasswordFileBytes) {
      const std::size_t n = std::fread(buf, 1, sizeof(buf), file);
      content.append(buf, n);
      if (n < sizeof(buf)) {
        if (std::ferror(file) != 0) {
          read_error = errno != 0 ? errno : EIO;
        }
        break;
      }
    }
    std::fclose(file);
    if (read_error != 0) {
      return cannot_read(read_error);
    }
    if (content.size() > kMaxPasswordFileBytes) {
      return Status::Error("--redis.password-file: " + EscapeControl(path) + " is larger than " +
                           std::to_string(kMaxPasswordFileBytes / 1024) +
                           " KiB; is it the right file?");
    }
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
      content.pop_back();
    }
    return content;
  }
  if (env) {
    // As for the flags' twins, an empty variable counts as unset.
    if (std::optional<std::string> password = env(kPasswordEnv);
        password.has_value() && !password->empty()) {
      return std::move(password).value();
    }
  }
  return config.redis_addr.password;
}

}  // namespace stampede::config
