#include "engine/delivery.hpp"

#include <gtest/gtest.h>

namespace sivo::engine {
namespace {

using namespace std::chrono_literals;

constexpr UnixMillis kT0 = 1'795'687'200'000;  // 2026-11-26T10:00:00Z
constexpr std::string_view kEventId = "evt_01jdq8x4z9k3m2n7p5r6t8v0w1";
constexpr std::int64_t kSecond = 1'000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

const RetryPolicy& seed_policy() {
  static const RetryPolicy policy = RetryPolicy::seed_default();
  return policy;
}

AttemptOutcome failure(int attempt, int status_code = 500, std::string error = "") {
  AttemptOutcome outcome;
  outcome.attempt = attempt;
  outcome.status_code = status_code;
  outcome.error = std::move(error);
  outcome.latency_ms = 120;
  return outcome;
}

AttemptOutcome success(int attempt) {
  AttemptOutcome outcome;
  outcome.attempt = attempt;
  outcome.status_code = 200;
  outcome.latency_ms = 35;
  return outcome;
}

// Decides `command`, checks it was accepted, and folds the records into
// `state` (the way the endpoint actor and storage do); also appends them to `log`.
std::vector<DeliveryRecord> step(Delivery& state, const DeliveryCommand& command,
                                 std::vector<DeliveryRecord>& log,
                                 const RetryPolicy& policy = seed_policy()) {
  auto decided = decide(state, command, policy);
  EXPECT_TRUE(decided.ok()) << decided.error().code << ": " << decided.error().message;
  if (!decided.ok()) return {};
  for (const auto& record : *decided) {
    state = apply(std::move(state), record);
    log.push_back(record);
  }
  return *decided;
}

Delivery enqueued_delivery(std::vector<DeliveryRecord>& log) {
  Delivery state;
  step(state, Enqueue{std::string(kEventId), EventType::call_ended, kT0}, log);
  return state;
}

Delivery dead_delivery(std::vector<DeliveryRecord>& log) {
  Delivery state = enqueued_delivery(log);
  UnixMillis now = kT0;
  for (int attempt = 1; attempt <= 7; ++attempt) {
    step(state, ReportAttempt{failure(attempt), now}, log);
    now = state.due_at;
  }
  EXPECT_EQ(state.status, DeliveryStatus::dead);
  return state;
}

TEST(Delivery, EnqueueOfAnAbsentDeliveryMakesItPendingAndDueNow) {
  std::vector<DeliveryRecord> log;
  const Delivery state = enqueued_delivery(log);
  ASSERT_EQ(log.size(), 1u);
  const auto& enqueued = std::get<Enqueued>(log[0]);
  EXPECT_EQ(enqueued.event_id, kEventId);
  EXPECT_EQ(enqueued.type, EventType::call_ended);
  EXPECT_EQ(enqueued.at, kT0);

  EXPECT_EQ(state.event_id, kEventId);
  EXPECT_EQ(state.type, EventType::call_ended);
  EXPECT_EQ(state.status, DeliveryStatus::pending);
  EXPECT_EQ(state.next_attempt, 1);
  EXPECT_EQ(state.series, 0);
  EXPECT_EQ(state.enqueued_at, kT0);
  EXPECT_EQ(state.due_at, kT0);
  EXPECT_EQ(state.attempts_in_series, 0);
}

TEST(Delivery, EnqueueOfAnExistingDeliveryIsIdempotent) {
  std::vector<DeliveryRecord> log;
  const Delivery pending = enqueued_delivery(log);
  const auto again = decide(pending, Enqueue{std::string(kEventId), EventType::call_ended, kT0 + 5},
                            seed_policy());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());

