#pragma once
// Attempt results on their way from the HTTPS client's threads to one
// endpoint actor, announced by one message per batch instead of one per
// result.
//
// Whoever pushes into an empty inbox announces it (`attempt_atom`); the
// actor takes everything the inbox holds when it handles the announcement.
// A result pushed meanwhile rides along unannounced, and one pushed after
// the take finds the inbox empty and announces itself: none is left behind.
// Under load the actor is busy while results arrive, so one message (one
// mailbox element, one scheduling of the actor) carries many of them.

#include <mutex>
#include <utility>
#include <vector>

#include "actors/messages.hpp"

namespace sivo::actors {

class AttemptInbox {
 public:
  // True when the inbox was empty: the caller announces it to the actor.
  bool push(AttemptDone done) {
    std::lock_guard lock(mutex_);
    results_.push_back(std::move(done));
    return results_.size() == 1;
  }

  // Everything pushed so far, in push order. `spare` (emptied) becomes the
  // inbox's storage, so that a taker that hands back its last batch keeps
  // the capacity of both vectors and steady traffic allocates nothing.
  std::vector<AttemptDone> take(std::vector<AttemptDone> spare) {
    spare.clear();
    std::lock_guard lock(mutex_);
    results_.swap(spare);
    return spare;
  }

 private:
  std::mutex mutex_;
  std::vector<AttemptDone> results_;
};

}  // namespace sivo::actors
