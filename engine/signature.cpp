#include "engine/signature.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include <array>
#include <stdexcept>

#include "engine/base64.hpp"

namespace sivo::engine {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

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

// Appends lowercase hex, so that a prefixed signature is built in one string.
void append_hex(std::string& out, const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out.reserve(out.size() + size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0f];
  }
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  std::string hex;
  append_hex(hex, bytes, size);
  return hex;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  const auto digest = hmac_sha256(key, message);
  return to_hex(digest.data(), digest.size());
}

void HmacSha256Key::Free::operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }

HmacSha256Key::HmacSha256Key(std::string_view key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) throw std::runtime_error("OpenSSL has no HMAC");
  ctx_.reset(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);  // the context holds its own reference
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  // A null key means "keep the current one" to EVP_MAC_init, so an empty key
  // must still point somewhere.
  static constexpr unsigned char kEmpty = 0;
  const auto* key_data = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  if (!ctx_ || EVP_MAC_init(ctx_.get(), key_data, key.size(), params) != 1)
    throw std::runtime_error("cannot prepare an HMAC-SHA256 key");
}

HmacSha256Key::HmacSha256Key(const HmacSha256Key& other) : ctx_(EVP_MAC_CTX_dup(other.ctx_.get())) {
  if (!ctx_) throw std::runtime_error("cannot copy an HMAC-SHA256 key");
}

HmacSha256Key& HmacSha256Key::operator=(const HmacSha256Key& other) {
  if (this != &other) *this = HmacSha256Key(other);
  return *this;
}

Sha256Digest HmacSha256Key::sign(std::initializer_list<std::string_view> parts) {
  Sha256Digest digest{};
  std::size_t length = 0;
  // Re-initialising without a key restarts from the prepared key schedule.
  EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr);
  for (auto part : parts)
    EVP_MAC_update(ctx_.get(), reinterpret_cast<const unsigned char*>(part.data()), part.size());
  EVP_MAC_final(ctx_.get(), digest.data(), &length, digest.size());
  return digest;
}

std::string sivo_signature(std::string_view secret, std::string_view body) {
  return "sha256=" + hmac_sha256_hex(secret, body);
}

std::string sivo_signature(HmacSha256Key& secret_key, std::string_view body) {
  std::string signature;
  append_sivo_signature(signature, secret_key.sign({body}));
  return signature;
}

void append_sivo_signature(std::string& out, const Sha256Digest& digest) {
  out.append("sha256=");
  append_hex(out, digest.data(), digest.size());
}

std::string standard_webhooks_key(std::string_view secret) {
  std::string_view encoded_key = secret;
  if (encoded_key.starts_with(kSecretPrefix)) encoded_key.remove_prefix(kSecretPrefix.size());
  auto decoded_key = base64_decode(encoded_key);
  return decoded_key ? std::move(*decoded_key) : std::string(encoded_key);
}

std::string standard_webhooks_signature(std::string_view secret, std::string_view msg_id,
                                        std::int64_t timestamp_s, std::string_view body) {
  HmacSha256Key key(standard_webhooks_key(secret));
  return standard_webhooks_signature(key, msg_id, timestamp_s, body);
}

std::string standard_webhooks_signature(HmacSha256Key& key, std::string_view msg_id,
                                        std::int64_t timestamp_s, std::string_view body) {
  std::string signature;
  append_standard_webhooks_signature(signature, key, msg_id, timestamp_s, body);
  return signature;
}

void append_standard_webhooks_signature(std::string& out, HmacSha256Key& key,
                                        std::string_view msg_id, std::int64_t timestamp_s,
                                        std::string_view body) {
  // Signed content: "{msg_id}.{timestamp_s}.{body}", fed in parts.
  const std::string timestamp = std::to_string(timestamp_s);
  const auto digest = key.sign({msg_id, ".", timestamp, ".", body});
  out.append("v1,");
  base64_append(out, std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  // The length of a signature is public (it is fixed by the scheme).
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string sha256_hex(std::string_view bytes) {
  // Fetched once: with EVP_sha256() OpenSSL 3 looks the implementation up
  // in its provider store (name lookups under a lock) on every call, which
  // cost ~6x the hash of an API key, once per request.
  static EVP_MD* const kSha256 = [] {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) throw std::runtime_error("OpenSSL has no SHA256");
    return md;
  }();
  Sha256Digest digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, kSha256, nullptr);
  return to_hex(digest.data(), digest.size());
}

}  // namespace sivo::engine
