// Ingest (single and batch), deliveries, the DLQ and the tester over real
// HTTP against the real engine and a real HTTPS receiver.

#include <thread>

#include "engine/signature.hpp"
#include "tests/api/api_fixture.hpp"

namespace sivo::test_api {
namespace {

using boost::json::object;
using boost::json::serialize;
using namespace std::chrono_literals;

class IngestTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    key_ = create_tenant("acme");
    endpoint_ = create_endpoint("acme", key_);
    endpoint_id_ = std::string(endpoint_.at("id").as_string());
    secret_ = std::string(endpoint_.at("secret").as_string());
  }

  std::string endpoint_path(std::string_view rest = "") const {
    return "/v1/tenants/acme/endpoints/" + endpoint_id_ + std::string(rest);
  }

  // Waits until GET .../deliveries shows `n` rows.
  boost::json::array wait_for_deliveries(std::size_t n) {
    boost::json::array items;
    for (int i = 0; i < 200; ++i) {
      items = client().get(endpoint_path("/deliveries"), key_).json().at("items").as_array();
      if (items.size() >= n) break;
      std::this_thread::sleep_for(25ms);
    }
    return items;
  }

  boost::json::array wait_for_dead_letters(std::size_t n) {
    boost::json::array items;
    for (int i = 0; i < 400; ++i) {
      items = client().get(endpoint_path("/dlq"), key_).json().at("items").as_array();
      if (items.size() >= n) break;
      std::this_thread::sleep_for(25ms);
    }
    return items;
  }

  std::string key_;
  object endpoint_;
  std::string endpoint_id_;
  std::string secret_;
};

TEST_F(IngestTest, AcceptsAnEventAndDeliversItSignedAndByteExact) {
  const std::string data = R"({"call_id":"c1", "n" : 1.50,"nested":{"a":[1,2,{}]},"s":"\u00e9"})";
  const std::string body = R"({"id":"evt_custom_1","type":"call.ended","data":)" + data +
                           R"(,"occurred_at":"2026-11-26T10:00:00.123Z"})";
  auto response = client().post("/v1/tenants/acme/events", body, key_);
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(response.body, R"({"id":"evt_custom_1","endpoints":1})");

  ASSERT_TRUE(receiver_.wait_for_requests(1, 10s));
  auto request = receiver_.requests().front();
  EXPECT_EQ(request.body,
            R"({"id":"evt_custom_1","type":"call.ended","tenant_id":"acme","created_at":"2026-11-26T10:00:00.123Z","data":)" +
                data + "}");
  EXPECT_EQ(request.header("X-Sivo-Event-Id").value_or(""), "evt_custom_1");
  EXPECT_EQ(request.header("X-Sivo-Event-Type").value_or(""), "call.ended");
  EXPECT_EQ(request.header("X-Sivo-Signature").value_or(""),
            "sha256=" + engine::hmac_sha256_hex(secret_, request.body));
}

TEST_F(IngestTest, GeneratesAnIdAndUsesNowWithoutOccurredAt) {
  auto response = client().post("/v1/tenants/acme/events", R"({"type":"call.created","data":{}})", key_);
  ASSERT_EQ(response.status, 202);
  std::string id(response.json().at("id").as_string());
  EXPECT_EQ(id.rfind("evt_", 0), 0u);
  auto stored = store_->event("acme", id);
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->envelope.find("\"data\":{}"), std::string::npos);
}

TEST_F(IngestTest, TheSameIdTwiceIsADuplicateDeliveredOnce) {
  const std::string body = R"({"id":"dup-1","type":"call.created","data":{"x":1}})";
  EXPECT_EQ(client().post("/v1/tenants/acme/events", body, key_).status, 202);
  auto again = client().post("/v1/tenants/acme/events", body, key_);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"id":"dup-1","duplicate":true,"endpoints":0})");
  ASSERT_TRUE(receiver_.wait_for_requests(1, 10s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(receiver_.request_count(), 1u);
}

// A minted id skips the dedupe lookup, not the dedupe key: a client that
// learned it from the 202 and posts it again gets a duplicate.
TEST_F(IngestTest, RepostingTheIdTheEngineMintedIsADuplicate) {
  auto first = client().post("/v1/tenants/acme/events", R"({"type":"call.created","data":{}})", key_);
  ASSERT_EQ(first.status, 202);
  const std::string id(first.json().at("id").as_string());
  auto again = client().post("/v1/tenants/acme/events",
                             R"({"id":")" + id + R"(","type":"call.created","data":{}})", key_);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json().at("duplicate"), true);
}

