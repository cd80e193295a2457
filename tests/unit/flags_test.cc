#include "config/flags.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/duration.h"
#include "config/flag_table.h"
#include "support/env_lookup.h"

namespace stampede::config {
namespace {

using stampede::testing::Env;
using stampede::testing::LookupIn;
using std::chrono::milliseconds;

const EnvLookup kNoEnv = [](std::string_view) -> std::optional<std::string> {
  return std::nullopt;
};

// Every field, for comparing whole configs in failure messages.
std::string Describe(const Config& c) {
  std::ostringstream out;
  out << "addr=" << c.redis_addr.Redacted() << " addr_user=" << c.redis_addr.user
      << " addr_password=" << c.redis_addr.password << " user=" << c.redis_user
      << " password_file=" << c.redis_password_file
      << " connect_timeout=" << FormatDuration(c.redis_connect_timeout)
      << " interval=" << FormatDuration(c.info_interval) << " listen=" << c.web_listen_address
      << " path=" << c.web_telemetry_path << " level=" << LogLevelName(c.log_level)
      << " format=" << (c.log_format == LogFormat::kJson ? "json" : "logfmt")
      << " help=" << c.show_help << " version=" << c.show_version;
  return out.str();
}

Config Parse(const std::vector<std::string>& args, const EnvLookup& env = kNoEnv) {
  Result<Config> got = ParseFlags(args, env);
  EXPECT_TRUE(got.ok()) << got.status().message();
  return got.ok() ? *got : Config{};
}

TEST(ParseFlagsTest, Defaults) {
  const Config c = Parse({});
  EXPECT_EQ(c.redis_addr.Redacted(), "redis://127.0.0.1:6379");
  EXPECT_EQ(c.redis_user, "");
  EXPECT_EQ(c.redis_password_file, "");
  EXPECT_EQ(c.redis_connect_timeout, milliseconds(2000));
  EXPECT_EQ(c.info_interval, milliseconds(1000));
  EXPECT_EQ(c.web_listen_address, ":9912");
  EXPECT_EQ(c.web_telemetry_path, "/metrics");
  EXPECT_EQ(c.log_level, LogLevel::kInfo);
  EXPECT_EQ(c.log_format, LogFormat::kLogfmt);
  EXPECT_FALSE(c.show_help);
  EXPECT_FALSE(c.show_version);
  // A null lookup is "no environment".
  EXPECT_EQ(Describe(Parse({}, EnvLookup())), Describe(c));
}

// The defaults --help shows are the defaults ParseFlags applies.
TEST(ParseFlagsTest, TableDefaultsMatchParsedDefaults) {
  const std::string defaults = Describe(Parse({}));
  for (const FlagInfo& flag : Flags()) {
    if (flag.env.empty()) {
      continue;  // the boolean switches
    }
    SCOPED_TRACE(flag.name);
    EXPECT_EQ(
        Describe(Parse({"--" + std::string(flag.name) + "=" + std::string(flag.default_value)})),
        defaults);
  }
}

struct OkCase {
  std::vector<std::string> args;
  std::function<void(const Config&)> check;
};

TEST(ParseFlagsTest, AcceptsValidFlags) {
  const std::vector<OkCase> cases = {
      {{"--redis.addr=redis://db:7000"},
       [](const Config& c) { EXPECT_EQ(c.redis_addr.Redacted(), "redis://db:7000"); }},
      {{"--redis.addr", "unix:///run/redis.sock"},
       [](const Config& c) { EXPECT_EQ(c.redis_addr.path, "/run/redis.sock"); }},
      {{"--redis.user=alice"}, [](const Config& c) { EXPECT_EQ(c.redis_user, "alice"); }},
      {{"--redis.user", "alice"}, [](const Config& c) { EXPECT_EQ(c.redis_user, "alice"); }},
      {{"--redis.user="}, [](const Config& c) { EXPECT_EQ(c.redis_user, ""); }},
      {{"--redis.password-file=/run/secrets/redis"},
       [](const Config& c) { EXPECT_EQ(c.redis_password_file, "/run/secrets/redis"); }},
      {{"--redis.connect-timeout=500ms"},
       [](const Config& c) { EXPECT_EQ(c.redis_connect_timeout, milliseconds(500)); }},
      {{"--redis.connect-timeout", "1m"},
       [](const Config& c) { EXPECT_EQ(c.redis_connect_timeout, milliseconds(60000)); }},
      {{"--redis.connect-timeout=1ms"},
       [](const Config& c) { EXPECT_EQ(c.redis_connect_timeout, milliseconds(1)); }},
      {{"--info.interval=100ms"},
       [](const Config& c) { EXPECT_EQ(c.info_interval, milliseconds(100)); }},
      {{"--info.interval", "1h"},
       [](const Config& c) { EXPECT_EQ(c.info_interval, std::chrono::hours(1)); }},
      {{"--info.interval=1m30s"},
       [](const Config& c) { EXPECT_EQ(c.info_interval, milliseconds(90000)); }},
      {{"--web.listen-address=127.0.0.1:9000"},
       [](const Config& c) { EXPECT_EQ(c.web_listen_address, "127.0.0.1:9000"); }},
      {{"--web.listen-address", ":0"},
       [](const Config& c) { EXPECT_EQ(c.web_listen_address, ":0"); }},
      {{"--web.listen-address=localhost:65535"},
       [](const Config& c) { EXPECT_EQ(c.web_listen_address, "localhost:65535"); }},
      {{"--web.listen-address=0.0.0.0:80"},
       [](const Config& c) { EXPECT_EQ(c.web_listen_address, "0.0.0.0:80"); }},
      {{"--web.listen-address=exporter-1.svc.local:9912"},
       [](const Config& c) { EXPECT_EQ(c.web_listen_address, "exporter-1.svc.local:9912"); }},
      {{"--web.telemetry-path=/custom/metrics"},
       [](const Config& c) { EXPECT_EQ(c.web_telemetry_path, "/custom/metrics"); }},
      {{"--log.level=debug"}, [](const Config& c) { EXPECT_EQ(c.log_level, LogLevel::kDebug); }},
      {{"--log.level", "warning"},
       [](const Config& c) { EXPECT_EQ(c.log_level, LogLevel::kWarn); }},
      {{"--log.format=json"}, [](const Config& c) { EXPECT_EQ(c.log_format, LogFormat::kJson); }},
      {{"--help"}, [](const Config& c) { EXPECT_TRUE(c.show_help); }},
      {{"-h"}, [](const Config& c) { EXPECT_TRUE(c.show_help); }},
      {{"--version"},
       [](const Config& c) {
         EXPECT_TRUE(c.show_version);
         EXPECT_FALSE(c.show_help);
       }},
      // A value may start with a single '-' and may contain '='.
      {{"--redis.user", "-dash"}, [](const Config& c) { EXPECT_EQ(c.redis_user, "-dash"); }},
      {{"--redis.user=a=b"}, [](const Config& c) { EXPECT_EQ(c.redis_user, "a=b"); }},
      {{"--redis.user=--x"}, [](const Config& c) { EXPECT_EQ(c.redis_user, "--x"); }},
      // The last of repeated flags wins.
      {{"--info.interval=2s", "--info.interval", "3s"},
       [](const Config& c) { EXPECT_EQ(c.info_interval, milliseconds(3000)); }},
      // Several flags together.
      {{"--log.level=error", "--redis.addr", "h:1", "--version", "--log.format", "json"},
       [](const Config& c) {
         EXPECT_EQ(c.log_level, LogLevel::kError);
         EXPECT_EQ(c.redis_addr.Redacted(), "redis://h:1");
         EXPECT_TRUE(c.show_version);
         EXPECT_EQ(c.log_format, LogFormat::kJson);
       }},
  };
  for (const OkCase& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    const Result<Config> got = ParseFlags(c.args, kNoEnv);
    ASSERT_TRUE(got.ok()) << got.status().message();
    c.check(*got);
  }
}

// Every flag with an env twin can be set from the environment, and the flag beats the twin.
TEST(ParseFlagsTest, PrecedenceDefaultsThenEnvThenFlags) {
  struct Case {
    std::string_view flag;
    std::string env_value;
    std::string flag_value;
    std::function<std::string(const Config&)> get;
  };
  const std::vector<Case> cases = {
      {"redis.addr", "redis://from-env:1", "redis://from-flag:2",
       [](const Config& c) { return c.redis_addr.Redacted(); }},
      {"redis.user", "env-user", "flag-user", [](const Config& c) { return c.redis_user; }},
      {"redis.password-file", "/env/file", "/flag/file",
       [](const Config& c) { return c.redis_password_file; }},
      {"redis.connect-timeout", "3s", "4s",
       [](const Config& c) { return FormatDuration(c.redis_connect_timeout); }},
      {"info.interval", "5s", "6s",
       [](const Config& c) { return FormatDuration(c.info_interval); }},
      {"web.listen-address", "127.0.0.1:1", "127.0.0.1:2",
       [](const Config& c) { return c.web_listen_address; }},
      {"web.telemetry-path", "/env", "/flag", [](const Config& c) { return c.web_telemetry_path; }},
      {"log.level", "debug", "error",
       [](const Config& c) { return std::string(LogLevelName(c.log_level)); }},
      {"log.format", "json", "logfmt",
       [](const Config& c) {
         return std::string(c.log_format == LogFormat::kJson ? "json" : "logfmt");
       }},
      {"config.file", "/env.yml", "/flag.yml", [](const Config& c) { return c.config_file; }},
  };
  // Every core flag is covered here; each area's flags are covered by that area's tests.
  std::vector<FlagDef> core;
  AddCoreFlags(core);
  ASSERT_EQ(cases.size(), core.size()) << "a core flag is missing from this test";
  for (const Case& c : cases) {
    SCOPED_TRACE(c.flag);
    std::string env_name;
    for (const FlagInfo& info : Flags()) {
      if (info.name == c.flag) {
        env_name = std::string(info.env);
      }
    }
    ASSERT_FALSE(env_name.empty());
    const Env env = {{env_name, c.env_value}};
    const std::string flag = "--" + std::string(c.flag);

    const std::string by_default = c.get(Parse({}));
    EXPECT_NE(by_default, c.env_value);
    EXPECT_EQ(c.get(Parse({}, LookupIn(env))), c.env_value);
    EXPECT_EQ(c.get(Parse({flag + "=" + c.flag_value}, LookupIn(env))), c.flag_value);
    EXPECT_EQ(c.get(Parse({flag, c.flag_value}, LookupIn(env))), c.flag_value);
    // An empty variable counts as unset.
    EXPECT_EQ(c.get(Parse({}, LookupIn({{env_name, ""}}))), by_default);
  }
}

TEST(ParseFlagsTest, BadEnvIsIgnoredWhenTheFlagIsGiven) {
  const Env env = {{"STAMPEDE_INFO_INTERVAL", "x"}};
  EXPECT_FALSE(ParseFlags({}, LookupIn(env)).ok());
  const Result<Config> got = ParseFlags({"--info.interval=2s"}, LookupIn(env));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->info_interval, milliseconds(2000));
}

TEST(ParseFlagsTest, HelpAndVersionHaveNoEnvTwin) {
  const Env env = {{"STAMPEDE_HELP", "true"}, {"STAMPEDE_VERSION", "true"}};
  const Config c = Parse({}, LookupIn(env));
  EXPECT_FALSE(c.show_help);
  EXPECT_FALSE(c.show_version);
  for (const FlagInfo& flag : Flags()) {
    if (flag.name == "help" || flag.name == "version") {
      EXPECT_TRUE(flag.env.empty()) << flag.name;
    } else {
      EXPECT_EQ(flag.env.substr(0, 9), "STAMPEDE_") << flag.name;
    }
  }
  ASSERT_GE(Flags().size(), 2u);
  EXPECT_EQ(Flags()[Flags().size() - 2].name, "help");
  EXPECT_EQ(Flags().back().name, "version");
}

TEST(ParseFlagsTest, UserFromUrlUnlessOverridden) {
  Config c = Parse({"--redis.addr=redis://url-user:pw@h:1"});
  EXPECT_EQ(c.redis_user, "url-user");
  EXPECT_EQ(c.redis_addr.user, "url-user");
  EXPECT_EQ(c.redis_addr.password, "pw");

  c = Parse({"--redis.addr=redis://url-user:pw@h:1", "--redis.user=flag-user"});
  EXPECT_EQ(c.redis_user, "flag-user");
  EXPECT_EQ(c.redis_addr.user, "url-user");

  c = Parse({"--redis.addr=redis://url-user:pw@h:1"},
            LookupIn({{"STAMPEDE_REDIS_USER", "env-user"}}));
  EXPECT_EQ(c.redis_user, "env-user");

  c = Parse({"--redis.addr=redis://:pw@h:1"});
  EXPECT_EQ(c.redis_user, "");
}

struct ErrorCase {
  std::vector<std::string> args;
  Env env;
  std::string want;  // exact message, or its start when want_prefix
  bool want_prefix;
};

TEST(ParseFlagsTest, RejectsBadInput) {
  const std::string duration_hint = " (want e.g. 1s, 500ms, 1m30s)";
  const std::vector<ErrorCase> cases = {
      {{"--info.interval=abc"},
       {},
       "--info.interval: invalid duration \"abc\"" + duration_hint,
       false},
      {{"--info.interval", "abc"},
       {},
       "--info.interval: invalid duration \"abc\"" + duration_hint,
       false},
      {{},
       {{"STAMPEDE_INFO_INTERVAL", "x"}},
       "STAMPEDE_INFO_INTERVAL: invalid duration \"x\"" + duration_hint,
       false},
      {{"--info.interval=99ms"},
       {},
       "--info.interval: must be at least 100ms and at most 1h, got 99ms",
       false},
      {{"--info.interval=1h1ms"},
       {},
       "--info.interval: must be at least 100ms and at most 1h, got 1h1ms",
       false},
      {{"--info.interval=0"}, {}, "--info.interval: must be at least 100ms", true},
      {{"--redis.connect-timeout=0s"},
       {},
       "--redis.connect-timeout: must be more than 0s and at most 1m, got 0s",
       false},
      {{"--redis.connect-timeout=61s"},
       {},
       "--redis.connect-timeout: must be more than 0s and at most 1m, got 1m1s",
       false},
      {{"--redis.connect-timeout=-1s"}, {}, "--redis.connect-timeout: invalid duration", true},
      {{},
       {{"STAMPEDE_REDIS_CONNECT_TIMEOUT", "2m"}},
       "STAMPEDE_REDIS_CONNECT_TIMEOUT: must be more than",
       true},
      {{"--redis.addr"}, {}, "--redis.addr: missing value", false},
      {{"--log.level=info", "--redis.addr"}, {}, "--redis.addr: missing value", false},
      {{"--redis.addr", "--help"}, {}, "--redis.addr: missing value", false},
      {{"--redis.addr=rediss://h"},
       {},
       "--redis.addr: invalid Redis address \"rediss://h\": TLS (rediss://) is not supported: "
       "run a local stunnel in client mode (examples/stunnel-redis.conf) and point --redis.addr "
       "at its plain port, e.g. redis://127.0.0.1:6380; see README \"TLS to Redis\"",
       false},
      {{"--redis.addr="}, {}, "--redis.addr: invalid Redis address \"\"", true},
      {{}, {{"STAMPEDE_REDIS_ADDR", "h:0"}}, "STAMPEDE_REDIS_ADDR: invalid Redis address", true},
      {{"--foo"}, {}, "unknown flag --foo (see --help)", false},
      {{"--foo=bar"}, {}, "unknown flag --foo (see --help)", false},
      {{"--log.level=info", "--foo", "--bar"}, {}, "unknown flag --foo (see --help)", false},
      {{"-x"}, {}, "unknown flag -x (see --help)", false},
      {{"-redis.addr=h"}, {}, "unknown flag -redis.addr (see --help)", false},
      {{"--"}, {}, "unexpected argument \"--\"", true},
      {{"--="}, {}, "unknown flag -- (see --help)", false},
      {{"--Redis.addr=h"}, {}, "unknown flag --Redis.addr (see --help)", false},
      {{"--redis.password=hunter2"},
       {},
       "unknown flag --redis.password (the password is not a flag: use --redis.password-file or "
       "STAMPEDE_REDIS_PASSWORD)",
       false},
      {{"positional"},
       {},
       "unexpected argument \"positional\" (only --flags are accepted; see --help)",
       false},
      {{"--log.level=info", "extra"}, {}, "unexpected argument \"extra\"", true},
      {{"-"}, {}, "unexpected argument \"-\"", true},
      {{""}, {}, "unexpected argument \"\"", true},
      {{"--help=x"}, {}, "--help: takes no value", false},
      {{"--help="}, {}, "--help: takes no value", false},
      {{"--version=true"}, {}, "--version: takes no value", false},
      {{"--log.level=verbose"},
       {},
       "--log.level: invalid log level \"verbose\" (want debug, info, warn or error)",
       false},
      {{}, {{"STAMPEDE_LOG_LEVEL", "loud"}}, "STAMPEDE_LOG_LEVEL: invalid log level", true},
      {{"--log.format=text"},
       {},
       "--log.format: invalid log format \"text\" (want logfmt or json)",
       false},
      {{"--web.listen-address=[::1]:9912"},
       {},
       "--web.listen-address: IPv6 listen addresses such as \"[::1]:9912\" are not supported by "
       "the HTTP server; use an IPv4 address or a host name, e.g. 0.0.0.0:9912",
       false},
      {{"--web.listen-address=::1:9912"}, {}, "--web.listen-address: IPv6 listen addresses", true},
      {{"--web.listen-address=9912"},
       {},
       "--web.listen-address: invalid listen address \"9912\" (want [host]:port, e.g. :9912 or "
       "127.0.0.1:9912)",
       false},
      {{"--web.listen-address="}, {}, "--web.listen-address: invalid listen address \"\"", true},
      {{"--web.listen-address=:"}, {}, "--web.listen-address: missing port", true},
      {{"--web.listen-address=h:"}, {}, "--web.listen-address: missing port", true},
      {{"--web.listen-address=:65536"},
       {},
       "--web.listen-address: port \"65536\" is out of range 0..65535",
       false},
      {{"--web.listen-address=:999999999999"}, {}, "--web.listen-address: port", true},
      {{"--web.listen-address=:http"},
       {},
       "--web.listen-address: port \"http\" is not a number",
       true},
      {{"--web.listen-address=:-1"}, {}, "--web.listen-address: port \"-1\" is not a number", true},
      {{"--web.listen-address=256.0.0.1:80"},
       {},
       "--web.listen-address: invalid host \"256.0.0.1\"",
       true},
      {{"--web.listen-address=1.2.3:80"}, {}, "--web.listen-address: invalid host \"1.2.3\"", true},
      {{"--web.listen-address=1.2.3.4.5:80"}, {}, "--web.listen-address: invalid host", true},
      {{"--web.listen-address=a..b:80"}, {}, "--web.listen-address: invalid host \"a..b\"", true},
      {{"--web.listen-address=a b:80"}, {}, "--web.listen-address: invalid host \"a b\"", true},
      {{"--web.listen-address=.a:80"}, {}, "--web.listen-address: invalid host", true},
      {{"--web.telemetry-path=metrics"},
       {},
       "--web.telemetry-path: must start with '/', got \"metrics\"",
       false},
      {{"--web.telemetry-path="}, {}, "--web.telemetry-path: must start with '/', got \"\"", false},
      {{"--web.telemetry-path=/"}, {}, "--web.telemetry-path: \"/\" is the landing page", true},
      {{"--web.telemetry-path=/-/healthy"},
       {},
       "--web.telemetry-path: \"/-/healthy\" is reserved for health checks",
       false},
      {{"--web.telemetry-path=/-/ready"},
       {},
       "--web.telemetry-path: \"/-/ready\" is reserved for health checks",
       false},
      {{"--web.telemetry-path=/a b"}, {}, "--web.telemetry-path: must be a plain path", true},
      {{"--web.telemetry-path=/m?x=1"}, {}, "--web.telemetry-path: must be a plain path", true},
      {{}, {{"STAMPEDE_WEB_TELEMETRY_PATH", "/"}}, "STAMPEDE_WEB_TELEMETRY_PATH: \"/\"", true},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args) + " env " + ::testing::PrintToString(c.env));
    const Result<Config> got = ParseFlags(c.args, LookupIn(c.env));
    ASSERT_FALSE(got.ok()) << Describe(*got);
    const std::string message = got.status().message();
    if (c.want_prefix) {
      EXPECT_TRUE(message.starts_with(c.want)) << message;
    } else {
      EXPECT_EQ(message, c.want);
    }
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

// Control bytes from argv or the environment never make a message span lines.
TEST(ParseFlagsTest, ErrorsStayOnOneLine) {
  const std::vector<std::vector<std::string>> cases = {
      {"--fo\no"},
      {"-\n"},
      {"pos\nitional"},
      {"--info.interval=1\ns"},
      {"--log.level=a\r\nb"},
      {"--web.listen-address=a\n:1"},
      {"--web.telemetry-path=/a\nb"},
      {"--web.listen-address=\n"},
      {"--redis.addr=h\n"},
  };
  for (const std::vector<std::string>& args : cases) {
    SCOPED_TRACE(::testing::PrintToString(args));
    const Result<Config> got = ParseFlags(args, kNoEnv);
    ASSERT_FALSE(got.ok());
    const std::string message = got.status().message();
    for (const char c : message) {
      EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << message;
    }
  }
}

// A bad URL with a password must not echo the password, from a flag or from the env.
TEST(ParseFlagsTest, AddressErrorsHideThePassword) {
  const std::string url = "redis://alice:Hunter2Secret@h:0";
  for (const Result<Config>& got : {ParseFlags({"--redis.addr=" + url}, kNoEnv),
                                    ParseFlags({}, LookupIn({{"STAMPEDE_REDIS_ADDR", url}}))}) {
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().message().find("Hunter2Secret"), std::string::npos)
        << got.status().message();
    EXPECT_NE(got.status().message().find("out of range"), std::string::npos);
  }
}

