// The dashboard: GET / answers index.html and GET /dashboard/<file> each other
// file of api/dashboard/ (embedded in the binary; see dashboard_assets.hpp).
// No auth here: the pages hold no data; the browser code signs in with a token
// and calls the same /v1 API as everyone else.
//
// Every answer carries a strict Content-Security-Policy (only this origin's
// scripts, styles and API; no inline script, no framing), and an ETag with
// Cache-Control: no-cache, so a browser revalidates (304) and a new binary's
// files are never mixed with an old build's.

#include <string>

#include "api/dashboard_assets.hpp"
#include "api/routes/routes.hpp"

namespace sivo::api {

namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// True when the If-None-Match list names this ETag (or is "*").
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  return if_none_match.find(etag) != std::string_view::npos;
}

Response asset_response(const DashboardAsset& asset, const Request& request) {
  Response response;
  response.headers = {
      {"Cache-Control", "no-cache"},
      {"ETag", std::string(asset.etag)},
      {"Content-Security-Policy", std::string(kContentSecurityPolicy)},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
  if (etag_matches(request.header("if-none-match"), asset.etag)) {
    response.status = 304;
    return response;
  }
  response.content_type = std::string(asset.content_type);
  response.body = std::string(asset.body);
  return response;
}

void serve(Router& router, const std::string& path, const DashboardAsset& asset) {
  const DashboardAsset* served = &asset;  // the table is static
  router.add("GET", path, [served](const Request& request, Respond respond) {
    respond(asset_response(*served, request));
  });
}

}  // namespace

void add_dashboard_routes(Router& router, const ApiContext&) {
  for (const auto& asset : dashboard_assets()) {
    if (asset.name == "index.html") serve(router, "/", asset);
    serve(router, "/dashboard/" + std::string(asset.name), asset);
  }
}

}  // namespace sivo::api