TEST_F(IngestTest, InvalidEventsAre4xxAndStoreNothing) {
  auto post = [&](const std::string& body) { return client().post("/v1/tenants/acme/events", body, key_); };
  auto unknown = post(R"({"id":"e1","type":"call.exploded","data":{}})");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(error_code_of(unknown), "invalid_event_type");
  EXPECT_NE(error_message_of(unknown).find("call.exploded"), std::string::npos);
  EXPECT_EQ(post(R"({"id":"e2","type":"call.created","data":[1]})").status, 422);
  EXPECT_EQ(post(R"({"id":"e3","type":"call.created"})").status, 422);
  EXPECT_EQ(post(R"({"id":"bad id!","type":"call.created","data":{}})").status, 422);
  EXPECT_EQ(post(R"({"id":"e4","type":"call.created","data":{},"occurred_at":"yesterday"})").status, 422);
  EXPECT_EQ(post(R"({"id":"e5","type":"call.created","data":{"a":}})").status, 400);
  EXPECT_EQ(post("{\"id\":\"e6\",\"type\":\"call.created\",\"data\":{\"a\":\"\xc3\x28\"}}").status, 400);
  EXPECT_EQ(post("").status, 400);
  for (auto id : {"e1", "e2", "e3", "e4", "e5", "e6"}) EXPECT_FALSE(store_->event("acme", id)) << id;
}

TEST_F(IngestTest, ABodyOver256KiBIs413AndNothingIsStored) {
  // Exactly 262,145 bytes of otherwise valid event.
  std::string head = R"({"id":"big","type":"transcript.completed","data":{"text":")";
  std::string tail = R"("}})";
  std::string body = head + std::string(262145 - head.size() - tail.size(), 'x') + tail;
  ASSERT_EQ(body.size(), 262145u);
  auto response = client().post("/v1/tenants/acme/events", body, key_);
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(error_code_of(response), "payload_too_large");
  EXPECT_FALSE(store_->event("acme", "big"));
}

TEST_F(IngestTest, AnEnvelopeOver256KiBIs413) {
  // The body fits, but the envelope (id, type, tenant, created_at added) would not.
  std::string head = R"({"id":"env","type":"transcript.completed","data":{"text":")";
  std::string tail = R"("}})";
  std::string body = head + std::string(262144 - head.size() - tail.size(), 'x') + tail;
  auto response = client().post("/v1/tenants/acme/events", body, key_);
  EXPECT_EQ(response.status, 413);
  EXPECT_FALSE(store_->event("acme", "env"));
  // Somewhat smaller fits.
  std::string small = head + std::string(200000, 'x') + tail;
  EXPECT_EQ(client().post("/v1/tenants/acme/events", small, key_).status, 202);
}