TEST(HelpTextTest, MentionsEveryFlagAndEnvTwin) {
  const std::string help = HelpText("stampede_exporter");
  EXPECT_TRUE(help.starts_with("usage: stampede_exporter [flags]\n")) << help;
  ASSERT_FALSE(Flags().empty());
  for (const FlagInfo& flag : Flags()) {
    SCOPED_TRACE(flag.name);
    EXPECT_NE(help.find("  --" + std::string(flag.name)), std::string::npos);
    if (!flag.env.empty()) {
      EXPECT_NE(help.find("[env " + std::string(flag.env) + "]"), std::string::npos);
      EXPECT_NE(help.find("--" + std::string(flag.name) + "=" +
                          (flag.default_value.empty() ? std::string("\"\"")
                                                      : std::string(flag.default_value))),
                std::string::npos);
    }
    EXPECT_FALSE(flag.help.empty());
  }
  EXPECT_NE(help.find("--help, -h"), std::string::npos);
  EXPECT_NE(help.find(kPasswordEnv), std::string::npos);
  EXPECT_EQ(help.find("--redis.password="), std::string::npos);
}

TEST(HelpTextTest, FitsInOneHundredColumns) {
  std::istringstream in(HelpText("stampede_exporter"));
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    EXPECT_LE(line.size(), 100u) << line;
    EXPECT_FALSE(line.ends_with(" ")) << "trailing space: " << line;
  }
  EXPECT_GT(lines, static_cast<int>(Flags().size()));
}