  Delivery delivered = pending;
  step(delivered, ReportAttempt{success(1), kT0 + 100}, log);
  const auto after_delivery =
      decide(delivered, Enqueue{std::string(kEventId), EventType::call_ended, kT0}, seed_policy());
  ASSERT_TRUE(after_delivery.ok());
  EXPECT_TRUE(after_delivery->empty());
}

TEST(Delivery, SuccessfulAttemptRecordsItAndDelivers) {
  std::vector<DeliveryRecord> log;
  Delivery state = enqueued_delivery(log);
  const auto records = step(state, ReportAttempt{success(1), kT0 + 250}, log);
  ASSERT_EQ(records.size(), 2u);
  const auto& finished = std::get<AttemptFinished>(records[0]);
  EXPECT_EQ(finished.event_id, kEventId);
  EXPECT_EQ(finished.outcome.status_code, 200);
  EXPECT_EQ(finished.at, kT0 + 250);
  EXPECT_EQ(std::get<Delivered>(records[1]).at, kT0 + 250);

  EXPECT_EQ(state.status, DeliveryStatus::delivered);
  EXPECT_EQ(state.finished_at, kT0 + 250);
  EXPECT_EQ(state.last_status_code, 200);
  EXPECT_EQ(state.last_error, "");
  EXPECT_EQ(state.attempts_in_series, 1);
}

TEST(Delivery, FailedAttemptSchedulesTheNextAfterTheFirstDelay) {
  std::vector<DeliveryRecord> log;
  Delivery state = enqueued_delivery(log);
  const auto records = step(state, ReportAttempt{failure(1, 503), kT0 + 400}, log);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(std::get<AttemptFinished>(records[0]).outcome.status_code, 503);
  const auto& retry = std::get<RetryScheduled>(records[1]);
  EXPECT_EQ(retry.next_attempt, 2);
  EXPECT_EQ(retry.due_at, kT0 + 400 + 5 * kSecond);

  EXPECT_EQ(state.status, DeliveryStatus::pending);
  EXPECT_EQ(state.next_attempt, 2);
  EXPECT_EQ(state.due_at, kT0 + 400 + 5 * kSecond);
  EXPECT_EQ(state.last_status_code, 503);
  EXPECT_EQ(state.attempts_in_series, 1);
}

TEST(Delivery, A2xxWithATransportErrorIsAFailure) {
  std::vector<DeliveryRecord> log;
  Delivery state = enqueued_delivery(log);
  const auto records = step(state, ReportAttempt{failure(1, 200, "timeout"), kT0}, log);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<RetryScheduled>(records[1]));
  EXPECT_EQ(state.last_error, "timeout");
}

TEST(Delivery, FullSeriesFollowsTheSeedScheduleThenDeadLetters) {
  std::vector<DeliveryRecord> log;
  Delivery state = enqueued_delivery(log);
  // Each attempt starts when it is due and takes no time, so due times add up
  // to exactly the seed's schedule: 5s, 30s, 2m, 10m, 1h, 6h.
  const std::int64_t expected_gaps[] = {5 * kSecond,  30 * kSecond, 2 * kMinute,
                                        10 * kMinute, kHour,        6 * kHour};
  UnixMillis now = state.due_at;
  for (int attempt = 1; attempt <= 6; ++attempt) {
    const auto records = step(state, ReportAttempt{failure(attempt, 500), now}, log);
    ASSERT_EQ(records.size(), 2u);
    const auto& retry = std::get<RetryScheduled>(records[1]);
    EXPECT_EQ(retry.next_attempt, attempt + 1);
    EXPECT_EQ(retry.due_at, now + expected_gaps[attempt - 1]) << "after attempt " << attempt;
    now = retry.due_at;
  }
  EXPECT_EQ(now - kT0, 5 * kSecond + 30 * kSecond + 2 * kMinute + 10 * kMinute + kHour + 6 * kHour);
  EXPECT_EQ(state.next_attempt, 7);

  const auto last = step(state, ReportAttempt{failure(7, 500), now}, log);
  ASSERT_EQ(last.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<AttemptFinished>(last[0]));
  EXPECT_EQ(std::get<DeadLettered>(last[1]).at, now);
  EXPECT_EQ(state.status, DeliveryStatus::dead);
  EXPECT_EQ(state.finished_at, now);
  EXPECT_EQ(state.attempts_in_series, 7);
  EXPECT_EQ(state.last_status_code, 500);
  EXPECT_EQ(log.size(), 1u + 7u * 2u);
}

TEST(Delivery, ShortScheduleDeadLettersAfterItsLastAttempt) {
  const auto policy = RetryPolicy::parse("100ms");
  ASSERT_TRUE(policy.ok());
  std::vector<DeliveryRecord> log;
  Delivery state = enqueued_delivery(log);
  step(state, ReportAttempt{failure(1), kT0}, log, *policy);
  EXPECT_EQ(state.due_at, kT0 + 100);
  step(state, ReportAttempt{failure(2), kT0 + 100}, log, *policy);
  EXPECT_EQ(state.status, DeliveryStatus::dead);
}

