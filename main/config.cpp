#include "main/config.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstdlib>

#include "engine/duration.hpp"

namespace sivo::main {

namespace {

using engine::Error;

constexpr std::chrono::minutes kMaxAttemptTimeout{10};

Error invalid(std::string message) { return Error{"invalid_config", std::move(message)}; }

struct FlagSpec {
  std::string_view name;  // without "--"
  bool takes_value;
  std::string_view value_name;
  std::string_view help;
};

constexpr FlagSpec kFlags[] = {
    {"listen", true, "HOST:PORT", "the API and dashboard address (default 127.0.0.1:8080)"},
    {"data-dir", true, "DIR", "the RocksDB store, created if absent (default ./data)"},
    {"admin-token", true, "TOKEN",
     "the admin bearer token (default: generated and printed once at first start)"},
    {"ca-file", true, "FILE", "extra CA certificates (PEM) trusted for endpoints (default none)"},
    {"allow-private-networks", false, "",
     "allow endpoints on loopback/private/link-local addresses (default off)"},
    {"retry-schedule", true, "LIST",
     "delays after failed attempts 1..N, units ms/s/m/h (default 5s,30s,2m,10m,1h,6h)"},
    {"attempt-timeout", true, "DUR", "the per-attempt limit (default 10s)"},
    {"help", false, "", "print this help and exit"},
    {"version", false, "", "print the version and exit"},
};

const FlagSpec* find_flag(std::string_view name) {
  for (const auto& flag : kFlags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

std::string env_name(std::string_view flag) {
  std::string out = "SIVO_";
  for (char c : flag) out += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return out;
}

std::optional<bool> parse_bool(std::string_view text) {
  for (auto yes : {"1", "true", "yes", "on", "TRUE", "True", "YES", "ON"}) {
    if (text == yes) return true;
  }
  for (auto no : {"0", "false", "no", "off", "FALSE", "False", "NO", "OFF", ""}) {
    if (text == no) return false;
  }
  return std::nullopt;
}

// Applies one setting (from a flag or a variable; `source` names it in errors).
std::optional<Error> apply(Config& config, std::string_view name, const std::string& value,
                           const std::string& source) {
  if (name == "listen") {
    auto address = parse_listen_address(value);
    if (!address) return invalid(source + ": " + address.error().message);
    config.listen_host = address->host;
    config.listen_port = address->port;
  } else if (name == "data-dir") {
    if (value.empty()) return invalid(source + ": the data directory must not be empty");
    config.data_dir = value;
  } else if (name == "admin-token") {
    if (value.size() < 16) {
      return invalid(source + ": the admin token must be at least 16 characters");
    }
    if (value.size() > 512) return invalid(source + ": the admin token is longer than 512 characters");
    for (char c : value) {
      if (c <= ' ' || c == 0x7f) {
        return invalid(source + ": the admin token must not contain spaces or control characters");
      }
    }
    config.admin_token = value;
  } else if (name == "ca-file") {
    config.ca_file = value;
  } else if (name == "allow-private-networks") {
    auto flag = parse_bool(value);
    if (!flag) return invalid(source + ": expected 1/true/yes/on or 0/false/no/off, not \"" + value + "\"");
    config.allow_private_networks = *flag;
  } else if (name == "retry-schedule") {
    auto policy = engine::RetryPolicy::parse(value);
    if (!policy) return invalid(source + ": " + policy.error().message);
    config.retry_policy = std::move(*policy);
  } else if (name == "attempt-timeout") {
    auto timeout = engine::parse_duration(value);
    if (!timeout) return invalid(source + ": " + timeout.error().message);
    if (*timeout > kMaxAttemptTimeout) return invalid(source + ": at most 10m");
    config.attempt_timeout = *timeout;
  }
  return std::nullopt;
}

}  // namespace

engine::Result<ListenAddress> parse_listen_address(std::string_view text) {
  std::string_view host, port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return invalid("\"" + std::string(text) + "\" is not HOST:PORT ([v6-address]:PORT for IPv6)");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) {
      return invalid("\"" + std::string(text) + "\" is not HOST:PORT ([v6-address]:PORT for IPv6)");
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return invalid("port \"" + std::string(port_text) + "\" is not a number from 0 to 65535");
  }
  ListenAddress out;
  out.port = static_cast<std::uint16_t>(port);
  if (host == "localhost") {
    out.host = "127.0.0.1";
    return out;
  }
  std::string host_string(host);
  unsigned char buffer[16];
  if (inet_pton(AF_INET, host_string.c_str(), buffer) != 1 &&
      inet_pton(AF_INET6, host_string.c_str(), buffer) != 1) {
    return invalid("host \"" + host_string + "\" is not an IP address (or localhost)");
  }
  out.host = host_string;
  return out;
}

engine::Result<Config> parse_config(const std::vector<std::string>& args, const Environment& env) {
  Config config;

  // The environment first, so that flags override it.
  for (const auto& flag : kFlags) {
    if (flag.name == "help" || flag.name == "version") continue;
    const std::string variable = env_name(flag.name);
    auto value = env ? env(variable) : std::nullopt;
    if (!value || value->empty()) continue;  // an empty variable counts as unset
    if (auto error = apply(config, flag.name, *value, variable)) return *error;
  }

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with("--") || arg.size() == 2) {
      return invalid("unexpected argument \"" + std::string(arg) + "\" (see --help)");
    }
    arg.remove_prefix(2);
    std::optional<std::string> inline_value;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      inline_value = std::string(arg.substr(eq + 1));
      arg = arg.substr(0, eq);
    }
    const FlagSpec* flag = find_flag(arg);
    if (!flag) return invalid("unknown flag --" + std::string(arg) + " (see --help)");
    const std::string source = "--" + std::string(flag->name);
    if (flag->name == "help" || flag->name == "version") {
      if (inline_value) return invalid(source + " takes no value");
      (flag->name == "help" ? config.show_help : config.show_version) = true;
      continue;
    }
    std::string value;
    if (!flag->takes_value) {
      value = inline_value.value_or("true");
    } else if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= args.size()) return invalid(source + " needs a value: " + source + " " + std::string(flag->value_name));
      value = args[++i];
    }
    if (auto error = apply(config, flag->name, value, source)) return *error;
  }
  return config;
}

std::string usage() {
  std::string out =
      "Usage: sivo-webhooks [flags]\n"
      "\n"
      "A webhook delivery engine: accepts events over HTTP and delivers each one,\n"
      "signed, to every matching HTTPS endpoint, with retries and a dead-letter queue.\n"
      "\n"
      "Flags (each also read from the environment variable shown; a flag wins):\n";
  for (const auto& flag : kFlags) {
    std::string left = "  --" + std::string(flag.name);
    if (flag.takes_value) left += " " + std::string(flag.value_name);
    out += left;
    out += '\n';
    out += "      ";
    out += flag.help;
    if (flag.name != "help" && flag.name != "version") {
      out += "\n      env: " + env_name(flag.name);
    }
    out += '\n';
  }
  return out;
}

Environment process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

}  // namespace sivo::main
