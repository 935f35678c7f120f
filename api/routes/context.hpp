#pragma once
// What every route handler works with. The owner (main, or a test) keeps it
// alive for as long as the router and the server run.

#include <functional>
#include <memory>

#include "api/auth.hpp"
#include "api/routes/in_flight.hpp"
#include "engine/time.hpp"

namespace sivo::actors {
class Runtime;
}
namespace sivo::storage {
class Store;
}

namespace sivo::api {

struct ApiContext {
  actors::Runtime& runtime;
  storage::Store& store;
  const Authenticator& auth;
  bool allow_private_networks = false;
  std::function<engine::UnixMillis()> now;  // the clock; system time when empty
  std::shared_ptr<InFlightKeys> in_flight = std::make_shared<InFlightKeys>();
  engine::UnixMillis clock() const;
};

}  // namespace sivo::api
