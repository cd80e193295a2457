// The web config file parser (TLS, basic auth, headers), its file loader, and the web flags.
#include "web/web_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "config/flags.h"
#include "web/web_config_file.h"

namespace stampede::web {
namespace {

// A real bcrypt hash of "secret" (cost 4): the parser only checks its shape.
constexpr const char* kHash = "$2b$04$aA0ehorBmfOMMiFe364nruJlI8F51XOZO5qyKdN9Whja0l09ToCay";

TEST(WebConfigTest, EmptyFileIsEmptyConfig) {
  for (const char* text : {"", "# only a comment\n", "---\n"}) {
    Result<WebConfig> c = ParseWebConfigText(text, "web.yml");
    ASSERT_TRUE(c.ok()) << c.status().message();
    EXPECT_FALSE(c->tls.has_value());
    EXPECT_TRUE(c->basic_auth_users.empty());
    EXPECT_TRUE(c->headers.empty());
  }
}

TEST(WebConfigTest, FullConfig) {
  const std::string text = std::string(R"(tls_server_config:
  cert_file: server.crt
  key_file: /etc/keys/server.key
  client_ca_file: ca.crt
  client_auth_type: RequireAndVerifyClientCert
  min_version: TLS13
basic_auth_users:
  alice: ')") + kHash + R"('
  bob: ")" + kHash + R"("
http_server_config:
  headers:
    x-frame-options: deny
    Strict-Transport-Security: max-age=31536000
)";
  Result<WebConfig> c = ParseWebConfigText(text, "web.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_TRUE(c->tls.has_value());
  EXPECT_EQ(c->tls->cert_file, "server.crt");
  EXPECT_EQ(c->tls->key_file, "/etc/keys/server.key");
  EXPECT_EQ(c->tls->client_ca_file, "ca.crt");
  EXPECT_EQ(c->tls->client_auth, ClientAuth::kRequireAndVerifyClientCert);
  EXPECT_EQ(c->tls->min_version, TlsVersion::kTls13);
  ASSERT_EQ(c->basic_auth_users.size(), 2u);
  EXPECT_EQ(c->basic_auth_users.at("alice"), kHash);
  ASSERT_EQ(c->headers.size(), 2u);
  EXPECT_EQ(c->headers[0].first, "X-Frame-Options");  // canonical spelling
  EXPECT_EQ(c->headers[0].second, "deny");

  WebConfig resolved = ResolvePaths(*c, "/etc/stampede");
  EXPECT_EQ(resolved.tls->cert_file, "/etc/stampede/server.crt");
  EXPECT_EQ(resolved.tls->key_file, "/etc/keys/server.key");  // absolute: unchanged
  EXPECT_EQ(resolved.tls->client_ca_file, "/etc/stampede/ca.crt");
}

TEST(WebConfigTest, TlsDefaults) {
  Result<WebConfig> c =
      ParseWebConfigText("tls_server_config:\n  cert_file: a\n  key_file: b\n", "w");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->tls->client_auth, ClientAuth::kNoClientCert);
  EXPECT_EQ(c->tls->min_version, TlsVersion::kTls12);
  EXPECT_TRUE(c->basic_auth_users.empty());
}

struct BadCase {
  std::string text;
  std::string error;  // the whole message, or its start when it ends with "..."
};

class WebConfigBadTest : public testing::TestWithParam<BadCase> {};

TEST_P(WebConfigBadTest, NamesFileLineAndKey) {
  Result<WebConfig> c = ParseWebConfigText(GetParam().text, "web.yml");
  ASSERT_FALSE(c.ok());
  const std::string& want = GetParam().error;
  const std::string& got = c.status().message();
  if (want.ends_with("...")) {
    EXPECT_EQ(got.substr(0, want.size() - 3), want.substr(0, want.size() - 3)) << got;
  } else {
    EXPECT_EQ(got, want);
  }
  EXPECT_EQ(got.find('\n'), std::string::npos) << got;
  EXPECT_EQ(got.find(std::string(kHash).substr(7, 22)), std::string::npos)
      << "a hash is quoted: " << got;
}

const std::string kTls = "tls_server_config:\n  cert_file: c\n  key_file: k\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, WebConfigBadTest,
    testing::Values(
        BadCase{"- a\n- b\n", "web.yml:1:1: the file must be a mapping"},
        BadCase{"tls_config: {}\n",
                "web.yml:1:1: unknown key \"tls_config\" (want tls_server_config, basic_auth_users "
                "or http_server_config)"},
        BadCase{"tls_server_config:\n",
                "web.yml:2:1: tls_server_config is empty: want at least cert_file and key_file"},
        BadCase{"tls_server_config:\n  key_file: k\n",
                "web.yml:2:3: tls_server_config: missing cert_file"},
        BadCase{"tls_server_config:\n  cert_file: c\n",
                "web.yml:2:3: tls_server_config: missing key_file"},
        BadCase{"tls_server_config:\n  cert_file: ''\n  key_file: k\n",
                "web.yml:2:14: tls_server_config.cert_file is empty"},
        BadCase{
            kTls + "  certfile: x\n",
            "web.yml:4:3: unknown key \"tls_server_config.certfile\" (want cert_file, key_file, "
            "client_ca_file, client_auth_type or min_version)"},
        BadCase{kTls + "  cipher_suites: [a]\n",
                "web.yml:4:3: tls_server_config.cipher_suites is not supported by "
                "stampede_exporter"},
        BadCase{kTls + "  min_version: TLS14\n",
                "web.yml:4:16: tls_server_config.min_version: invalid value \"TLS14\" (want TLS12 "
                "or TLS13)"},
        BadCase{kTls + "  min_version: TLS10\n",
                "web.yml:4:16: tls_server_config.min_version: \"TLS10\" is not supported (want "
                "TLS12 or TLS13)"},
        BadCase{kTls + "  client_auth_type: RequireAnyClientCert\n",
                "web.yml:4:21: tls_server_config.client_auth_type: \"RequireAnyClientCert\" is not "
                "supported..."},
        BadCase{kTls + "  client_auth_type: yes please\n",
                "web.yml:4:21: tls_server_config.client_auth_type: invalid value..."},
        BadCase{kTls + "  client_auth_type: RequireAndVerifyClientCert\n",
                "web.yml:2:3: tls_server_config: client_auth_type RequireAndVerifyClientCert needs "
                "client_ca_file"},
        BadCase{kTls + "  client_ca_file: ca.crt\n",
                "web.yml:2:3: tls_server_config: client_ca_file is set but client_auth_type "
                "defaults to NoClientCert..."},
        BadCase{kTls + "  cert_file: again\n", "web.yml:4:3: tls_server_config: duplicate key..."},
        BadCase{"tls_server_config:\n  cert_file: [a, b]\n  key_file: k\n",
                "web.yml:2:14: tls_server_config.cert_file must be a string"},
        BadCase{"basic_auth_users:\n  alice: secret\n",
                "web.yml:2:10: basic_auth_users.alice: not a bcrypt hash..."},
        BadCase{"basic_auth_users:\n  alice: '$1$abc$0123456789012345678901'\n",
                "web.yml:2:10: basic_auth_users.alice: not a bcrypt hash..."},
        BadCase{"basic_auth_users:\n  alice: '$2b$99$" + std::string(kHash).substr(7) + "'\n",
                "web.yml:2:10: basic_auth_users.alice: not a bcrypt hash..."},
        BadCase{
            std::string("basic_auth_users:\n  alice: '") + kHash + "'\n  alice: '" + kHash + "'\n",
            "web.yml:3:3: basic_auth_users: duplicate key \"alice\""},
        BadCase{std::string("basic_auth_users:\n  'a:b': '") + kHash + "'\n",
                "web.yml:2:3: basic_auth_users: user name \"a:b\" may not contain ':'..."},
        BadCase{"basic_auth_users: [alice]\n", "web.yml:1:19: basic_auth_users must be a mapping"},
        BadCase{"http_server_config:\n  http2: false\n",
                "web.yml:2:3: http_server_config.http2 is not supported by stampede_exporter"},
        BadCase{"http_server_config:\n  header: {}\n",
                "web.yml:2:3: unknown key \"http_server_config.header\" (want headers)"},
        BadCase{"http_server_config:\n  headers:\n    Set-Cookie: a=b\n",
                "web.yml:3:5: http_server_config.headers: \"Set-Cookie\" may not be set..."},
        BadCase{"tls_server_config: {cert_file: c, key_file: [\n", "web.yml:..."}));

TEST(WebConfigFileTest, ResolvesAgainstTheFileAndChecksReadable) {
  std::string dir = testing::TempDir();
  while (dir.size() > 1 && dir.back() == '/') {
    dir.pop_back();  // TempDir() ends with '/'
  }
  const std::string yml = dir + "/web_config_test.yml";
  std::ofstream(dir + "/web_config_test.crt") << "x";
  std::ofstream(yml) << "tls_server_config:\n  cert_file: web_config_test.crt\n"
                        "  key_file: no_such.key\n";
  Result<WebConfig> c = LoadWebConfigFile(yml);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), yml + ": tls_server_config.key_file: cannot read " + dir +
                                      "/no_such.key: No such file or directory");
  std::ofstream(yml) << "tls_server_config:\n  cert_file: web_config_test.crt\n"
                        "  key_file: web_config_test.crt\n";
  c = LoadWebConfigFile(yml);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->tls->cert_file, dir + "/web_config_test.crt");
  std::remove(yml.c_str());
  std::remove((dir + "/web_config_test.crt").c_str());
}