TEST(Delivery, RetryAfterCanOnlyDelayWithinScheduledAndSixHours) {
  struct Case {
    int attempt;
    std::int64_t retry_after_ms;
    std::int64_t expected_delay_ms;
  };
  const Case cases[] = {
      {1, -1, 5 * kSecond},  // no header: the schedule
      {1, 0, 5 * kSecond},   // sooner than scheduled: the schedule wins
      {1, 2 * kSecond, 5 * kSecond},
      {1, 90 * kSecond, 90 * kSecond},  // later than scheduled: honoured
      {1, 6 * kHour, 6 * kHour},
      {1, 48 * kHour, 6 * kHour},    // capped at 6 h
      {6, 30 * kSecond, 6 * kHour},  // the 6 h step is already the cap
  };
  for (const auto& c : cases) {
    std::vector<DeliveryRecord> log;
    Delivery state = enqueued_delivery(log);
    for (int attempt = 1; attempt < c.attempt; ++attempt) {
      step(state, ReportAttempt{failure(attempt), kT0}, log);
    }
    AttemptOutcome outcome = failure(c.attempt, 429);
    outcome.retry_after_ms = c.retry_after_ms;
    const auto records = step(state, ReportAttempt{outcome, kT0}, log);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(std::get<RetryScheduled>(records[1]).due_at, kT0 + c.expected_delay_ms)
        << "attempt " << c.attempt << ", retry_after " << c.retry_after_ms;
  }
}

TEST(Delivery, RetryAfterNeverShortensALongCustomDelay) {
  const auto policy = RetryPolicy::parse("12h");
  ASSERT_TRUE(policy.ok());
  std::vector<DeliveryRecord> log;
  Delivery state = enqueued_delivery(log);
  AttemptOutcome outcome = failure(1, 503);
  outcome.retry_after_ms = 24 * kHour;
  step(state, ReportAttempt{outcome, kT0}, log, *policy);
  EXPECT_EQ(state.due_at, kT0 + 12 * kHour);
}

TEST(Delivery, RetryAfterOnTheLastAttemptStillDeadLetters) {
  std::vector<DeliveryRecord> log;
  Delivery state = enqueued_delivery(log);
  for (int attempt = 1; attempt <= 6; ++attempt) {
    step(state, ReportAttempt{failure(attempt), kT0}, log);
  }
  AttemptOutcome outcome = failure(7, 503);
  outcome.retry_after_ms = 60 * kSecond;
  const auto records = step(state, ReportAttempt{outcome, kT0}, log);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DeadLettered>(records[1]));
  EXPECT_EQ(state.status, DeliveryStatus::dead);
}

TEST(Delivery, ReportForAnotherAttemptNumberIsRefused) {
  std::vector<DeliveryRecord> log;
  Delivery state = enqueued_delivery(log);
  for (int wrong : {0, 2, 7}) {
    const auto refused = decide(state, ReportAttempt{failure(wrong), kT0}, seed_policy());
    ASSERT_FALSE(refused.ok()) << wrong;
    EXPECT_EQ(refused.error().code, "not_pending");
    EXPECT_NE(refused.error().message.find(std::string(kEventId)), std::string::npos);
  }
  step(state, ReportAttempt{failure(1), kT0}, log);
  // A duplicate report of attempt 1 must not advance the series twice.
  EXPECT_FALSE(decide(state, ReportAttempt{failure(1), kT0}, seed_policy()).ok());
}

TEST(Delivery, ReportOnANonPendingDeliveryIsRefused) {
  std::vector<DeliveryRecord> log;
  const Delivery absent;
  Delivery delivered = enqueued_delivery(log);
  step(delivered, ReportAttempt{success(1), kT0}, log);
  const Delivery dead = dead_delivery(log);

  for (const Delivery* state : std::initializer_list<const Delivery*>{&absent, &delivered, &dead}) {
    const auto refused =
        decide(*state, ReportAttempt{success(state->next_attempt), kT0}, seed_policy());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "not_pending");
  }
}