TEST_F(IngestTest, BatchAnswersPerItem) {
  const std::string big(262144, 'x');
  const std::string body = R"({"events":[)"
                           R"({"id":"b1","type":"transcript.segment","data":{"seq":0}},)"
                           R"({"id":"b2","type":"nope","data":{}},)"
                           R"(7,)"
                           R"({"id":"b1","type":"transcript.segment","data":{"seq":0}},)"
                           R"({"id":"b3","type":"transcript.segment","data":{"text":")" + big + R"("}},)"
                           R"({"type":"transcript.segment","data":{"seq":1}}]})";
  auto response = client().post("/v1/tenants/acme/events/batch", body, key_);
  ASSERT_EQ(response.status, 200) << response.body.substr(0, 500);
  auto items = response.json().at("items").as_array();
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0].at("status").as_int64(), 202);
  EXPECT_EQ(items[0].at("id").as_string(), "b1");
  EXPECT_EQ(items[0].at("endpoints").as_int64(), 1);
  EXPECT_EQ(items[1].at("status").as_int64(), 422);
  EXPECT_EQ(items[1].at("error").at("code").as_string(), "invalid_event_type");
  EXPECT_EQ(items[2].at("status").as_int64(), 422);
  EXPECT_EQ(items[3].at("status").as_int64(), 200);
  EXPECT_EQ(items[3].at("duplicate").as_bool(), true);
  EXPECT_EQ(items[3].at("id").as_string(), "b1");
  EXPECT_EQ(items[3].at("endpoints").as_int64(), 0);
  EXPECT_FALSE(items[0].as_object().contains("duplicate"));
  EXPECT_FALSE(items[1].as_object().contains("id"));
  EXPECT_NE(items[1].at("error").at("message").as_string().find("nope"), boost::json::string::npos);
  EXPECT_EQ(items[4].at("status").as_int64(), 413);
  EXPECT_EQ(items[4].at("error").at("code").as_string(), "payload_too_large");
  EXPECT_EQ(items[5].at("status").as_int64(), 202);
  for (std::size_t i = 0; i < items.size(); ++i) EXPECT_EQ(items[i].at("index").as_int64(), static_cast<std::int64_t>(i));

  EXPECT_TRUE(store_->event("acme", "b1"));
  EXPECT_FALSE(store_->event("acme", "b3"));
  ASSERT_TRUE(receiver_.wait_for_requests(2, 10s));

  // Again: both stored ones are now duplicates.
  auto again = client().post("/v1/tenants/acme/events/batch",
                             R"({"events":[{"id":"b1","type":"transcript.segment","data":{}}]})", key_);
  EXPECT_EQ(again.json().at("items").at(0).at("status").as_int64(), 200);
}

TEST_F(IngestTest, BatchCountsEachEventsEndpointsByTheirFilters) {
  // Beside the fixture's endpoint for every type: one for calls, one for transcripts.
  create_endpoint("acme", key_, {{"event_types", boost::json::array{"call.*"}}});
  create_endpoint("acme", key_, {{"event_types", boost::json::array{"transcript.*"}}});
  auto stored = client().post("/v1/tenants/acme/events",
                              R"({"id":"dup1","type":"call.ended","data":{}})", key_);
  ASSERT_EQ(stored.status, 202) << stored.body;
  // dup1 is known to the tenant (stored), not to the batch's own checks.
  auto response = client().post("/v1/tenants/acme/events/batch",
                                R"({"events":[{"id":"dup1","type":"call.ended","data":{}},)"
                                R"({"type":"call.ended","data":{}},)"
                                R"({"type":"agent.paused","data":{}},)"
                                R"({"type":"nope","data":{}},)"
                                R"({"type":"transcript.segment","data":{}}]})",
                                key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto items = response.json().at("items").as_array();
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].at("status").as_int64(), 200);
  EXPECT_EQ(items[0].at("endpoints").as_int64(), 0);
  EXPECT_EQ(items[1].at("endpoints").as_int64(), 2);
  EXPECT_EQ(items[2].at("endpoints").as_int64(), 1);
  EXPECT_EQ(items[3].at("status").as_int64(), 422);
  EXPECT_EQ(items[4].at("endpoints").as_int64(), 2);
  ASSERT_TRUE(receiver_.wait_for_requests(7, 10s));
}

TEST_F(IngestTest, BatchLimits) {
  std::string body = R"({"events":[)";
  for (int i = 0; i < 1001; ++i) body += std::string(i ? "," : "") + R"({"type":"call.created","data":{}})";
  body += "]}";
  auto response = client().post("/v1/tenants/acme/events/batch", body, key_);
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(client().post("/v1/tenants/acme/events/batch", R"({"events":{}})", key_).status, 422);
  EXPECT_EQ(client().post("/v1/tenants/acme/events/batch", R"({"events":[)", key_).status, 400);
  auto empty = client().post("/v1/tenants/acme/events/batch", R"({"events":[]})", key_);
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, R"({"items":[]})");
}

