// The wire format's encoding is protobuf's, byte for byte: values written by
// one build are read by every later one (the delivery log is kept forever).

#include "storage/wire.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>

namespace sivo::storage::wire {
namespace {

std::string varint(std::uint64_t value) {
  std::string out = "x";  // appended after what the buffer holds
  put_varint(out, value);
  return out.substr(1);
}

TEST(Wire, VarintsAreProtobufsSevenBitGroupsLeastSignificantFirst) {
  EXPECT_EQ(varint(0), std::string(1, '\0'));
  EXPECT_EQ(varint(1), "\x01");
  EXPECT_EQ(varint(127), "\x7f");
  EXPECT_EQ(varint(128), "\x80\x01");
  EXPECT_EQ(varint(300), "\xac\x02");
  EXPECT_EQ(varint(1ull << 42), std::string(6, '\x80') + "\x01");
  EXPECT_EQ(varint(UINT64_MAX), std::string(9, '\xff') + "\x01");
}

TEST(Wire, EveryVarintLengthReadsBack) {
  for (int bits = 0; bits <= 64; ++bits) {
    const std::uint64_t top = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
    for (const std::uint64_t value : std::initializer_list<std::uint64_t>{top, top + 1, top / 3}) {
      const std::string bytes = varint(value);
      std::string_view in = bytes;
      std::uint64_t read = 0;
      ASSERT_TRUE(get_varint(in, read)) << value;
      EXPECT_EQ(read, value);
      EXPECT_TRUE(in.empty()) << value;
    }
  }
}

TEST(Wire, AFieldIsItsTagThenItsVarintOrItsLengthAndBytes) {
  std::string out = "\x01";  // the version byte
  Writer writer(out);
  writer.u64(1, 150);
  writer.i64(2, -3);
  writer.bytes(3, "hi");
  writer.u64(16, 1);  // a two-byte tag
  EXPECT_EQ(out, std::string("\x01" "\x08\x96\x01" "\x10\x05" "\x1a\x02hi" "\x80\x01\x01"));

  Reader reader(std::string_view(out).substr(1));
  Field field;
  ASSERT_TRUE(reader.next(field));
  EXPECT_EQ(field.number, 1u);
  EXPECT_EQ(field.varint, 150u);
  ASSERT_TRUE(reader.next(field));
  EXPECT_EQ(field.as_i64(), -3);
  ASSERT_TRUE(reader.next(field));
  EXPECT_EQ(field.bytes, "hi");
  ASSERT_TRUE(reader.next(field));
  EXPECT_EQ(field.number, 16u);
  EXPECT_FALSE(reader.next(field));
  EXPECT_FALSE(reader.failed());
}

}  // namespace
}  // namespace sivo::storage::wire
