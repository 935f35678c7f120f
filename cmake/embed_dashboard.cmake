# Turns every file under SOURCE_DIR into a byte string in the generated C++
# file OUTPUT, with its content type and an ETag (a digest of its bytes).
# Run as a script at build time:
#   cmake -DSOURCE_DIR=<dir> -DOUTPUT=<file.cpp> -P embed_dashboard.cmake
# Every byte is written as a \xNN escape, so no file content can end the
# string literal early or be read as C++.

if(NOT SOURCE_DIR OR NOT OUTPUT)
  message(FATAL_ERROR "embed_dashboard.cmake needs -DSOURCE_DIR and -DOUTPUT")
endif()

function(content_type_of name out)
  get_filename_component(ext "${name}" LAST_EXT)
  string(TOLOWER "${ext}" ext)
  if(ext STREQUAL ".html")
    set(type "text/html; charset=utf-8")
  elseif(ext STREQUAL ".js" OR ext STREQUAL ".mjs")
    set(type "text/javascript; charset=utf-8")
  elseif(ext STREQUAL ".css")
    set(type "text/css; charset=utf-8")
  elseif(ext STREQUAL ".svg")
    set(type "image/svg+xml")
  elseif(ext STREQUAL ".png")
    set(type "image/png")
  elseif(ext STREQUAL ".ico")
    set(type "image/x-icon")
  elseif(ext STREQUAL ".json")
    set(type "application/json")
  elseif(ext STREQUAL ".txt")
    set(type "text/plain; charset=utf-8")
  else()
    message(FATAL_ERROR "embed_dashboard.cmake: no content type known for ${name}")
  endif()
  set(${out} "${type}" PARENT_SCOPE)
endfunction()

get_filename_component(SOURCE_DIR "${SOURCE_DIR}" ABSOLUTE)
file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/*")
list(SORT files)
if(NOT files)
  message(FATAL_ERROR "embed_dashboard.cmake: no files in ${SOURCE_DIR}")
endif()

set(arrays "")
set(table "")
set(index 0)
foreach(name IN LISTS files)
  get_filename_component(base "${name}" NAME)
  if(base MATCHES "^\\.")
    continue()  # editor and OS droppings
  endif()
  content_type_of("${name}" type)
  file(READ "${SOURCE_DIR}/${name}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  file(SHA256 "${SOURCE_DIR}/${name}" digest)
  string(SUBSTRING "${digest}" 0 20 etag)
  string(APPEND arrays "constexpr char kFile${index}[] = \"${escaped}\";\n")
  string(APPEND table "    {\"${name}\", \"${type}\", \"\\\"${etag}\\\"\",\n"
                      "     std::string_view(kFile${index}, sizeof(kFile${index}) - 1)},\n")
  math(EXPR index "${index} + 1")
endforeach()

set(content "// Generated from api/dashboard/ by cmake/embed_dashboard.cmake; do not edit.
#include \"api/dashboard_assets.hpp\"

namespace sivo::api {

namespace {

${arrays}
constexpr DashboardAsset kAssets[] = {
${table}};

}  // namespace

std::span<const DashboardAsset> dashboard_assets() { return kAssets; }

}  // namespace sivo::api
")

# Rewrite only on change, so an untouched dashboard recompiles nothing.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" previous)
  if(previous STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
