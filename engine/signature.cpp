#include "engine/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "engine/base64.hpp"

namespace sivo::engine {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
  Sha256Digest digest{};
  unsigned int length = 0;
  // HMAC() accepts a null key pointer only with length 0; an empty
  // string_view may carry nullptr, so always pass a real address.
  static constexpr unsigned char kEmpty = 0;
  const void* key_data = key.empty() ? &kEmpty : static_cast<const void*>(key.data());
  const auto* message_data =
      message.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(message.data());
  HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()), message_data, message.size(),
       digest.data(), &length);
  return digest;
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(size * 2, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    hex[2 * i] = kDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return hex;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  const auto digest = hmac_sha256(key, message);
  return to_hex(digest.data(), digest.size());
}

std::string sivo_signature(std::string_view secret, std::string_view body) {
  return "sha256=" + hmac_sha256_hex(secret, body);
}

std::string standard_webhooks_signature(std::string_view secret, std::string_view msg_id,
                                        std::int64_t timestamp_s, std::string_view body) {
  std::string_view encoded_key = secret;
  if (encoded_key.starts_with(kSecretPrefix)) encoded_key.remove_prefix(kSecretPrefix.size());
  const auto decoded_key = base64_decode(encoded_key);
  const std::string key = decoded_key ? *decoded_key : std::string(encoded_key);

  std::string signed_content;
  signed_content.reserve(msg_id.size() + body.size() + 24);
  signed_content.append(msg_id);
  signed_content += '.';
  signed_content += std::to_string(timestamp_s);
  signed_content += '.';
  signed_content.append(body);

  const auto digest = hmac_sha256(key, signed_content);
  return "v1," + base64_encode(
                     std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  // The length of a signature is public (it is fixed by the scheme).
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256Digest digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return to_hex(digest.data(), digest.size());
}

}  // namespace sivo::engine
