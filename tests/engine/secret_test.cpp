#include "engine/secret.hpp"

#include <gtest/gtest.h>

#include <set>

#include "engine/base64.hpp"

namespace sivo::engine {
namespace {

TEST(GenerateEndpointSecret, IsPrefixedBase64Of32Bytes) {
  const std::string secret = generate_endpoint_secret();
  ASSERT_TRUE(secret.starts_with("whsec_"));
  const auto key = base64_decode(std::string_view(secret).substr(6));
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->size(), 32u);
  EXPECT_EQ(secret.size(), 6u + 44u);
}

TEST(GenerateEndpointSecret, PassesItsOwnValidation) {
  const std::string secret = generate_endpoint_secret();
  const auto validated = validate_endpoint_secret(secret);
  ASSERT_TRUE(validated.ok()) << validated.error().message;
  EXPECT_EQ(*validated, secret);
}

TEST(GenerateEndpointSecret, IsDifferentEveryTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(seen.insert(generate_endpoint_secret()).second);
}

TEST(ValidateEndpointSecret, AcceptsTwentyFourToSixtyFourBytes) {
  EXPECT_TRUE(validate_endpoint_secret("whsec_" + base64_encode(std::string(24, 'k'))).ok());
  EXPECT_TRUE(validate_endpoint_secret("whsec_" + base64_encode(std::string(64, 'k'))).ok());
  // The Standard Webhooks test secret is 24 bytes.
  EXPECT_TRUE(validate_endpoint_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").ok());
}

TEST(ValidateEndpointSecret, RejectsWrongLengthsPrefixesAndEncodings) {
  const std::vector<std::string> bad = {
      "",
      "whsec_",
      "whsec_" + base64_encode(std::string(23, 'k')),
      "whsec_" + base64_encode(std::string(65, 'k')),
      base64_encode(std::string(32, 'k')),             // no prefix
      "WHSEC_" + base64_encode(std::string(32, 'k')),  // prefix is case-sensitive
      "whsec_" + base64_encode(std::string(32, 'k')) + " ",
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=",  // bad padding
      "whsec_MfKQ9r8GKYqrTwjUPD8I-PZIo2LaLaSw",   // url-safe alphabet
      "whsec_not base64 at all, clearly not base64",
  };
  for (const auto& secret : bad) {
    const auto validated = validate_endpoint_secret(secret);
    ASSERT_FALSE(validated.ok()) << '"' << secret << '"';
    EXPECT_EQ(validated.error().code, "invalid_secret");
    EXPECT_NE(validated.error().message.find("whsec_"), std::string::npos);
  }
}

TEST(GenerateApiKey, IsThePrefixAnd64HexDigits) {
  const std::string key = generate_api_key("sk_");
  ASSERT_TRUE(key.starts_with("sk_"));
  EXPECT_EQ(key.size(), 3u + 64u);
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef", 3), std::string::npos);
  EXPECT_NE(generate_api_key("sk_"), key);
}

TEST(GenerateAdminToken, IsLongRandomAndRecognisable) {
  const std::string token = generate_admin_token();
  EXPECT_TRUE(token.starts_with("sivo_admin_"));
  EXPECT_EQ(token.size(), 11u + 64u);
  EXPECT_NE(generate_admin_token(), token);
}

}  // namespace
}  // namespace sivo::engine
