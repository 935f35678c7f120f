#pragma once
// JSON encoding of the catalog's values (Boost.JSON). Every value carries
// "v":1; decoders accept unknown members and default missing ones, so records
// can gain fields. Decoders return nullopt for anything that is not such JSON.

#include <optional>
#include <string>
#include <string_view>

#include "storage/catalog_records.hpp"

namespace sivo::storage::codec {

std::string encode(const TenantRecord& tenant);
std::optional<TenantRecord> decode_tenant(std::string_view json);

std::string encode(const EndpointRecord& endpoint);
std::optional<EndpointRecord> decode_endpoint(std::string_view json);

// "k|<hash>" -> {"v":1,"tenant_id":...}
std::string encode_api_key(std::string_view tenant_id);
std::optional<std::string> decode_api_key(std::string_view json);

// "s|<name>" -> {"v":1,"value":...}
std::string encode_setting(std::string_view value);
std::optional<std::string> decode_setting(std::string_view json);

}  // namespace sivo::storage::codec
