#include "api/json_response.hpp"

#include <boost/json/serialize.hpp>

#include "engine/timestamp.hpp"

namespace sivo::api {

Response json_response(int status, const boost::json::value& body) {
  Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

Response json_response(int status, engine::JsonWriter&& body) {
  Response response;
  response.status = status;
  response.body = std::move(body).str();
  return response;
}

boost::json::value time_value(engine::UnixMillis at) {
  return boost::json::string(engine::format_rfc3339_millis(at));
}

boost::json::value status_code_or_null(int status_code) {
  if (status_code == 0) return nullptr;
  return status_code;
}

boost::json::value string_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::string(text);
}

}  // namespace sivo::api
