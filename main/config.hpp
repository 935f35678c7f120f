#pragma once
// The command line and environment of sivo-webhooks (API.md section 5). Pure:
// arguments and an environment lookup in, a Config or an error message out,
// so every rule is unit-tested without starting anything.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"
#include "engine/retry_policy.hpp"

namespace sivo::main {

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string data_dir = "./data";
  std::optional<std::string> admin_token;  // none: generated and printed once at first start
  std::string ca_file;                     // extra trusted CAs (PEM); empty = system CAs only
  bool allow_private_networks = false;
  engine::RetryPolicy retry_policy = engine::RetryPolicy::seed_default();
  std::chrono::milliseconds attempt_timeout{10000};

  bool show_help = false;
  bool show_version = false;
};

// Looks up an environment variable; nullopt when unset.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;

// `args` without the program name. Each flag NAME may also come from the
// environment variable SIVO_<NAME> (upper case, '-' -> '_'); a flag given on
// the command line wins. Flags take "--flag value" or "--flag=value";
// --allow-private-networks takes no value (its variable: 1/true/yes/on or
// 0/false/no/off). Error{"invalid_config", message naming the flag}.
engine::Result<Config> parse_config(const std::vector<std::string>& args, const Environment& env);

// "HOST:PORT" / "[v6]:PORT"; HOST is an IP address or "localhost".
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
engine::Result<ListenAddress> parse_listen_address(std::string_view text);

// The --help text: every flag, its variable and its default.
std::string usage();

// The process environment, for main().
Environment process_environment();

}  // namespace sivo::main
