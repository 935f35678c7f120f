#include "api/error_response.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace sivo::api {

Response error_response(int status, std::string_view code, std::string_view message) {
  boost::json::object error;
  error["code"] = code;
  error["message"] = message;
  boost::json::object body;
  body["error"] = std::move(error);
  Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

int status_for_code(std::string_view code) {
  struct Entry {
    std::string_view code;
    int status;
  };
  static constexpr Entry kTable[] = {
      {"invalid_json", 400},        {"bad_request", 400},          {"unauthorized", 401},
      {"forbidden", 403},           {"not_found", 404},            {"method_not_allowed", 405},
      {"conflict", 409},            {"already_exists", 409},       {"payload_too_large", 413},
      {"rate_limited", 429},        {"storage_unavailable", 503},  {"unavailable", 503},
      {"not_dead", 404},            {"shutting_down", 503},        {"server_busy", 503},
  };
  for (const auto& entry : kTable) {
    if (entry.code == code) return entry.status;
  }
  if (code.starts_with("invalid_") || code.starts_with("unknown_")) return 422;
  if (code.ends_with("_not_found")) return 404;
  return 500;
}

Response error_response(const engine::Error& error) {
  return error_response(status_for_code(error.code), error.code, error.message);
}

}  // namespace sivo::api
