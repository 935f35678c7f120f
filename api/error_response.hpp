#pragma once
// Every error the API answers: {"error":{"code":"...","message":"..."}} with
// the status its code stands for.
//
//   400 invalid_json          malformed JSON, invalid UTF-8, a bad HTTP request
//   401 unauthorized          no or unknown bearer token
//   403 forbidden             a valid token that may not do this (tenant key on admin routes)
//   404 not_found             unknown route, tenant, endpoint, event - and another tenant's resources
//   405 method_not_allowed
//   409 conflict              the id already exists
//   413 payload_too_large     a body or envelope over its limit
//   422 invalid_* / invalid_field   a field of the wrong type or value
//   429 rate_limited
//   503 storage_unavailable   the durable write failed
//   503 server_busy           too many request bodies in memory at once (Retry-After)

#include <string>
#include <string_view>

#include "api/request.hpp"
#include "engine/error.hpp"

namespace sivo::api {

// The message is made safe to show: invalid UTF-8 becomes U+FFFD and it is
// cut to kMaxErrorMessageBytes, so an error never echoes a huge or binary value.
Response error_response(int status, std::string_view code, std::string_view message);

inline constexpr std::size_t kMaxErrorMessageBytes = 1024;

// A client's value as an error message quotes it: in double quotes, cut to
// 100 bytes ("..." marks the cut).
std::string quote_value(std::string_view value);

// The status for an engine or API error code (see above; 500 for codes it
// does not know).
int status_for_code(std::string_view code);

// error_response(status_for_code(error.code), error.code, error.message).
Response error_response(const engine::Error& error);

}  // namespace sivo::api
