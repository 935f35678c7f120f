#include "actors/endpoint_actor.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "actors/attempt_inbox.hpp"
#include "actors/clock.hpp"
#include "actors/messages.hpp"
#include "engine/delivery_headers.hpp"
#include "engine/envelope.hpp"
#include "engine/ids.hpp"
#include "engine/signature.hpp"

namespace sivo::actors {
namespace {

using engine::UnixMillis;
using storage::DueKey;

// Makes `from` the position just after `key`.
void move_past(DueKey& from, const DueKey& key) {
  from = key;
  from.past = true;
}

struct LoadedItem {
  WorkItem work;
  engine::Sha256Digest sivo_digest;  // X-Sivo-Signature's HMAC, once per (event, secret)
};

// An attempt whose outcome is decided, waiting for the write of its turn.
struct DecidedAttempt {
  DueKey key;
  WorkItem before;  // the delivery as it was attempted, with its body
  std::vector<engine::DeliveryRecord> records;
  bool pending_after = false;  // the records leave it pending (a retry is scheduled)
  engine::Delivery after;
};

struct EndpointState {
  static inline const char* name = "sivo.endpoint";

  std::shared_ptr<Services> services;
  storage::EndpointRecord record;
  // record.secret and record.previous_secret prepared for signing (HMAC key
  // schedule, Standard Webhooks key decoded): rebuilt when they change, not
  // per attempt.
  std::optional<engine::SigningSecret> secret;
  std::optional<engine::SigningSecret> previous_secret;  // while the record has one
  std::shared_ptr<EndpointLogGuard> log;
  std::size_t window_limit = 0;  // bound on window + in_flight

  // Loaded due work, by due key: waiting, being attempted, and finished but
  // with the write that removes its due key not yet durable.
  std::map<DueKey, LoadedItem> window;
  std::map<DueKey, LoadedItem> in_flight;
  std::set<DueKey> finishing;
  // Where the client's threads leave the results of in_flight's attempts,
  // and the last batch taken from it (kept for its capacity).
  std::shared_ptr<AttemptInbox> inbox = std::make_shared<AttemptInbox>();
  std::vector<AttemptDone> results;

  // Attempt results decided since the last write. They are written together
  // (one set, one snapshot, one committer submission, one ack) when the
  // flush message this actor sends itself comes up: after every result
  // already announced in its mailbox, so a busy endpoint batches what
  // arrived meanwhile.
  std::vector<DecidedAttempt> decided;
  bool flush_queued = false;

  // Invariant: every due key on disk that is not loaded is >= scan_from.
  // Writes that add keys lower it when they become durable; the hot path
  // lowers it when it cannot take new work into the window.
  DueKey scan_from{};
  bool needs_scan = true;

  UnixMillis timer_at = 0;  // 0 = no timer armed
  std::uint64_t timer_generation = 0;

  std::size_t unacked_writes = 0;
  // Dead letters whose retry is being written. Looked up by the ids of API
  // requests too, as they are: an id too long for an EventId is simply absent.
  std::set<engine::EventId, std::less<>> requeueing;
  // DLQ retry-alls, the front one running. It goes a chunk per turn and
  // reads the next chunk once the previous one's write is acknowledged, so
  // neither an actor turn nor memory grows with the size of the DLQ.
  struct RetryAll {
    EndpointCommandPtr command;
    std::optional<std::string> cursor;  // the event id the next chunk starts after
    std::size_t count = 0;              // requeued so far
  };
  std::deque<RetryAll> retry_alls;
  std::size_t tests_in_flight = 0;
  bool draining = false;
  bool deleting = false;

  // The sleep handshake with the tenant (tenant_actor.cpp, on_idle).
  caf::actor tenant;
  std::uint64_t received = 0;  // messages the tenant handed to this actor
  UnixMillis idle_since = 0;   // 0 = not idle
  bool idle_timer_armed = false;

