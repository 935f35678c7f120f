#pragma once
// The protocol between the actors: atoms and the payloads they carry.
// Payloads with callbacks travel as shared_ptr (they are never serialized:
// every actor lives in this process).

#include <caf/all.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/https_client.hpp"
#include "actors/runtime.hpp"
#include "engine/delivery.hpp"
#include "storage/catalog_records.hpp"
#include "storage/projections.hpp"

namespace sivo::actors {

// --- atoms (CAF 0.17: at most 10 characters) ---
using ingest_atom = caf::atom_constant<caf::atom("ingest")>;        // root/tenant: IngestCommand
using committed_atom = caf::atom_constant<caf::atom("committed")>;  // tenant: an ingest is durable
using enqueued_atom = caf::atom_constant<caf::atom("enqueued")>;    // endpoint: new due work
using wake_atom = caf::atom_constant<caf::atom("wake")>;            // endpoint: its timer
using attempt_atom = caf::atom_constant<caf::atom("attempt")>;      // endpoint: see AttemptInbox
using written_atom = caf::atom_constant<caf::atom("written")>;    // endpoint: its write is durable
using flush_atom = caf::atom_constant<caf::atom("flush")>;        // endpoint: write decided attempts
using tenant_atom = caf::atom_constant<caf::atom("tenant")>;      // root: a tenant exists
using endpoint_atom = caf::atom_constant<caf::atom("endpoint")>;  // create or update an endpoint
using delete_atom = caf::atom_constant<caf::atom("delete")>;      // delete an endpoint
using dlq_retry_atom = caf::atom_constant<caf::atom("dlq_retry")>;  // one dead letter
using dlq_all_atom = caf::atom_constant<caf::atom("dlq_all")>;      // every dead letter
using test_atom = caf::atom_constant<caf::atom("test")>;            // the built-in tester
using tested_atom = caf::atom_constant<caf::atom("tested")>;        // endpoint: tester answered
using drain_atom = caf::atom_constant<caf::atom("drain")>;          // stop starting attempts
using stop_atom = caf::atom_constant<caf::atom("stop")>;            // quit (after drain)
using purge_atom = caf::atom_constant<caf::atom("purge")>;          // retention: run it now
// The endpoint lifecycle (tenant_actor.cpp, on_idle): an endpoint actor with
// nothing to do asks its tenant (`idle`, also its own timer), which may tell
// it to `sleep` (quit).
using idle_atom = caf::atom_constant<caf::atom("idle")>;
using sleep_atom = caf::atom_constant<caf::atom("sleep")>;

// A due delivery held in memory with the exact bytes every attempt sends.
struct WorkItem {
  engine::Delivery delivery;
  std::shared_ptr<const std::string> envelope;
  storage::DueKey key() const { return {delivery.due_at, delivery.event_id}; }
};
using WorkBatch = std::shared_ptr<const std::vector<WorkItem>>;

struct IngestCommand {
  std::string tenant_id;
  std::vector<IngestItem> items;
  std::function<void(std::vector<IngestOutcome>)> done;
};
using IngestCommandPtr = std::shared_ptr<IngestCommand>;

// A tenant's ingest whose write ended (on the committer thread).
struct IngestCommitted {
  std::vector<std::string> event_ids;
  bool ok = false;
  std::vector<caf::actor> not_handed;  // when !ok: the endpoint actors it would have fed
};
using IngestCommittedPtr = std::shared_ptr<const IngestCommitted>;

// Commands addressed to one endpoint of one tenant, from the API.
struct EndpointCommand {
  std::string tenant_id;
  std::string endpoint_id;
  std::string event_id;                                   // dlq_retry: the dead letter to retry
  engine::EventType type{};                               // test: the synthetic event's type
  std::function<void(engine::Result<std::size_t>)> done;  // dlq_retry, dlq_all, delete
  std::function<void(TestDeliveryResult)> tested;         // test
};
using EndpointCommandPtr = std::shared_ptr<EndpointCommand>;

struct EndpointUpdate {
  storage::EndpointRecord record;
};
using EndpointUpdatePtr = std::shared_ptr<const EndpointUpdate>;

// An attempt's result, from the HTTPS client's thread (attempt_inbox.hpp).
struct AttemptDone {
  storage::DueKey key;
  AttemptResult result;
};

// One of the endpoint actor's own writes became durable (or failed).
struct WriteDone {
  std::vector<storage::DueKey> removed;  // due keys the write deleted
  std::vector<WorkItem> inserted;        // due work the write added
  bool ok = false;
  std::function<void(engine::Result<std::size_t>)> done;  // a command waiting on it
  std::size_t count = 0;                                  // what `done` reports
};
using WriteDonePtr = std::shared_ptr<const WriteDone>;

struct TestDone {
  EndpointCommandPtr command;
  TestDeliveryResult result;
};
using TestDonePtr = std::shared_ptr<const TestDone>;

}  // namespace sivo::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sivo::actors::WorkBatch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sivo::actors::IngestCommandPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sivo::actors::IngestCommittedPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sivo::actors::EndpointCommandPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sivo::actors::EndpointUpdatePtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sivo::actors::WriteDonePtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sivo::actors::TestDonePtr)
