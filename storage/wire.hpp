#pragma once
// The wire format of every binary value storage writes. A value is one format
// version byte followed by fields in protobuf's encoding (tag = number << 3 |
// wire type; varints; length-delimited bytes). Fields are self-describing: a
// reader skips numbers it does not know and keeps defaults for numbers it does
// not find, so fields can be added without a version bump. The version byte
// changes only for what this scheme cannot express; readers keep decoding
// every version ever written (the delivery log is kept forever).

#include <cstdint>
#include <string>
#include <string_view>

namespace sivo::storage::wire {

void put_varint(std::string& out, std::uint64_t value);
// Reads one varint from the front of `in` and advances it; false if malformed.
bool get_varint(std::string_view& in, std::uint64_t& value);

inline std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Appends fields to `out` (which already holds the version byte).
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void u64(std::uint32_t number, std::uint64_t value);
  void i64(std::uint32_t number, std::int64_t value);  // zigzag, so small negatives stay small
  void boolean(std::uint32_t number, bool value) { u64(number, value ? 1 : 0); }
  void bytes(std::uint32_t number, std::string_view value);

 private:
  std::string& out_;
};

struct Field {
  std::uint32_t number = 0;
  std::uint64_t varint = 0;  // for varint fields
  std::string_view bytes;    // for length-delimited fields
  bool is_bytes = false;

  std::int64_t as_i64() const { return unzigzag(varint); }
};

// Iterates the fields after the version byte.
class Reader {
 public:
  explicit Reader(std::string_view fields) : in_(fields) {}
  // The next known-shaped field; false at the end or on malformed input
  // (then failed() is true). Fixed-width fields (wire types 1, 5) are skipped.
  bool next(Field& field);
  bool failed() const { return failed_; }

 private:
  std::string_view in_;
  bool failed_ = false;
};

}  // namespace sivo::storage::wire
