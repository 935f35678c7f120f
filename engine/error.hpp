#pragma once
// Errors are values at boundaries: a machine-readable code plus a sentence
// for humans. The API maps codes to HTTP statuses; the engine never throws
// for bad input.

#include <string>
#include <utility>
#include <variant>

namespace sivo::engine {

struct Error {
  std::string code;     // e.g. "invalid_event_type", "invalid_duration"
  std::string message;  // a full sentence naming the offending value
};

// A value or the reason there is none. A tiny stand-in for C++23 std::expected.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace sivo::engine
