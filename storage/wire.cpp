#include "storage/wire.hpp"

namespace sivo::storage::wire {

namespace {
constexpr std::uint64_t kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5;
constexpr std::size_t kMaxVarint = 10;  // 64 bits, 7 per byte

// Writes the varint of `value` at `at` (kMaxVarint bytes of room) and returns
// its length. The callers append what they encoded at once: one append per
// field, where a push_back per byte checked the capacity for each (a
// delivery writes some 120 varints: bench (i)).
std::size_t encode_varint(char* at, std::uint64_t value) {
  std::size_t n = 0;
  while (value >= 0x80) {
    at[n++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  at[n++] = static_cast<char>(value);
  return n;
}

// A field's tag and one varint after it (its value, or its length).
void put_tagged(std::string& out, std::uint64_t tag, std::uint64_t value) {
  char buffer[2 * kMaxVarint];
  std::size_t n = encode_varint(buffer, tag);
  n += encode_varint(buffer + n, value);
  out.append(buffer, n);
}
}  // namespace

void put_varint(std::string& out, std::uint64_t value) {
  char buffer[kMaxVarint];
  out.append(buffer, encode_varint(buffer, value));
}

bool get_varint(std::string_view& in, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

void Writer::u64(std::uint32_t number, std::uint64_t value) {
  put_tagged(out_, (static_cast<std::uint64_t>(number) << 3) | kVarint, value);
}

void Writer::i64(std::uint32_t number, std::int64_t value) { u64(number, zigzag(value)); }

void Writer::bytes(std::uint32_t number, std::string_view value) {
  put_tagged(out_, (static_cast<std::uint64_t>(number) << 3) | kBytes, value.size());
  out_.append(value);
}

bool Reader::next(Field& field) {
  for (;;) {
    if (in_.empty()) return false;  // the end
    std::uint64_t tag = 0;
    if (!get_varint(in_, tag)) break;
    const std::uint64_t type = tag & 7;
    field = Field{};
    field.number = static_cast<std::uint32_t>(tag >> 3);
    if (type == kVarint) {
      if (!get_varint(in_, field.varint)) break;
      return true;
    }
    if (type == kBytes) {
      std::uint64_t size = 0;
      if (!get_varint(in_, size) || size > in_.size()) break;
      field.bytes = in_.substr(0, size);
      field.is_bytes = true;
      in_.remove_prefix(size);
      return true;
    }
    const std::size_t width = type == kFixed64 ? 8 : type == kFixed32 ? 4 : 0;
    if (width == 0 || width > in_.size()) break;
    in_.remove_prefix(width);  // a fixed-width field of a future writer: skip it
  }
  failed_ = true;  // left the loop on malformed input
  in_ = {};
  return false;
}

}  // namespace sivo::storage::wire
