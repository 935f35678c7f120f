#include "api/routes/in_flight.hpp"

namespace sivo::api {

InFlightKeys::Lease InFlightKeys::try_acquire(std::string key) {
  {
    std::lock_guard lock(mutex_);
    if (!keys_.insert(key).second) return nullptr;
  }
  return Lease(static_cast<void*>(this),
               [self = shared_from_this(), key = std::move(key)](void*) { self->release(key); });
}

void InFlightKeys::release(const std::string& key) {
  std::lock_guard lock(mutex_);
  keys_.erase(key);
}

}  // namespace sivo::api
