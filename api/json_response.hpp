#pragma once
// Success bodies, rendered with Boost.JSON or streamed with the engine's
// JsonWriter (never by concatenation).

#include <boost/json/value.hpp>

#include "api/request.hpp"
#include "engine/json_writer.hpp"
#include "engine/time.hpp"

namespace sivo::api {

Response json_response(int status, const boost::json::value& body);
Response json_response(int status, engine::JsonWriter&& body);

// RFC 3339 UTC with milliseconds.
boost::json::value time_value(engine::UnixMillis at);

// null for 0 / "" (status codes and errors that did not happen).
boost::json::value status_code_or_null(int status_code);
boost::json::value string_or_null(const std::string& text);

}  // namespace sivo::api
