#pragma once
// How a receiver knows a delivery came from us: HMAC-SHA256 over the exact
// body bytes. Two spellings are sent: the seed's X-Sivo-Signature and the
// Standard Webhooks webhook-signature (API.md §6).

#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace sivo::engine {

using Sha256Digest = std::array<unsigned char, 32>;

// HMAC-SHA256 with its key prepared once, for signing many messages with the
// same secret: an endpoint signs every attempt. The key's two padded blocks
// are hashed here, once, and sign() resumes from those two states: per
// message it hashes only the message and the inner digest, and allocates
// nothing (OpenSSL 3.0's EVP_MAC copied two digest contexts per message, an
// allocation each, and hashed nothing less). A copy is a plain copy of the
// two states; sign() does not change them, so one key may sign on several
// threads at once.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  HmacSha256Key(const HmacSha256Key&) = default;
  HmacSha256Key& operator=(const HmacSha256Key&) = default;
  // The states stand for the key: they are wiped, like the key they replace.
  ~HmacSha256Key();

  // HMAC over the concatenation of `parts`, without concatenating them.
  Sha256Digest sign(std::initializer_list<std::string_view> parts) const;

 private:
  SHA256_CTX inner_;  // SHA-256 after (key XOR ipad)
  SHA256_CTX outer_;  // SHA-256 after (key XOR opad)
};

// Lowercase hex of HMAC-SHA256(key, message).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// "sha256=" + hmac_sha256_hex(secret, body). The key is the whole secret
// string, "whsec_" prefix included, because that is what the seed's Node.js
// snippet (createHmac('sha256', WEBHOOK_SECRET)) does with it.
std::string sivo_signature(std::string_view secret, std::string_view body);
// The same with the secret prepared: HmacSha256Key(secret).
std::string sivo_signature(const HmacSha256Key& secret_key, std::string_view body);
// Appends "sha256=" + the lowercase hex of secret_key.sign({body}): an
// endpoint signs an event's body once and writes the value on each attempt.
void append_sivo_signature(std::string& out, const Sha256Digest& digest);

// "v1," + base64(HMAC-SHA256(key, "{msg_id}.{timestamp_s}.{body}")) where the
// key is the base64-decoded part after "whsec_", as Standard Webhooks
// libraries expect. A secret whose tail is not valid base64 falls back to its
// raw bytes (validate_endpoint_secret refuses such secrets up front).
std::string standard_webhooks_signature(std::string_view secret, std::string_view msg_id,
                                        std::int64_t timestamp_s, std::string_view body);
// That key: the base64-decoded tail of the secret (its raw bytes if invalid).
std::string standard_webhooks_key(std::string_view secret);
// The same with the key prepared: HmacSha256Key(standard_webhooks_key(secret)).
std::string standard_webhooks_signature(const HmacSha256Key& key, std::string_view msg_id,
                                        std::int64_t timestamp_s, std::string_view body);
// The same, appended to `out`.
void append_standard_webhooks_signature(std::string& out, const HmacSha256Key& key,
                                        std::string_view msg_id, std::int64_t timestamp_s,
                                        std::string_view body);

// One endpoint secret prepared for both signatures, built when the secret
// changes and used for every delivery signed with it.
struct SigningSecret {
  explicit SigningSecret(std::string_view secret)
      : sivo_key(secret), standard_key(standard_webhooks_key(secret)) {}

  HmacSha256Key sivo_key;      // the whole secret string (X-Sivo-Signature)
  HmacSha256Key standard_key;  // the Standard Webhooks key (webhook-signature)
};

// Compares in time independent of where the inputs differ, so a forger cannot
// learn a signature byte by byte. Different lengths compare unequal.
bool constant_time_equals(std::string_view a, std::string_view b);

// Lowercase hex of SHA-256(bytes): API keys are stored only as this digest.
std::string sha256_hex(std::string_view bytes);

}  // namespace sivo::engine
