#pragma once
// docs/openapi.json, embedded at build time (see api/CMakeLists.txt).

#include <string_view>

namespace sivo::api {

std::string_view openapi_document();

}  // namespace sivo::api
