#pragma once
// The catalog's values: tenants and their endpoints, as stored (JSON in the
// `catalog` column family, see catalog_codec.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/time.hpp"

namespace sivo::storage {

using engine::UnixMillis;

struct TenantRecord {
  std::string id, name;
  UnixMillis created_at = 0;
  std::string api_key_hash;  // sha256 hex of the tenant's API key

  bool operator==(const TenantRecord&) const = default;
};

struct EndpointRecord {
  std::string id, tenant_id, url, description;
  std::vector<std::string> event_types;  // filter patterns; empty = all
  std::string secret;
  bool enabled = true;
  std::string disabled_reason;
  UnixMillis created_at = 0, updated_at = 0;
  std::string previous_secret;  // still signs until previous_secret_expires_at
  UnixMillis previous_secret_expires_at = 0;
  std::optional<std::uint32_t> rate_limit_per_second;
  std::optional<std::string> ordering_key;

  bool operator==(const EndpointRecord&) const = default;
};

}  // namespace sivo::storage
