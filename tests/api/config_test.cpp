#include "main/config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace sivo::main {
namespace {

Environment env_of(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

engine::Result<Config> parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parse_config(args, env_of(std::move(env)));
}

TEST(Config, DefaultsAreTheContracts) {
  auto config = parse({});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->listen_host, "127.0.0.1");
  EXPECT_EQ(config->listen_port, 8080);
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_FALSE(config->admin_token);
  EXPECT_EQ(config->ca_file, "");
  EXPECT_FALSE(config->allow_private_networks);
  EXPECT_EQ(config->retry_policy.to_string(), "5s,30s,2m,10m,1h,6h");
  EXPECT_EQ(config->attempt_timeout, std::chrono::seconds(10));
}

TEST(Config, ReadsEveryFlag) {
  auto config = parse({"--listen", "0.0.0.0:9000", "--data-dir=/tmp/x", "--admin-token",
                       "0123456789abcdef", "--ca-file", "/etc/ca.pem", "--allow-private-networks",
                       "--retry-schedule", "1s,2s", "--attempt-timeout=500ms"});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->listen_host, "0.0.0.0");
  EXPECT_EQ(config->listen_port, 9000);
  EXPECT_EQ(config->data_dir, "/tmp/x");
  EXPECT_EQ(*config->admin_token, "0123456789abcdef");
  EXPECT_EQ(config->ca_file, "/etc/ca.pem");
  EXPECT_TRUE(config->allow_private_networks);
  EXPECT_EQ(config->retry_policy.max_attempts(), 3);
  EXPECT_EQ(config->attempt_timeout, std::chrono::milliseconds(500));
}

TEST(Config, ReadsEveryVariable) {
  auto config = parse({}, {{"SIVO_LISTEN", "[::1]:0"},
                           {"SIVO_DATA_DIR", "/var/lib/sivo"},
                           {"SIVO_ADMIN_TOKEN", "from-the-environment"},
                           {"SIVO_CA_FILE", "/ca.pem"},
                           {"SIVO_ALLOW_PRIVATE_NETWORKS", "1"},
                           {"SIVO_RETRY_SCHEDULE", "100ms"},
                           {"SIVO_ATTEMPT_TIMEOUT", "2s"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->listen_host, "::1");
  EXPECT_EQ(config->listen_port, 0);
  EXPECT_EQ(config->data_dir, "/var/lib/sivo");
  EXPECT_EQ(*config->admin_token, "from-the-environment");
  EXPECT_EQ(config->ca_file, "/ca.pem");
  EXPECT_TRUE(config->allow_private_networks);
  EXPECT_EQ(config->retry_policy.max_attempts(), 2);
  EXPECT_EQ(config->attempt_timeout, std::chrono::seconds(2));
}

TEST(Config, FlagWinsOverVariable) {
  auto config = parse({"--listen=127.0.0.1:1234", "--allow-private-networks=false"},
                      {{"SIVO_LISTEN", "0.0.0.0:80"}, {"SIVO_ALLOW_PRIVATE_NETWORKS", "true"}});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->listen_port, 1234);
  EXPECT_EQ(config->listen_host, "127.0.0.1");
  EXPECT_FALSE(config->allow_private_networks);
}

TEST(Config, AnEmptyVariableCountsAsUnset) {
  auto config = parse({}, {{"SIVO_ADMIN_TOKEN", ""}, {"SIVO_LISTEN", ""}});
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->admin_token);
  EXPECT_EQ(config->listen_port, 8080);
}

TEST(Config, InvalidValuesNameTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string mentions;
  };
  for (const auto& c : std::vector<Case>{
           {{"--listen", "nohost"}, "--listen"},
           {{"--listen", "1.2.3.4:99999"}, "--listen"},
           {{"--listen", "example.com:80"}, "--listen"},
           {{"--listen"}, "--listen needs a value"},
           {{"--retry-schedule", "5x"}, "--retry-schedule"},
           {{"--attempt-timeout", "-1s"}, "--attempt-timeout"},
           {{"--attempt-timeout", "1h"}, "--attempt-timeout"},
           {{"--admin-token", "short"}, "--admin-token"},
           {{"--allow-private-networks=maybe"}, "--allow-private-networks"},
           {{"--bogus"}, "unknown flag --bogus"},
           {{"positional"}, "unexpected argument"},
       }) {
    auto config = parse(c.args);
    ASSERT_FALSE(config) << c.args[0];
    EXPECT_EQ(config.error().code, "invalid_config");
    EXPECT_NE(config.error().message.find(c.mentions), std::string::npos) << config.error().message;
  }
  auto from_env = parse({}, {{"SIVO_LISTEN", "bad"}});
  ASSERT_FALSE(from_env);
  EXPECT_NE(from_env.error().message.find("SIVO_LISTEN"), std::string::npos);
}

TEST(Config, HelpAndVersion) {
  EXPECT_TRUE(parse({"--help"})->show_help);
  EXPECT_TRUE(parse({"--version"})->show_version);
}

TEST(Config, UsageListsEveryFlagAndVariable) {
  const std::string text = usage();
  for (std::string_view name : {"--listen", "--data-dir", "--admin-token", "--ca-file",
                                "--allow-private-networks", "--retry-schedule", "--attempt-timeout",
                                "--help", "--version", "SIVO_LISTEN", "SIVO_DATA_DIR",
                                "SIVO_ADMIN_TOKEN", "SIVO_CA_FILE", "SIVO_ALLOW_PRIVATE_NETWORKS",
                                "SIVO_RETRY_SCHEDULE", "SIVO_ATTEMPT_TIMEOUT"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

TEST(ListenAddress, ParsesV4V6AndLocalhost) {
  EXPECT_EQ(parse_listen_address("localhost:80")->host, "127.0.0.1");
  EXPECT_EQ(parse_listen_address("[::]:8080")->host, "::");
  EXPECT_EQ(parse_listen_address("[::]:8080")->port, 8080);
  EXPECT_FALSE(parse_listen_address("::1:80"));
  EXPECT_FALSE(parse_listen_address("1.2.3.4:"));
  EXPECT_FALSE(parse_listen_address("1.2.3.4:8o"));
}

}  // namespace
}  // namespace sivo::main
