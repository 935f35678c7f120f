#pragma once
// The dashboard's files (api/dashboard/), embedded in the binary at build
// time by cmake/embed_dashboard.cmake, so it runs with no files beside it.

#include <span>
#include <string_view>

namespace sivo::api {

struct DashboardAsset {
  std::string_view name;          // relative to api/dashboard/: "app.js", "views/tenants.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // quoted digest of the bytes: "\"3f2a...\""
  std::string_view body;
};

std::span<const DashboardAsset> dashboard_assets();

}  // namespace sivo::api
