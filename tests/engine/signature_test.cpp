#include "engine/signature.hpp"

#include <gtest/gtest.h>

namespace sivo::engine {
namespace {

// Every expected value below was computed with the openssl CLI, e.g.
//   printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'whsec_...'
// so these tests check the implementation against an independent one.

constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kEnvelope =
    R"({"id":"evt_01jdq8x4z9k3m2n7p5r6t8v0w1","type":"call.ended","tenant_id":"acme","created_at":"2026-11-26T10:00:00.123Z","data":{"call_id":"call_1"}})";

TEST(HmacSha256Hex, MatchesKnownVectors) {
  EXPECT_EQ(hmac_sha256_hex("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  EXPECT_EQ(hmac_sha256_hex("key", ""),
            "5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0");
}

TEST(HmacSha256Hex, IsLowercaseHexOf32Bytes) {
  const std::string hex = hmac_sha256_hex("k", "m");
  EXPECT_EQ(hex.size(), 64u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(SivoSignature, KeysWithTheWholeSecretIncludingThePrefix) {
  // What the seed's Node.js snippet computes: createHmac('sha256', WEBHOOK_SECRET).
  EXPECT_EQ(sivo_signature(kSecret, kEnvelope),
            "sha256=da1cf54149a65aea257a4a52c6fd09401a592a6154321845333b184c724ac22a");
  EXPECT_EQ(sivo_signature(kSecret, kEnvelope), "sha256=" + hmac_sha256_hex(kSecret, kEnvelope));
  EXPECT_NE(sivo_signature(kSecret, kEnvelope),
            "sha256=" + hmac_sha256_hex(kSecret.substr(6), kEnvelope));
}

TEST(SivoSignature, ChangesWithAnyByteOfTheBody) {
  std::string tampered(kEnvelope);
  tampered[tampered.size() - 3] = '2';
  EXPECT_NE(sivo_signature(kSecret, kEnvelope), sivo_signature(kSecret, tampered));
}

TEST(StandardWebhooksSignature, MatchesThePublishedTestVector) {
  // From the Standard Webhooks specification's reference libraries.
  EXPECT_EQ(standard_webhooks_signature(kSecret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                        R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(StandardWebhooksSignature, SignsIdTimestampAndBody) {
  // openssl dgst -sha256 -mac HMAC -macopt hexkey:<base64-decoded secret> -binary | base64
  EXPECT_EQ(
      standard_webhooks_signature(kSecret, "evt_01jdq8x4z9k3m2n7p5r6t8v0w1", 1764151200, kEnvelope),
      "v1,hnET8P1OkvIY8I+EYqX/LuzSjpxghuqD52oWCImXoqw=");
  EXPECT_NE(standard_webhooks_signature(kSecret, "evt_other", 1764151200, kEnvelope),
            standard_webhooks_signature(kSecret, "evt_01jdq8x4z9k3m2n7p5r6t8v0w1", 1764151200,
                                        kEnvelope));
  EXPECT_NE(standard_webhooks_signature(kSecret, "evt_1", 1764151200, kEnvelope),
            standard_webhooks_signature(kSecret, "evt_1", 1764151201, kEnvelope));
}

TEST(HmacSha256Key, SignsLikeTheOneShotHmacEveryTimeItIsReused) {
  HmacSha256Key key("key");
  for (int i = 0; i < 3; ++i) {
    // In parts, as if concatenated.
    EXPECT_EQ(key.sign({"The quick brown fox ", "", "jumps over the lazy dog"}),
              key.sign({"The quick brown fox jumps over the lazy dog"}));
    EXPECT_EQ(sivo_signature(key, "The quick brown fox jumps over the lazy dog"),
              "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  }
  HmacSha256Key copy(key);
  EXPECT_EQ(sivo_signature(copy, ""),
            "sha256=5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0");
  HmacSha256Key empty("");
  EXPECT_EQ(sivo_signature(empty, "m"), "sha256=" + hmac_sha256_hex("", "m"));
}

// RFC 4231's HMAC-SHA-256 test cases 1, 2, 6 and 7: short keys, and keys
// longer than SHA-256's 64-byte block, which are hashed before padding.
TEST(HmacSha256Key, MatchesRfc4231) {
  const auto hex = [](const Sha256Digest& d) {
    std::string out;
    append_sivo_signature(out, d);
    return out.substr(7);
  };
  EXPECT_EQ(hex(HmacSha256Key(std::string(20, '\x0b')).sign({"Hi There"})),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex(HmacSha256Key("Jefe").sign({"what do ya want ", "for nothing?"})),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const std::string long_key(131, '\xaa');
  EXPECT_EQ(hex(HmacSha256Key(long_key).sign(
                {"Test Using Larger Than Block-Size Key - Hash Key First"})),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hex(HmacSha256Key(long_key).sign(
                {"This is a test using a larger than block-size key and a larger than block-size "
                 "data. The key needs to be hashed before being used by the HMAC algorithm."})),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

// Key lengths on both sides of the block size (64) and message lengths on
// both sides of the block boundaries, fed whole and split in two at every
// 13th byte, against OpenSSL's one-shot HMAC.
TEST(HmacSha256Key, AgreesWithTheOneShotHmacAcrossBlockBoundaries) {
  std::string message;
  for (int i = 0; i < 200; ++i) message += static_cast<char>('a' + i % 26);
  for (std::size_t key_size : {0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 200}) {
    std::string key(key_size, '\0');
    for (std::size_t i = 0; i < key_size; ++i) key[i] = static_cast<char>(i * 7 + 1);
    const HmacSha256Key prepared(key);
    for (std::size_t size : {0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 200}) {
      const std::string_view m(message.data(), size);
      std::string hex;
      append_sivo_signature(hex, prepared.sign({m}));
      ASSERT_EQ(hex, "sha256=" + hmac_sha256_hex(key, m)) << key_size << " / " << size;
      for (std::size_t split = 0; split <= size; split += 13)
        ASSERT_EQ(prepared.sign({m.substr(0, split), m.substr(split)}), prepared.sign({m}))
            << key_size << " / " << size << " / " << split;
    }
  }
}

TEST(HmacSha256Key, AnAssignedKeySignsLikeItsSource) {
  HmacSha256Key key("one");
  const HmacSha256Key other("two");
  key = other;
  EXPECT_EQ(sivo_signature(key, "m"), "sha256=" + hmac_sha256_hex("two", "m"));
  EXPECT_EQ(sivo_signature(other, "m"), "sha256=" + hmac_sha256_hex("two", "m"));
}

TEST(SigningSecret, GivesTheSameSignaturesAsTheSecretString) {
  SigningSecret secret(kSecret);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(sivo_signature(secret.sivo_key, kEnvelope), sivo_signature(kSecret, kEnvelope));
    EXPECT_EQ(standard_webhooks_signature(secret.standard_key, "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                          1614265330, R"({"test": 2432232314})"),
              "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }
  // A tail that is not base64 keys with its raw bytes.
  SigningSecret raw("whsec_not*base64");
  EXPECT_EQ(standard_webhooks_key("whsec_not*base64"), "not*base64");
  EXPECT_EQ(standard_webhooks_signature(raw.standard_key, "m", 1, "b"),
            standard_webhooks_signature("whsec_not*base64", "m", 1, "b"));
}

// The appending forms give the string forms' bytes after what `out` held.
TEST(SigningSecret, AppendsTheSameSignaturesAfterWhatTheBufferHeld) {
  SigningSecret secret(kSecret);
  std::string out = "held ";
  append_sivo_signature(out, secret.sivo_key.sign({kEnvelope}));
  EXPECT_EQ(out, "held " + sivo_signature(kSecret, kEnvelope));
  out = "held ";
  append_standard_webhooks_signature(out, secret.standard_key, "evt_1", 1764151201, kEnvelope);
  EXPECT_EQ(out, "held " + standard_webhooks_signature(kSecret, "evt_1", 1764151201, kEnvelope));
}

TEST(ConstantTimeEquals, ComparesContent) {
  EXPECT_TRUE(constant_time_equals("sha256=abc", "sha256=abc"));
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_FALSE(constant_time_equals("sha256=abc", "sha256=abd"));
  EXPECT_FALSE(constant_time_equals("sha256=abc", "sha256=ab"));
  EXPECT_FALSE(constant_time_equals("", "x"));
  EXPECT_FALSE(constant_time_equals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

TEST(Sha256Hex, MatchesKnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace sivo::engine
