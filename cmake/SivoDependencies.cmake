# Every dependency is a Debian 12 package (see scripts/install-deps).
# CAF 0.17 and simdjson ship no complete CMake config, so they are found by hand
# and wrapped in imported targets; the rest come from their own configs.

find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(RocksDB REQUIRED CONFIG)
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS json system)

find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(caf::core UNKNOWN IMPORTED)
set_target_properties(caf::core PROPERTIES
  IMPORTED_LOCATION ${CAF_CORE_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${CAF_INCLUDE_DIR}
  INTERFACE_LINK_LIBRARIES Threads::Threads)

find_path(SIMDJSON_INCLUDE_DIR simdjson.h REQUIRED)
find_library(SIMDJSON_LIBRARY simdjson REQUIRED)
add_library(simdjson::simdjson UNKNOWN IMPORTED)
set_target_properties(simdjson::simdjson PROPERTIES
  IMPORTED_LOCATION ${SIMDJSON_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${SIMDJSON_INCLUDE_DIR})

# The engine binary allocates with jemalloc: under delivery load glibc's
# malloc was ~14 % of the engine's CPU (free-list consolidation across the
# actor, client and committer threads); jemalloc's per-thread caches made
# bench (a) ~1.1x faster side by side. Not under the sanitizers, which bring
# their own allocator.
if(NOT SIVO_SANITIZE AND NOT SIVO_FUZZ)
  find_library(JEMALLOC_LIBRARY jemalloc REQUIRED)
endif()

# Beast/Asio are header-only and costly to compile: only targets that name
# sivo::beast get them, so the include (and its compile time) stays confined.
add_library(sivo_beast INTERFACE)
target_link_libraries(sivo_beast INTERFACE Boost::system OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
# BOOST_BEAST_USE_STD_STRING_VIEW is not set: before Boost 1.81 it made
# beast::string_view std::string_view; since 1.81 beast::string_view is
# boost::core::string_view, which converts to and from std::string_view, and
# the macro only prints a deprecation note.
target_compile_definitions(sivo_beast INTERFACE BOOST_ASIO_NO_DEPRECATED)
add_library(sivo::beast ALIAS sivo_beast)

if(SIVO_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
