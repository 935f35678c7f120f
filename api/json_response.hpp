#pragma once
// Success bodies, rendered with Boost.JSON (never by concatenation).

#include <boost/json/value.hpp>

#include "api/request.hpp"
#include "engine/time.hpp"

namespace sivo::api {

Response json_response(int status, const boost::json::value& body);

// RFC 3339 UTC with milliseconds.
boost::json::value time_value(engine::UnixMillis at);

// null for 0 / "" (status codes and errors that did not happen).
boost::json::value status_code_or_null(int status_code);
boost::json::value string_or_null(const std::string& text);

}  // namespace sivo::api