TEST(HelpTextTest, PasswordFileHelpMentionsTheEnvAlternative) {
  for (const FlagInfo& flag : Flags()) {
    if (flag.name == "redis.password-file") {
      EXPECT_NE(flag.help.find(kPasswordEnv), std::string::npos) << flag.help;
      return;
    }
  }
  FAIL() << "no --redis.password-file flag";
}

// A file under the temp directory with a unique name, removed when the test ends.
class TempFile {
 public:
  TempFile() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("stampede_flags_test_" + std::to_string(random()) + "_" + std::to_string(random()));
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void Write(std::string_view content) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << content;
    ASSERT_TRUE(out.good());
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

struct PasswordFileCase {
  std::string content;
  std::string want;
};

TEST(ResolvePasswordTest, ReadsTheFileAndDropsTrailingNewlines) {
  const std::vector<PasswordFileCase> cases = {
      {"s3cret", "s3cret"},
      {"s3cret\n", "s3cret"},
      {"s3cret\r\n", "s3cret"},
      {"s3cret\n\n\r\n", "s3cret"},
      {"with space \n", "with space "},
      {"mid\nline\n", "mid\nline"},
      {"", ""},
      {"\n", ""},
  };
  TempFile file;
  for (const PasswordFileCase& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.content));
    file.Write(c.content);
    Config config =
        Parse({"--redis.password-file=" + file.path(), "--redis.addr=redis://:url-secret@h"});
    // The file wins over both the environment and the URL.
    const Result<std::string> got =
        ResolvePassword(config, LookupIn({{std::string(kPasswordEnv), "env-secret"}}));
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(*got, c.want);
  }
}