  bool loaded(const DueKey& key) const {
    return window.count(key) || in_flight.count(key) || finishing.count(key);
  }
  bool active() const { return record.enabled && !draining && !deleting; }
  // Nothing in the air: no attempt running, no result unwritten or unacked.
  bool settled() const { return in_flight.empty() && decided.empty() && unacked_writes == 0; }
  // Nothing to do and nothing that will call back: it could stop without a
  // trace. A disabled endpoint's due work stays on disk until it is enabled.
  bool idle() const {
    return settled() && finishing.empty() && requeueing.empty() && retry_alls.empty() &&
           tests_in_flight == 0 && !draining && !deleting &&
           (!record.enabled || (window.empty() && !needs_scan && timer_at == 0));
  }
  void prepare_secrets() {
    secret.emplace(record.secret);
    if (record.previous_secret.empty())
      previous_secret.reset();
    else
      previous_secret.emplace(record.previous_secret);
  }
  std::size_t room() const {
    const auto used = window.size() + in_flight.size();
    return used < window_limit ? window_limit - used : 0;
  }
  // Whether new due work may go straight into the window. Not while due
  // work that is not loaded may wait on disk (needs_scan): it is older, and
  // a newcomer taking the room would overtake it, again and again under a
  // steady load, until the window ran low. Then the newcomer waits on disk
  // too, and the scans load the backlog in key order.
  bool takes_new_work() const { return active() && room() > 0 && !needs_scan; }
};

using Self = caf::stateful_actor<EndpointState>;

LoadedItem load(EndpointState& st, WorkItem work) {
  const auto digest = st.secret->sivo_key.sign({*work.envelope});
  return {std::move(work), digest};
}

void arm_timer(Self* self, UnixMillis due_at) {
  auto& st = self->state;
  if (st.timer_at != 0 && st.timer_at <= due_at) return;
  st.timer_at = due_at;
  const auto delay = std::max<UnixMillis>(0, due_at - now_ms());
  self->delayed_send(self, std::chrono::milliseconds(delay), wake_atom::value,
                     ++st.timer_generation);
}

// Reads the next due work from the due index into the window, in key order,
// and arms the timer for the first key that is not due yet.
void scan(Self* self) {
  auto& st = self->state;
  auto& store = st.services->store;
  st.needs_scan = false;
  const UnixMillis now = now_ms();
  std::vector<engine::Delivery> to_load;
  while (to_load.size() < st.room()) {
    const std::size_t chunk = st.room() - to_load.size() + 16;
    auto pending =
        store.due(st.record.id, st.scan_from, std::numeric_limits<UnixMillis>::max(), chunk);
    bool stopped = false;
    for (auto& delivery : pending) {
      const DueKey key{delivery.due_at, delivery.event_id};
      if (st.loaded(key)) {
        move_past(st.scan_from, key);
        continue;
      }
      if (delivery.due_at > now) {
        arm_timer(self, delivery.due_at);
        stopped = true;
        break;
      }
      if (to_load.size() == st.room()) {
        st.needs_scan = true;
        stopped = true;
        break;
      }
      to_load.push_back(std::move(delivery));
      move_past(st.scan_from, key);
    }
    if (stopped || pending.size() < chunk) break;
  }
  if (to_load.size() == st.room() && st.room() > 0) st.needs_scan = true;
  if (to_load.empty()) return;

  // The recent envelopes from memory, the others in one read of the store.
  std::vector<std::shared_ptr<const std::string>> envelopes(to_load.size());
  std::vector<std::string_view> ids;
  std::vector<std::size_t> read_at;  // positions in to_load of the ids read
  for (std::size_t i = 0; i < to_load.size(); ++i) {
    envelopes[i] = st.services->envelopes.find(st.record.tenant_id, to_load[i].event_id);
    if (envelopes[i]) continue;
    ids.push_back(to_load[i].event_id);
    read_at.push_back(i);
  }
  if (!ids.empty())
    store.read_events(st.record.tenant_id, ids,
                      [&](std::size_t i, const storage::StoredEventView& event) {
                        envelopes[read_at[i]] = std::make_shared<const std::string>(event.envelope);
                      });
  for (std::size_t i = 0; i < to_load.size(); ++i) {
    // A body can only be missing if the store was damaged; the attempt then
    // fails with a clear error and follows the schedule to the DLQ.
    auto envelope = envelopes[i] ? std::move(envelopes[i]) : std::make_shared<const std::string>();
    WorkItem work{std::move(to_load[i]), std::move(envelope)};
    auto key = work.key();
    st.window.emplace(std::move(key), load(st, std::move(work)));
  }
}

void dispatch(Self* self) {
  auto& st = self->state;
  const auto concurrency = st.services->options.endpoint_concurrency;
  while (st.active() && st.in_flight.size() < concurrency && !st.window.empty()) {
    auto node = st.window.extract(st.window.begin());
    DueKey key = node.key();  // moved on into the attempt's result
    const LoadedItem& item = node.mapped();
    const UnixMillis now = now_ms();
    const bool rotating = st.previous_secret && st.record.previous_secret_expires_at > now;
    OutgoingRequest request;
    request.url = st.record.url;
    request.body = item.work.envelope;
    request.headers = engine::delivery_headers({
        .event_id = item.work.delivery.event_id,
        .type = item.work.delivery.type,
        .attempt = item.work.delivery.next_attempt,
        .timestamp_s = now / 1000,
        .sivo_digest = item.sivo_digest,
        .secret = &*st.secret,
        .previous_secret = rotating ? &*st.previous_secret : nullptr,
        .body = *item.work.envelope,
    });
    st.in_flight.insert(std::move(node));
    // The client calls this exactly once, so it may give its key away.
    auto report = [handle = caf::actor_cast<caf::actor>(self), inbox = st.inbox,
                   key = std::move(key)](AttemptResult r) mutable {
      if (inbox->push(AttemptDone{std::move(key), std::move(r)}))
        caf::anon_send(handle, attempt_atom::value);
    };
    if (item.work.envelope->empty()) {
      AttemptResult missing;
      missing.error = "event body missing";
      report(std::move(missing));
      continue;
    }
    st.services->client.send(std::move(request), std::move(report));
  }
}

void pump(Self* self) {
  auto& st = self->state;
  if (!st.active()) return;
  if (st.needs_scan && st.window.size() < st.services->options.endpoint_concurrency) scan(self);
  dispatch(self);
}

// Appends to the endpoint's log through the committer; the actor hears back
// with `written` once the write is durable (or failed).
template <class Build>
void write(Self* self, std::vector<DueKey> removed, std::vector<WorkItem> inserted, Build&& build,
           std::function<void(engine::Result<std::size_t>)> done = nullptr, std::size_t count = 0) {
  auto& st = self->state;
  for (const auto& key : removed) st.finishing.insert(key);
  ++st.unacked_writes;
  auto ack = std::make_shared<WriteDone>();
  ack->removed = std::move(removed);
  ack->inserted = std::move(inserted);
  ack->done = std::move(done);
  ack->count = count;
  st.log->append_and_submit(
      st.services->committer, std::forward<Build>(build),
      [handle = caf::actor_cast<caf::actor>(self), ack](const engine::Result<bool>& status) {
        ack->ok = status.ok();
        caf::anon_send(handle, written_atom::value, WriteDonePtr(ack));
      });
}

const char* outcome_name(const engine::Delivery& after) {
  switch (after.status) {
    case engine::DeliveryStatus::delivered:
      return "delivered";
    case engine::DeliveryStatus::dead:
      return "dead";
    default:
      return "failed";
  }
}

void on_attempt_done(Self* self, const AttemptDone& done) {
  auto& st = self->state;
  auto it = st.in_flight.find(done.key);
  if (it == st.in_flight.end()) return;
  LoadedItem item = std::move(it->second);
  st.in_flight.erase(it);
  if (st.deleting) return;

  const auto& r = done.result;
  const engine::AttemptOutcome outcome{
      .attempt = item.work.delivery.next_attempt,
      .status_code = r.status_code,
      .latency_ms = r.latency_ms,
      .error = r.error,
      .retry_after_ms = r.retry_after_ms,
  };
  const UnixMillis now = now_ms();
  auto records = engine::decide(item.work.delivery, engine::ReportAttempt{outcome, now},
                                st.services->options.retry_policy);
  if (!records) {
    std::cerr << "sivo-webhooks: endpoint " << st.record.id << ": " << records.error().message
              << '\n';
    return;
  }
  engine::Delivery after = item.work.delivery;
  for (const auto& record : *records) after = engine::apply(std::move(after), record);

  auto& counters = st.services->counters;
  counters.attempt(outcome_name(after), r.latency_ms);
  const bool pending_after = after.status == engine::DeliveryStatus::pending;
  if (!pending_after) {
    counters.pending_delta(-1);
    if (after.status == engine::DeliveryStatus::dead) counters.dead_delta(1);
  }
  // Until its write is durable the due key is still on disk: keep the scan off it.
  st.finishing.insert(done.key);
  st.decided.push_back(DecidedAttempt{done.key, std::move(item.work), std::move(*records),
                                      pending_after, std::move(after)});
  if (!st.flush_queued) {
    st.flush_queued = true;
    self->send(self, flush_atom::value);
  }
}

// Decides every result the inbox holds, then fills the freed slots.
void on_attempts(Self* self) {
  auto& st = self->state;
  st.results = st.inbox->take(std::move(st.results));
  for (const auto& done : st.results) on_attempt_done(self, done);
  pump(self);
}

// Writes every decided attempt result in one set.
void flush_decided(Self* self) {
  auto& st = self->state;
  if (st.decided.empty()) return;
  auto decided = std::move(st.decided);
  st.decided.clear();
  std::vector<DueKey> removed;
  std::vector<WorkItem> inserted;
  removed.reserve(decided.size());
  for (auto& d : decided) {
    removed.push_back(std::move(d.key));  // the write below needs the rest of `d`, not its key
    if (d.pending_after) inserted.push_back(WorkItem{std::move(d.after), d.before.envelope});
  }
  write(self, std::move(removed), std::move(inserted),
        [&](storage::WriteSet& set, storage::EndpointLog& log) {
          // Results acknowledge nothing to anyone: lost to a power failure,
          // their deliveries are attempted again (at least once, as after a
          // crash mid-attempt). So they need no WAL sync of their own, and
          // ride on the next synced write (or the OS's writeback).
          set.allow_unsynced();
          for (const auto& d : decided)
            set.append(log, d.before.delivery, d.records, *d.before.envelope);
        });
}

void on_written(Self* self, const WriteDone& ack) {
  auto& st = self->state;
  --st.unacked_writes;
  for (const auto& key : ack.removed) st.finishing.erase(key);
  for (const auto& work : ack.inserted) st.requeueing.erase(work.delivery.event_id);
  if (st.deleting) {
    if (ack.done)
      ack.done(ack.ok ? engine::Result<std::size_t>(ack.count)
                      : engine::Result<std::size_t>(engine::Error{
                            "storage_unavailable", "the deletion could not be stored"}));
    // Writes submitted before the deletion (attempt results still in the
    // committer) are acknowledged before it, in order: quitting on one of
    // them would leave the deletion unanswered. Its own ack is the last.
    if (st.unacked_writes > 0) return;
    if (ack.ok)
      self->quit();
    else
      st.deleting = false;
    return;
  }
  if (!ack.ok) {
    // The disk refused the write: what we hold in memory may be ahead of it.
    // Forget the window and read the truth back once the disk recovers.
    st.log->reload(st.services->store);
    st.window.clear();
    st.scan_from = DueKey{};
    arm_timer(self, now_ms() + 1000);
    if (ack.done) ack.done(engine::Error{"storage_unavailable", "the write could not be stored"});
    return;
  }
  const UnixMillis now = now_ms();
  for (const auto& work : ack.inserted) {
    const DueKey key = work.key();
    if (st.loaded(key)) continue;
    if (work.delivery.due_at <= now && st.takes_new_work()) {
      st.window.emplace(key, load(st, work));
    } else {
      st.scan_from = std::min(st.scan_from, key);
      if (work.delivery.due_at <= now)
        st.needs_scan = true;
      else
        arm_timer(self, work.delivery.due_at);
    }
  }
  if (ack.done) ack.done(ack.count);
  if (st.draining && st.settled()) self->quit();
  pump(self);
}

void on_enqueued(Self* self, const std::vector<WorkItem>& batch) {
  auto& st = self->state;
  for (const auto& work : batch) {
    const DueKey key = work.key();
    // Ordering argument: this message was sent by the committer thread right
    // after the write, before that thread could acknowledge any later write
    // of ours; so an item already finished here is still in `finishing`.
    if (st.loaded(key)) continue;
    if (st.takes_new_work()) {
      st.window.emplace(key, load(st, work));
    } else {
      st.scan_from = std::min(st.scan_from, key);
      st.needs_scan = true;
    }
  }
  pump(self);
}

// A fresh series for each dead letter, written in one set.
void requeue(Self* self, const std::vector<storage::DlqEntry>& entries,
             std::function<void(engine::Result<std::size_t>)> done) {
  auto& st = self->state;
  const UnixMillis now = now_ms();
  std::vector<std::pair<const storage::DlqEntry*, std::vector<engine::DeliveryRecord>>> decided;
  std::vector<WorkItem> inserted;
  for (const auto& entry : entries) {
    if (st.requeueing.count(entry.delivery.event_id)) continue;
    auto records = engine::decide(entry.delivery, engine::RetryDeadLetter{now},
                                  st.services->options.retry_policy);
    if (!records) continue;
    engine::Delivery after = entry.delivery;
    for (const auto& record : *records) after = engine::apply(std::move(after), record);
    st.requeueing.insert(entry.delivery.event_id);
    inserted.push_back(WorkItem{after, std::make_shared<const std::string>(entry.envelope)});
    decided.emplace_back(&entry, std::move(*records));
  }
  const std::size_t count = decided.size();
  if (count == 0) {
    done(std::size_t{0});
    return;
  }
  st.services->counters.dead_delta(-static_cast<std::int64_t>(count));
  st.services->counters.pending_delta(static_cast<std::int64_t>(count));
  write(
      self, {}, std::move(inserted),
      [&](storage::WriteSet& set, storage::EndpointLog& log) {
        for (const auto& [entry, records] : decided) {
          // The body may have outlived the events family's retention; the
          // DLQ kept its own copy, which goes back for the new series.
          set.put_event(storage::StoredEventView{st.record.tenant_id, entry->delivery.event_id,
                                             entry->delivery.type, now, entry->envelope});
          set.append(log, entry->delivery, records, entry->envelope);
        }
      },
      std::move(done), count);
}

constexpr std::size_t kRetryAllChunk = 500;

// A deleted endpoint requeues nothing more: every retry-all is answered with
// what it requeued so far (its actor quits once the deletion is written).
void answer_retry_alls(EndpointState& st) {
  for (auto& run : st.retry_alls) run.command->done(run.count);
  st.retry_alls.clear();
}

// Requeues the next chunk of the running retry-all. Its write's
// acknowledgement sends this actor `dlq_all` to go on, in a turn of its own.
void retry_all_step(Self* self) {
  auto& st = self->state;
  if (st.deleting) return answer_retry_alls(st);
  while (!st.retry_alls.empty()) {
    auto& run = st.retry_alls.front();
    auto page = st.services->store.dead_letters(st.record.id, run.cursor, kRetryAllChunk);
    if (page.items.empty()) {
      run.command->done(run.count);
      st.retry_alls.pop_front();
      continue;
    }
    run.cursor = page.next_cursor;
    requeue(self, page.items, [self](engine::Result<std::size_t> requeued) {
      auto& s = self->state;
      auto& current = s.retry_alls.front();
      if (requeued) current.count += *requeued;
      if (!requeued || !current.cursor) {
        current.command->done(requeued ? engine::Result<std::size_t>(current.count)
                                       : engine::Result<std::size_t>(requeued.error()));
        s.retry_alls.pop_front();
      }
      // Not after a deletion: the message could come after the deletion's
      // acknowledgement, when the actor has quit.
      if (s.deleting) return answer_retry_alls(s);
      if (!s.retry_alls.empty()) self->send(self, dlq_all_atom::value);
    });
    return;
  }
}

void on_retry_all(Self* self, const EndpointCommandPtr& cmd) {
  auto& st = self->state;
  st.retry_alls.push_back({cmd, std::nullopt, 0});
  if (st.retry_alls.size() == 1) retry_all_step(self);
}

void on_test(Self* self, const EndpointCommandPtr& cmd) {
  auto& st = self->state;
  const UnixMillis now = now_ms();
  engine::EventHeader header{engine::new_event_id(now), cmd->type, st.record.tenant_id, now};
  auto envelope = std::make_shared<const std::string>(
      engine::render_envelope(header, engine::sample_data_of(cmd->type)));
  const auto sivo_digest = st.secret->sivo_key.sign({*envelope});
  OutgoingRequest request;
  request.url = st.record.url;
  request.body = envelope;
  request.headers = engine::delivery_headers({
      .event_id = header.id,
      .type = header.type,
      .attempt = 1,
      .timestamp_s = now / 1000,
      .sivo_digest = sivo_digest,
      .secret = &*st.secret,
      .previous_secret = nullptr,
      .body = *envelope,
  });
  st.services->client.send(std::move(request), [handle = caf::actor_cast<caf::actor>(self), cmd,
                                                envelope, id = header.id](AttemptResult r) {
    TestDeliveryResult result;
    result.ok = r.succeeded();
    result.status_code = r.status_code;
    result.latency_ms = r.latency_ms;
    result.error = r.error;
    result.event_id = id;
    result.payload = envelope;
    caf::anon_send(handle, tested_atom::value,
                   std::make_shared<const TestDone>(TestDone{cmd, std::move(result)}));
  });
}

void on_tested(Self* self, const TestDone& done) {
  const auto& result = done.result;
  storage::AttemptRow row;
  row.event_id = result.event_id;
  row.type = done.command->type;
  row.attempt = 1;
  row.status_code = result.status_code;
  row.latency_ms = result.latency_ms;
  row.error = result.error;
  row.at = now_ms();
  row.outcome = result.ok ? "delivered" : "failed";
  row.test = true;
  // Answer once the row is durable, so the deliveries log already shows it.
  write(
      self, {}, {},
      [&](storage::WriteSet& set, storage::EndpointLog& log) { set.record_test_attempt(log, row); },
      [cmd = done.command, result](engine::Result<std::size_t>) { cmd->tested(result); });
}

void on_update(Self* self, const storage::EndpointRecord& record) {
  auto& st = self->state;
  const bool resumed = !st.record.enabled && record.enabled;
  const bool new_secret = st.record.secret != record.secret;
  const bool secrets_changed = new_secret || st.record.previous_secret != record.previous_secret;
  st.record = record;
  if (secrets_changed) st.prepare_secrets();
  if (new_secret) {
    for (auto& [key, item] : st.window) item = load(st, std::move(item.work));
  }
  if (resumed) st.needs_scan = true;
  pump(self);
}

void on_dlq_retry(Self* self, const EndpointCommandPtr& cmd) {
  auto& st = self->state;
  if (st.requeueing.count(cmd->event_id)) {
    cmd->done(std::size_t{1});
    return;
  }
  auto entry = st.services->store.dead_letter(st.record.id, cmd->event_id);
  if (!entry) {
    cmd->done(engine::Error{
        "not_found", "no dead letter with event id \"" + cmd->event_id + "\" on this endpoint"});
    return;
  }
  requeue(self, {*entry}, cmd->done);
}

void on_delete(Self* self, const EndpointCommandPtr& cmd) {
  auto& st = self->state;
  flush_decided(self);  // decided before the deletion: written before it
  st.deleting = true;
  const auto snapshot = st.log->snapshot();
  st.services->counters.pending_delta(-static_cast<std::int64_t>(snapshot.pending));
  st.services->counters.dead_delta(-static_cast<std::int64_t>(snapshot.dead));
  write(
      self, {}, {},
      [&](storage::WriteSet& set, storage::EndpointLog&) {
        set.delete_endpoint(st.record.tenant_id, st.record.id);
      },
      cmd->done, 1);
}

// Runs after every message. An actor that has been idle for
// endpoint_idle_after asks its tenant to let it sleep, and asks again every
// such period while it stays idle (a refusal means a message is on its way).
void settle(Self* self) {
  auto& st = self->state;
  if (!st.idle()) {
    st.idle_since = 0;
    return;
  }
  const UnixMillis now = now_ms();
  if (st.idle_since == 0) st.idle_since = now;
  if (st.idle_timer_armed) return;
  const UnixMillis period = st.services->options.endpoint_idle_after.count();
  const UnixMillis left = st.idle_since + period - now;
  st.idle_timer_armed = true;
  self->delayed_send(self, std::chrono::milliseconds(left > 0 ? left : period), idle_atom::value);
}

void on_idle_timer(Self* self) {
  auto& st = self->state;
  st.idle_timer_armed = false;
  const UnixMillis period = st.services->options.endpoint_idle_after.count();
  if (st.idle() && st.idle_since != 0 && now_ms() - st.idle_since >= period) {
    self->send(st.tenant, idle_atom::value, st.record.id, st.received);
  }
}

caf::behavior endpoint_behavior(Self* self, EndpointActorConfig config) {
  auto& st = self->state;
  st.services = std::move(config.services);
  st.record = std::move(config.record);
  st.prepare_secrets();
  st.log = std::move(config.log);
  st.tenant = std::move(config.tenant);
  st.window_limit = std::max<std::size_t>(64, 4 * st.services->options.endpoint_concurrency);
  st.services->counters.endpoint_actor_started();
  self->attach_functor([services = st.services] { services->counters.endpoint_actor_stopped(); });
  // The first scan waits for an empty write to come back: the committer
  // writes in order, so by then everything submitted for this endpoint
  // before (by a failed predecessor of this actor, or by the tenant actor's
  // ingest) is durable, and the due index read is not behind it.
  write(self, {}, {}, [](storage::WriteSet&, storage::EndpointLog&) {});
  // Every handler ends in settle(); those of messages the tenant hands over
  // count them first (`received`).
  return {
      [=](wake_atom, std::uint64_t generation) {
        auto& s = self->state;
        if (generation == s.timer_generation) {
          s.timer_at = 0;
          s.needs_scan = true;
          pump(self);
        }
        settle(self);
      },
      [=](attempt_atom) {
        on_attempts(self);
        settle(self);
      },
      [=](written_atom, const WriteDonePtr& ack) {
        on_written(self, *ack);
        settle(self);
      },
      [=](flush_atom) {
        self->state.flush_queued = false;
        flush_decided(self);
        settle(self);
      },
      [=](tested_atom, const TestDonePtr& done) {
        --self->state.tests_in_flight;
        on_tested(self, *done);
        settle(self);
      },
      [=](idle_atom) {
        on_idle_timer(self);
        settle(self);
      },
      [=](enqueued_atom, const WorkBatch& batch) {
        ++self->state.received;
        on_enqueued(self, *batch);
        settle(self);
      },
      [=](endpoint_atom, const EndpointUpdatePtr& update) {
        ++self->state.received;
        on_update(self, update->record);
        settle(self);
      },
      [=](dlq_retry_atom, const EndpointCommandPtr& cmd) {
        ++self->state.received;
        on_dlq_retry(self, cmd);
        settle(self);
      },
      [=](dlq_all_atom, const EndpointCommandPtr& cmd) {
        ++self->state.received;
        on_retry_all(self, cmd);
        settle(self);
      },
      [=](dlq_all_atom) {  // the running retry-all's next chunk
        retry_all_step(self);
        settle(self);
      },
      [=](test_atom, const EndpointCommandPtr& cmd) {
        ++self->state.received;
        ++self->state.tests_in_flight;
        on_test(self, cmd);
        settle(self);
      },
      [=](delete_atom, const EndpointCommandPtr& cmd) { on_delete(self, cmd); },
      // The tenant granted the idle request: nothing was on its way here, and
      // nothing could have made this actor busy since (it had nothing that
      // calls back, and the tenant hands it no more work). Quitting loses
      // nothing; the next work starts a new actor from the stored snapshot.
      [=](sleep_atom) { self->quit(); },
      [=](drain_atom) {
        auto& s = self->state;
        s.draining = true;
        flush_decided(self);
        if (s.settled()) self->quit();
      },
      [=](stop_atom) { self->quit(); },
  };
}

}  // namespace

caf::actor spawn_endpoint_actor(caf::local_actor* parent, EndpointActorConfig config) {
  return parent->spawn(endpoint_behavior, std::move(config));
}

}  // namespace sivo::actors
