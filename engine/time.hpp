#pragma once
#include <cstdint>

namespace sivo::engine {

// Milliseconds since the Unix epoch. The engine never reads a clock: callers
// pass `now` in, so every decision is reproducible in tests.
using UnixMillis = std::int64_t;

}  // namespace sivo::engine