TEST(Delivery, RetryDeadLetterStartsAFreshSeriesDueNow) {
  std::vector<DeliveryRecord> log;
  Delivery state = dead_delivery(log);
  const UnixMillis later = kT0 + 24 * kHour;
  const auto records = step(state, RetryDeadLetter{later}, log);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(std::get<Requeued>(records[0]).at, later);
  EXPECT_EQ(std::get<Requeued>(records[0]).event_id, kEventId);

  EXPECT_EQ(state.status, DeliveryStatus::pending);
  EXPECT_EQ(state.series, 1);
  EXPECT_EQ(state.next_attempt, 1);
  EXPECT_EQ(state.attempts_in_series, 0);
  EXPECT_EQ(state.due_at, later);
  EXPECT_EQ(state.enqueued_at, kT0);

  // The fresh series has the whole schedule again.
  step(state, ReportAttempt{failure(1), later}, log);
  EXPECT_EQ(state.due_at, later + 5 * kSecond);
  step(state, ReportAttempt{success(2), later + 5 * kSecond}, log);
  EXPECT_EQ(state.status, DeliveryStatus::delivered);
  EXPECT_EQ(state.attempts_in_series, 2);
}

TEST(Delivery, RetryDeadLetterOfALiveDeliveryIsRefused) {
  std::vector<DeliveryRecord> log;
  const Delivery absent;
  const Delivery pending = enqueued_delivery(log);
  Delivery delivered = pending;
  step(delivered, ReportAttempt{success(1), kT0}, log);
  for (const Delivery* state :
       std::initializer_list<const Delivery*>{&absent, &pending, &delivered}) {
    const auto refused = decide(*state, RetryDeadLetter{kT0}, seed_policy());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "not_dead");
  }
}

TEST(Delivery, ReplayOfTheDecidedRecordsRebuildsTheSameState) {
  std::vector<DeliveryRecord> log;
  Delivery state = dead_delivery(log);
  EXPECT_EQ(replay(log), state);
  step(state, RetryDeadLetter{kT0 + kHour}, log);
  step(state, ReportAttempt{failure(1, 0, "connect: refused"), kT0 + kHour}, log);
  EXPECT_EQ(replay(log), state);
  step(state, ReportAttempt{success(2), state.due_at}, log);
  EXPECT_EQ(replay(log), state);
  EXPECT_EQ(state.status, DeliveryStatus::delivered);
  EXPECT_EQ(state.series, 1);

  // Every prefix of the log is also a state the decisions passed through.
  Delivery folded;
  for (const auto& record : log) folded = apply(std::move(folded), record);
  EXPECT_EQ(folded, state);
}

TEST(Delivery, ReplayOfNothingIsAbsent) {
  EXPECT_EQ(replay({}), Delivery{});
  EXPECT_EQ(replay({}).status, DeliveryStatus::absent);
}

TEST(Delivery, ApplyIgnoresTransitionsThatCannotHappen) {
  const Delivery absent;
  // Nothing but Enqueued starts a delivery.
  EXPECT_EQ(apply(absent, AttemptFinished{std::string(kEventId), success(1), kT0}), absent);
  EXPECT_EQ(apply(absent, RetryScheduled{std::string(kEventId), 2, kT0}), absent);
  EXPECT_EQ(apply(absent, Delivered{std::string(kEventId), kT0}), absent);
  EXPECT_EQ(apply(absent, DeadLettered{std::string(kEventId), kT0}), absent);
  EXPECT_EQ(apply(absent, Requeued{std::string(kEventId), kT0}), absent);

  std::vector<DeliveryRecord> log;
  Delivery delivered = enqueued_delivery(log);
  step(delivered, ReportAttempt{success(1), kT0}, log);
  // A finished delivery does not move again, and cannot be requeued.
  EXPECT_EQ(apply(delivered, Enqueued{std::string(kEventId), EventType::call_ended, kT0 + 1}),
            delivered);
  EXPECT_EQ(apply(delivered, DeadLettered{std::string(kEventId), kT0 + 1}), delivered);
  EXPECT_EQ(apply(delivered, Requeued{std::string(kEventId), kT0 + 1}), delivered);
  EXPECT_EQ(apply(delivered, AttemptFinished{std::string(kEventId), failure(2), kT0 + 1}),
            delivered);

  // A pending delivery is not requeued (only dead ones are).
  const Delivery pending = enqueued_delivery(log);
  EXPECT_EQ(apply(pending, Requeued{std::string(kEventId), kT0 + 1}), pending);
}

TEST(Delivery, ApplyIgnoresRecordsOfAnotherEvent) {
  std::vector<DeliveryRecord> log;
  const Delivery pending = enqueued_delivery(log);
  EXPECT_EQ(apply(pending, Delivered{"evt_other", kT0}), pending);
  EXPECT_EQ(apply(pending, RetryScheduled{"evt_other", 2, kT0}), pending);
}

}  // namespace
}  // namespace sivo::engine
