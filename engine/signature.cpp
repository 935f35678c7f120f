#include "engine/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "engine/base64.hpp"
#include "engine/hex.hpp"

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

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  const auto digest = hmac_sha256(key, message);
  return hex_encode(digest);
}

// OpenSSL 3.0 deprecates the low-level SHA256_* functions in favour of EVP,
// but EVP cannot resume a digest from a saved state without duplicating its
// context (an allocation), which is the cost HmacSha256Key exists to avoid.
// They run the same assembly (SHA-NI where the CPU has it) and are kept in
// every OpenSSL 3 release.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

HmacSha256Key::HmacSha256Key(std::string_view key) {
  // RFC 2104: a key longer than the block is replaced by its digest, a
  // shorter one padded with zeros to the block.
  std::array<unsigned char, SHA256_CBLOCK> block{};
  if (key.size() > block.size())
    SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), block.data());
  else
    std::copy(key.begin(), key.end(), block.begin());
  for (auto& byte : block) byte ^= 0x36;
  SHA256_Init(&inner_);
  SHA256_Update(&inner_, block.data(), block.size());
  for (auto& byte : block) byte ^= 0x36 ^ 0x5c;
  SHA256_Init(&outer_);
  SHA256_Update(&outer_, block.data(), block.size());
  OPENSSL_cleanse(block.data(), block.size());
}

HmacSha256Key::~HmacSha256Key() {
  OPENSSL_cleanse(&inner_, sizeof inner_);
  OPENSSL_cleanse(&outer_, sizeof outer_);
}

Sha256Digest HmacSha256Key::sign(std::initializer_list<std::string_view> parts) const {
  Sha256Digest inner_digest{};
  SHA256_CTX ctx = inner_;
  for (auto part : parts) SHA256_Update(&ctx, part.data(), part.size());
  SHA256_Final(inner_digest.data(), &ctx);
  Sha256Digest digest{};
  ctx = outer_;
  SHA256_Update(&ctx, inner_digest.data(), inner_digest.size());
  SHA256_Final(digest.data(), &ctx);
  OPENSSL_cleanse(&ctx, sizeof ctx);
  return digest;
}

#pragma GCC diagnostic pop

std::string sivo_signature(std::string_view secret, std::string_view body) {
  return "sha256=" + hmac_sha256_hex(secret, body);
}

std::string sivo_signature(const HmacSha256Key& secret_key, std::string_view body) {
  std::string signature;
  append_sivo_signature(signature, secret_key.sign({body}));
  return signature;
}

void append_sivo_signature(std::string& out, const Sha256Digest& digest) {
  out.append("sha256=");
  hex_append(out, digest);
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

std::string standard_webhooks_signature(const HmacSha256Key& key, std::string_view msg_id,
                                        std::int64_t timestamp_s, std::string_view body) {
  std::string signature;
  append_standard_webhooks_signature(signature, key, msg_id, timestamp_s, body);
  return signature;
}

void append_standard_webhooks_signature(std::string& out, const HmacSha256Key& key,
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
  return hex_encode(digest);
}

}  // namespace sivo::engine