TEST_F(IngestTest, BatchOfAThousandIsStoredInOneGo) {
  std::string body = R"({"events":[)";
  for (int i = 0; i < 1000; ++i) {
    body += std::string(i ? "," : "") + R"({"id":"seg-)" + std::to_string(i) +
            R"(","type":"transcript.segment","data":{"seq":)" + std::to_string(i) + "}}";
  }
  body += "]}";
  auto response = client().post("/v1/tenants/acme/events/batch", body, key_);
  ASSERT_EQ(response.status, 200);
  auto items = response.json().at("items").as_array();
  ASSERT_EQ(items.size(), 1000u);
  for (const auto& item : items) EXPECT_EQ(item.at("status").as_int64(), 202);
  EXPECT_TRUE(store_->event("acme", "seg-999"));
  EXPECT_TRUE(receiver_.wait_for_requests(1000, 60s));
}

TEST_F(IngestTest, DeliveriesShowTheLastAttemptsNewestFirst) {
  receiver_.reply_statuses({500, 200});
  ASSERT_EQ(client().post("/v1/tenants/acme/events", R"({"id":"d1","type":"call.created","data":{}})", key_).status, 202);
  auto items = wait_for_deliveries(2);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("event_id").as_string(), "d1");
  EXPECT_EQ(items[0].at("event_type").as_string(), "call.created");
  EXPECT_EQ(items[0].at("attempt").as_int64(), 2);
  EXPECT_EQ(items[0].at("status_code").as_int64(), 200);
  EXPECT_EQ(items[0].at("outcome").as_string(), "delivered");
  EXPECT_TRUE(items[0].at("error").is_null());
  EXPECT_TRUE(items[0].at("latency_ms").is_int64());
  EXPECT_TRUE(items[0].at("at").is_string());
  EXPECT_EQ(items[0].at("test").as_bool(), false);
  EXPECT_EQ(items[1].at("attempt").as_int64(), 1);
  EXPECT_EQ(items[1].at("status_code").as_int64(), 500);
  EXPECT_EQ(items[1].at("outcome").as_string(), "failed");
}

