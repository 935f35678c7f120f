#pragma once
// The small, Beast-free view of an HTTP exchange that route handlers see.
// Only the server translation unit knows Beast; everything else compiles
// against these two structs.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sivo::api {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/v1/tenants/acme/endpoints?limit=10"
  std::string path;    // the target without its query string
  std::map<std::string, std::string, std::less<>> query;   // percent-decoded
  std::map<std::string, std::string, std::less<>> params;  // path parameters, by pattern name
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first header of that (lower-case) name, or "" when absent.
  std::string_view header(std::string_view lower_name) const;
  std::optional<std::string_view> query_value(std::string_view name) const;
  // A path parameter of the matched pattern; "" when the pattern has none of that name.
  std::string_view param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  bool close = false;  // close the connection after this response
};

// Answers a request exactly once, from any thread: the server posts the
// response back to the connection's own executor.
using Respond = std::function<void(Response)>;

// A route's code. The request stays alive until `respond` has been called.
using Handler = std::function<void(const Request&, Respond)>;

// Splits "a=1&b=x%20y" into decoded pairs (later duplicates are ignored).
std::map<std::string, std::string, std::less<>> parse_query(std::string_view query);

// Percent-decoding of one path segment or query component ('+' is a space
// only in queries). nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace sivo::api