TEST(ResolvePasswordTest, PrecedenceFileThenEnvThenUrl) {
  const Config with_url = Parse({"--redis.addr=redis://:url-secret@h"});
  const Env env = {{std::string(kPasswordEnv), "env-secret"}};

  Result<std::string> got = ResolvePassword(with_url, LookupIn(env));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "env-secret");

  got = ResolvePassword(with_url, kNoEnv);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "url-secret");

  got = ResolvePassword(with_url, LookupIn({{std::string(kPasswordEnv), ""}}));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "url-secret");

  got = ResolvePassword(Parse({}), kNoEnv);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "");

  got = ResolvePassword(Parse({}), EnvLookup());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "");
}

TEST(ResolvePasswordTest, MissingFileIsAnErrorWithoutSecrets) {
  TempFile missing;  // never written
  const Config config =
      Parse({"--redis.password-file=" + missing.path(), "--redis.addr=redis://alice:url-secret@h"});
  const Result<std::string> got =
      ResolvePassword(config, LookupIn({{std::string(kPasswordEnv), "env-secret"}}));
  ASSERT_FALSE(got.ok());
  const std::string message = got.status().message();
  EXPECT_EQ(message,
            "--redis.password-file: cannot read " + missing.path() + ": No such file or directory");
  EXPECT_EQ(message.find("secret"), std::string::npos);
}

TEST(ResolvePasswordTest, UnreadableFilesAreErrorsWithoutContent) {
  TempFile dir;
  std::filesystem::create_directory(dir.path());
  Config config = Parse({"--redis.password-file=" + dir.path()});
  Result<std::string> got = ResolvePassword(config, kNoEnv);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "--redis.password-file: cannot read " + dir.path() + ": Is a directory");

  TempFile big;
  big.Write(std::string(100 * 1024, 'S'));
  config = Parse({"--redis.password-file=" + big.path()});
  got = ResolvePassword(config, kNoEnv);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().message().starts_with("--redis.password-file: " + big.path() +
                                                 " is larger than 64 KiB"))
      << got.status().message();
  EXPECT_EQ(got.status().message().find("SSSS"), std::string::npos);
}

}  // namespace
}  // namespace stampede::config
