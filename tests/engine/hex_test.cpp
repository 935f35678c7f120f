#include "engine/hex.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace sivo::engine {
namespace {

TEST(Hex, TwoLowercaseDigitsPerByteHighNibbleFirst) {
  const std::array<unsigned char, 6> bytes = {0x00, 0x01, 0x0f, 0xa5, 0xf0, 0xff};
  EXPECT_EQ(hex_encode(bytes), "00010fa5f0ff");
  EXPECT_EQ(hex_encode({}), "");
}

TEST(Hex, AppendsAfterWhatTheStringHeld) {
  std::string out = "sha256=";
  const std::array<unsigned char, 2> bytes = {0xde, 0xad};
  hex_append(out, bytes);
  EXPECT_EQ(out, "sha256=dead");
}

}  // namespace
}  // namespace sivo::engine