TEST(WebConfigFileTest, MissingFileAndEmptyPath) {
  Result<WebConfig> c = LoadWebConfigFile("/nonexistent/web.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "/nonexistent/web.yml: cannot read: No such file or directory");
  EXPECT_TRUE(LoadWebConfigFile("").ok());
  EXPECT_FALSE(LoadWebConfigFile("")->tls.has_value());
}

TEST(WebFlagsTest, DefaultsEnvAndBadValues) {
  const config::EnvLookup no_env = [](std::string_view) -> std::optional<std::string> {
    return std::nullopt;
  };
  Result<config::Config> c = config::ParseFlags({}, no_env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->web_config_file, "");
  EXPECT_EQ(c->web_max_header_bytes, 16384u);
  EXPECT_EQ(c->web_read_timeout, std::chrono::seconds(10));
  EXPECT_EQ(c->web_listen_address, ":9912");

  const config::EnvLookup env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "STAMPEDE_WEB_CONFIG_FILE") return "/env/web.yml";
    if (name == "STAMPEDE_WEB_MAX_HEADER_BYTES") return "4096";
    if (name == "STAMPEDE_WEB_READ_TIMEOUT") return "3s";
    return std::nullopt;
  };
  c = config::ParseFlags({"--web.read-timeout=500ms"}, env);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->web_config_file, "/env/web.yml");
  EXPECT_EQ(c->web_max_header_bytes, 4096u);
  EXPECT_EQ(c->web_read_timeout, std::chrono::milliseconds(500));

  c = config::ParseFlags({"--web.max-header-bytes=100"}, no_env);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "--web.max-header-bytes: must be between 1024 and 1048576, got 100");
  c = config::ParseFlags({"--web.read-timeout=0s"}, no_env);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind("--web.read-timeout: must be at least 100ms", 0), 0u)
      << c.status().message();
}

}  // namespace
}  // namespace stampede::web
