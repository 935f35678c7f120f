#pragma once
// Method + path pattern dispatch. Patterns are literal segments and `{name}`
// captures: "/v1/tenants/{t}/endpoints/{e}/dlq/{event_id}/retry". A path no
// pattern matches is 404; a path matched only under other methods is 405
// with an Allow header listing them.

#include <string>
#include <string_view>
#include <vector>

#include "api/request.hpp"

namespace sivo::api {

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    Handler handler;
  };

  void add(std::string method, std::string pattern, Handler handler);

  enum class Outcome { found, not_found, method_not_allowed };
  struct Match {
    Outcome outcome = Outcome::not_found;
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;  // decoded captures
    std::vector<std::string> allowed;                        // for 405, in route order
  };

  Match match(std::string_view method, std::string_view path) const;

  // Matches `request.path`, fills `request.params` and runs the handler, or
  // answers 404/405 itself.
  void dispatch(Request& request, Respond respond) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    Route route;
    std::vector<std::string> segments;  // "{x}" marks a capture
  };
  std::vector<Compiled> compiled_;
  std::vector<Route> routes_;
};

// "/a/b/c" -> {"a","b","c"}; "/" -> {}. Empty segments ("//", trailing '/') are kept as "".
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace sivo::api
