#include "engine/secret.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "engine/base64.hpp"
#include "engine/hex.hpp"

namespace sivo::engine {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::size_t kGeneratedBytes = 32;
constexpr std::size_t kMinSecretBytes = 24;
constexpr std::size_t kMaxSecretBytes = 64;

std::array<unsigned char, kGeneratedBytes> random_bytes() {
  std::array<unsigned char, kGeneratedBytes> bytes{};
  // A CSPRNG that cannot be seeded is the truly exceptional case: handing
  // out a predictable secret would be worse than failing the request.
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed: no secure randomness available");
  }
  return bytes;
}

std::string random_hex() { return hex_encode(random_bytes()); }

Error invalid(std::string_view why) {
  return Error{"invalid_secret",
               "invalid endpoint secret: " + std::string(why) +
                   " (expected \"whsec_\" followed by standard base64 of 24 to 64 bytes)"};
}

}  // namespace

std::string generate_endpoint_secret() {
  const auto bytes = random_bytes();
  return std::string(kSecretPrefix) +
         base64_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Result<std::string> validate_endpoint_secret(std::string_view secret) {
  // The message never echoes the secret: it would end up in logs.
  if (!secret.starts_with(kSecretPrefix)) return invalid("it does not start with \"whsec_\"");
  const auto key = base64_decode(secret.substr(kSecretPrefix.size()));
  if (!key) return invalid("the part after \"whsec_\" is not valid base64");
  if (key->size() < kMinSecretBytes) {
    return invalid("it decodes to " + std::to_string(key->size()) + " bytes, fewer than 24");
  }
  if (key->size() > kMaxSecretBytes) {
    return invalid("it decodes to " + std::to_string(key->size()) + " bytes, more than 64");
  }
  return std::string(secret);
}

std::string generate_api_key(std::string_view prefix) { return std::string(prefix) + random_hex(); }

std::string generate_admin_token() { return "sivo_admin_" + random_hex(); }

}  // namespace sivo::engine
