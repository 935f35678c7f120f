#pragma once
// Read-modify-write requests on one catalog record (create a tenant, PATCH or
// DELETE an endpoint) must not interleave: a PATCH that read an endpoint
// before a DELETE committed would otherwise write it back to life, and two
// creates of one tenant id would overwrite each other's API key. Such a
// request leases its record's key until its durable write is answered; a
// second one meanwhile gets 409.

#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace sivo::api {

class InFlightKeys : public std::enable_shared_from_this<InFlightKeys> {
 public:
  using Lease = std::shared_ptr<void>;

  // A lease on `key` (released when the last copy goes), or nullptr while
  // another request holds it. The object must be owned by a shared_ptr.
  Lease try_acquire(std::string key);

 private:
  void release(const std::string& key);

  std::mutex mutex_;
  std::set<std::string, std::less<>> keys_;
};

}  // namespace sivo::api
