#pragma once
// The one place the actors read the wall clock (engine/ never does).

#include <chrono>

#include "engine/time.hpp"

namespace sivo::actors {

inline engine::UnixMillis now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace sivo::actors
