#include "api/router.hpp"

#include <algorithm>

#include "api/error_response.hpp"

namespace sivo::api {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  out.reserve(8);  // the API's deepest path has 8 segments: one allocation per request
  if (path.empty() || path.front() != '/') {
    out.push_back(path);
    return out;
  }
  path.remove_prefix(1);
  if (path.empty()) return out;
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

namespace {
bool is_capture(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}
}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  Compiled compiled;
  for (auto segment : split_path(pattern)) compiled.segments.emplace_back(segment);
  compiled.route = Route{std::move(method), std::move(pattern), std::move(handler)};
  routes_.push_back(compiled.route);
  compiled_.push_back(std::move(compiled));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  auto segments = split_path(path);
  for (const auto& candidate : compiled_) {
    if (candidate.segments.size() != segments.size()) continue;
    // The literal segments first: most candidates fail on one, and then
    // nothing is decoded or stored for them.
    bool matched = true;
    for (std::size_t i = 0; i < segments.size() && matched; ++i) {
      const std::string& want = candidate.segments[i];
      matched = is_capture(want) || want == segments[i];
    }
    if (!matched) continue;
    std::map<std::string, std::string, std::less<>> params;
    for (std::size_t i = 0; i < segments.size() && matched; ++i) {
      const std::string& want = candidate.segments[i];
      if (!is_capture(want)) continue;
      auto decoded = percent_decode(segments[i], false);
      if (!decoded || decoded->empty()) {
        matched = false;
      } else {
        params.emplace(want.substr(1, want.size() - 2), std::move(*decoded));
      }
    }
    if (!matched) continue;
    if (candidate.route.method == method) {
      result.outcome = Outcome::found;
      result.route = &candidate.route;
      result.params = std::move(params);
      result.allowed.clear();
      return result;
    }
    if (std::find(result.allowed.begin(), result.allowed.end(), candidate.route.method) ==
        result.allowed.end()) {
      result.allowed.push_back(candidate.route.method);
    }
  }
  result.outcome = result.allowed.empty() ? Outcome::not_found : Outcome::method_not_allowed;
  return result;
}

void Router::dispatch(Request& request, Respond respond) const {
  Match m = match(request.method, request.path);
  switch (m.outcome) {
    case Outcome::found:
      request.params = std::move(m.params);
      m.route->handler(request, std::move(respond));
      return;
    case Outcome::not_found:
      respond(error_response(404, "not_found", "no route for " + quote_value(request.path)));
      return;
    case Outcome::method_not_allowed: {
      std::string allow;
      for (const auto& method : m.allowed) {
        if (!allow.empty()) allow += ", ";
        allow += method;
      }
      Response response = error_response(
          405, "method_not_allowed", "method " + quote_value(request.method) + " is not allowed on " + quote_value(request.path));
      response.headers.emplace_back("Allow", allow);
      respond(std::move(response));
      return;
    }
  }
}

}  // namespace sivo::api
