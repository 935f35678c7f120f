#pragma once
// What an appending key builder or encoder adds to a buffer that already
// holds other bytes, as a write set's buffer does; it must leave them alone.

#include <gtest/gtest.h>

#include <string>

namespace sivo::storage::testing {

template <class Append>
std::string appended(Append&& append) {
  const std::string held("earlier\0bytes", 13);
  std::string out = held;
  append(out);
  EXPECT_EQ(out.substr(0, held.size()), held);
  return out.substr(held.size());
}

}  // namespace sivo::storage::testing