TEST_F(IngestTest, DeadLettersCanBeListedPagedExportedAndRetried) {
  receiver_.reply_always(test_support::Reply::with_status(500));
  for (auto id : {"x1", "x2", "x3"}) {
    ASSERT_EQ(client().post("/v1/tenants/acme/events",
                            std::string(R"({"id":")") + id + R"(","type":"call.ended","data":{"k":1}})", key_).status,
              202);
  }
  auto items = wait_for_dead_letters(3);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("event_id").as_string(), "x1");
  EXPECT_EQ(items[0].at("event_type").as_string(), "call.ended");
  EXPECT_EQ(items[0].at("attempts").as_int64(), 3);
  EXPECT_EQ(items[0].at("last_status_code").as_int64(), 500);
  EXPECT_TRUE(items[0].at("dead_at").is_string());
  EXPECT_TRUE(items[0].as_object().contains("last_error"));

  // Paging.
  auto page1 = client().get(endpoint_path("/dlq?limit=2"), key_).json();
  ASSERT_EQ(page1.at("items").as_array().size(), 2u);
  ASSERT_TRUE(page1.at("next_cursor").is_string());
  auto page2 = client().get(endpoint_path("/dlq?limit=2&cursor=") +
                                std::string(page1.at("next_cursor").as_string()), key_).json();
  ASSERT_EQ(page2.at("items").as_array().size(), 1u);
  EXPECT_EQ(page2.at("items").at(0).at("event_id").as_string(), "x3");
  EXPECT_TRUE(page2.at("next_cursor").is_null());
  for (auto bad : {"0", "1001", "abc", "-1", "5x"}) {
    EXPECT_EQ(client().get(endpoint_path("/dlq?limit=") + bad, key_).status, 422) << bad;
  }

  // Export: a JSON file with full payloads.
  auto exported = client().get(endpoint_path("/dlq/export"), key_);
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(exported.header("content-disposition"), "attachment; filename=\"dlq-" + endpoint_id_ + ".json\"");
  auto file = exported.json();
  ASSERT_EQ(file.at("items").as_array().size(), 3u);
  const auto& payload = file.at("items").at(0).at("payload");
  EXPECT_EQ(payload.at("id").as_string(), "x1");
  EXPECT_EQ(payload.at("tenant_id").as_string(), "acme");
  EXPECT_EQ(payload.at("data").at("k").as_int64(), 1);

  // Retry one: a fresh series that now succeeds.
  receiver_.reply_always(test_support::Reply::with_status(200));
  const std::size_t before = receiver_.request_count();
  auto retried = client().post(endpoint_path("/dlq/x1/retry"), "", key_);
  EXPECT_EQ(retried.status, 202) << retried.body;
  ASSERT_TRUE(receiver_.wait_for_requests(before + 1, 10s));
  EXPECT_EQ(client().post(endpoint_path("/dlq/x1/retry"), "", key_).status, 404);
  EXPECT_EQ(client().post(endpoint_path("/dlq/never/retry"), "", key_).status, 404);
  // Longer than any event id the engine accepts: no such dead letter either.
  const std::string too_long(300, 'x');
  EXPECT_EQ(client().post(endpoint_path("/dlq/" + too_long + "/retry"), "", key_).status, 404);

  // Retry all: the two left.
  auto all = client().post(endpoint_path("/dlq/retry"), "", key_);
  EXPECT_EQ(all.status, 202);
  EXPECT_EQ(all.body, R"({"count":2})");
  ASSERT_TRUE(receiver_.wait_for_requests(before + 3, 10s));
  for (int i = 0; i < 200 && !client().get(endpoint_path("/dlq"), key_).json().at("items").as_array().empty(); ++i) {
    std::this_thread::sleep_for(25ms);
  }
  EXPECT_TRUE(client().get(endpoint_path("/dlq"), key_).json().at("items").as_array().empty());
}

TEST_F(IngestTest, TheTesterSendsASignedSyntheticEvent) {
  auto response = client().post(endpoint_path("/test"), R"({"type":"call.ended"})", key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto result = response.json();
  EXPECT_EQ(result.at("ok").as_bool(), true);
  EXPECT_EQ(result.at("status_code").as_int64(), 200);
  EXPECT_TRUE(result.at("error").is_null());
  EXPECT_TRUE(result.at("latency_ms").is_int64());
  std::string event_id(result.at("event_id").as_string());
  EXPECT_EQ(result.at("payload").at("type").as_string(), "call.ended");

  ASSERT_TRUE(receiver_.wait_for_requests(1, 5s));
  auto request = receiver_.requests().front();
  EXPECT_EQ(request.header("X-Sivo-Event-Id").value_or(""), event_id);
  EXPECT_EQ(request.header("X-Sivo-Signature").value_or(""),
            "sha256=" + engine::hmac_sha256_hex(secret_, request.body));

  auto deliveries = wait_for_deliveries(1);
  ASSERT_GE(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].at("test").as_bool(), true);
}

TEST_F(IngestTest, TheTesterReportsAFailingReceiver) {
  receiver_.reply_always(test_support::Reply::with_status(503));
  auto result = client().post(endpoint_path("/test"), R"({"type":"queue.entered"})", key_).json();
  EXPECT_EQ(result.at("ok").as_bool(), false);
  EXPECT_EQ(result.at("status_code").as_int64(), 503);
  auto unknown = client().post(endpoint_path("/test"), R"({"type":"nope"})", key_);
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(error_code_of(unknown), "invalid_event_type");
}

}  // namespace
}  // namespace sivo::test_api
