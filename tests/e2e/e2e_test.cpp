// The built binary, started as an operator would: flags, first-start admin
// token, a tenant and an endpoint created over HTTP, an event ingested and
// delivered, signed, to a real HTTPS receiver; clean stops on SIGTERM/SIGINT.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <random>

#include "engine/signature.hpp"
#include "tests/api/http_client.hpp"
#include "tests/e2e/engine_process.hpp"
#include "tests/support/https_receiver.hpp"
#include "tests/support/throwaway_ca.hpp"

namespace sivo::test_e2e {
namespace {

using namespace std::chrono_literals;
using test_api::HttpClient;

constexpr const char* kAdmin = "e2e-admin-token-0123456789";

class DataDir {
 public:
  DataDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("sivo-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
             std::to_string(std::random_device()()));
  }
  ~DataDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(Binary, HelpListsEveryFlag) {
  auto result = run_binary({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (std::string_view flag : {"--listen", "--data-dir", "--admin-token", "--ca-file",
                                "--allow-private-networks", "--retry-schedule", "--attempt-timeout",
                                "--help", "--version", "SIVO_LISTEN", "SIVO_DATA_DIR"}) {
    EXPECT_NE(result.out.find(flag), std::string::npos) << flag;
  }
}

TEST(Binary, VersionPrintsTheVersion) {
  auto result = run_binary({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, std::string("sivo-webhooks ") + SIVO_VERSION + "\n");
}

TEST(Binary, InvalidFlagsExitWith2AndSayWhy) {
  auto bad_listen = run_binary({"--listen", "nowhere"});
  EXPECT_EQ(bad_listen.exit_code, 2);
  EXPECT_NE(bad_listen.err.find("--listen"), std::string::npos) << bad_listen.err;
  auto unknown = run_binary({"--frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--frobnicate"), std::string::npos);
  auto bad_schedule = run_binary({"--retry-schedule", "5 seconds"});
  EXPECT_EQ(bad_schedule.exit_code, 2);
  auto bad_env = run_binary({}, {{"SIVO_ATTEMPT_TIMEOUT", "forever"}});
  EXPECT_EQ(bad_env.exit_code, 2);
  EXPECT_NE(bad_env.err.find("SIVO_ATTEMPT_TIMEOUT"), std::string::npos) << bad_env.err;
  DataDir dir;
  auto missing_ca = run_binary({"--data-dir", dir.str(), "--listen", "127.0.0.1:0", "--ca-file", "/nonexistent/ca.pem"});
  EXPECT_EQ(missing_ca.exit_code, 2);
}

TEST(Binary, FirstStartPrintsAnAdminTokenOnceAndItLasts) {
  DataDir dir;
  std::string token;
  {
    EngineProcess engine({"--data-dir", dir.str(), "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(engine.started()) << engine.out();
    ASSERT_TRUE(engine.printed_admin_token());
    token = *engine.printed_admin_token();
    EXPECT_EQ(token.rfind("sivo_admin_", 0), 0u) << token;
    HttpClient client(engine.port());
    EXPECT_EQ(client.get("/v1/me", token).body, R"({"role":"admin"})");
    EXPECT_EQ(client.get("/v1/me", "wrong-token").status, 401);
    EXPECT_EQ(engine.stop(SIGTERM), 0);
  }
  {
    EngineProcess engine({"--data-dir", dir.str(), "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(engine.started());
    EXPECT_FALSE(engine.printed_admin_token()) << engine.out();
    EXPECT_EQ(engine.out().find(token), std::string::npos);
    EXPECT_EQ(HttpClient(engine.port()).get("/v1/me", token).status, 200);
    EXPECT_EQ(engine.stop(SIGINT), 0);
  }
}

TEST(Binary, LogsOneLineWithVersionAddressAndDataDir) {
  DataDir dir;
  EngineProcess engine({"--data-dir", dir.str(), "--listen", "127.0.0.1:0", "--admin-token", kAdmin});
  ASSERT_TRUE(engine.started()) << engine.out();
  EXPECT_EQ(engine.listen_line(), std::string("sivo-webhooks ") + SIVO_VERSION +
                                      " listening on http://127.0.0.1:" + std::to_string(engine.port()) +
                                      " data-dir " + dir.str());
  EXPECT_FALSE(engine.printed_admin_token());
  EXPECT_EQ(engine.stop(SIGTERM), 0);
}

TEST(Binary, ReadsItsSettingsFromTheEnvironment) {
  DataDir dir;
  EngineProcess engine({}, {{"SIVO_DATA_DIR", dir.str()}, {"SIVO_LISTEN", "127.0.0.1:0"}, {"SIVO_ADMIN_TOKEN", kAdmin}});
  ASSERT_TRUE(engine.started()) << engine.out();
  EXPECT_NE(engine.listen_line().find("data-dir " + dir.str()), std::string::npos);
  EXPECT_EQ(HttpClient(engine.port()).get("/v1/me", kAdmin).status, 200);
  EXPECT_TRUE(std::filesystem::exists(dir.str()));
  EXPECT_EQ(engine.stop(SIGTERM), 0);
}

TEST(Binary, DeliversASignedEventEndToEnd) {
  DataDir dir;
  test_support::ThrowawayCa ca;
  test_support::HttpsReceiver receiver(ca.issue());
  EngineProcess engine({"--data-dir", dir.str(), "--listen", "127.0.0.1:0", "--admin-token", kAdmin,
                        "--ca-file", ca.ca_file(), "--allow-private-networks", "--retry-schedule",
                        "200ms,200ms", "--attempt-timeout", "5s"});
  ASSERT_TRUE(engine.started()) << engine.out();
  HttpClient client(engine.port());
  EXPECT_EQ(client.get("/healthz").status, 200);

  auto tenant = client.post("/v1/tenants", R"({"id":"acme","name":"Acme"})", kAdmin);
  ASSERT_EQ(tenant.status, 201) << tenant.body;
  std::string key(tenant.json().at("api_key").as_string());

  auto endpoint = client.post("/v1/tenants/acme/endpoints",
                              boost::json::serialize(boost::json::object{
                                  {"url", receiver.url("/hook")}, {"event_types", boost::json::array{"call.*"}}}),
                              key);
  ASSERT_EQ(endpoint.status, 201) << endpoint.body;
  std::string secret(endpoint.json().at("secret").as_string());

  // The first attempt fails; the retry on the shortened schedule succeeds.
  receiver.reply_statuses({503, 200});
  const std::string data = R"({"call_id":"c-42","duration_s":61, "hangup_cause":"NORMAL_CLEARING"})";
  auto ingest = client.post("/v1/tenants/acme/events",
                            R"({"id":"evt_e2e_1","type":"call.ended","data":)" + data + "}", key);
  ASSERT_EQ(ingest.status, 202) << ingest.body;
  EXPECT_EQ(ingest.json().at("endpoints").as_int64(), 1);
  // Filtered out: not delivered anywhere.
  auto filtered = client.post("/v1/tenants/acme/events", R"({"id":"evt_e2e_2","type":"agent.paused","data":{}})", key);
  EXPECT_EQ(filtered.json().at("endpoints").as_int64(), 0);

  ASSERT_TRUE(receiver.wait_for_requests(2, 20s));
  auto requests = receiver.requests();
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/hook");
    EXPECT_EQ(request.header("Content-Type").value_or(""), "application/json");
    EXPECT_EQ(request.header("X-Sivo-Event-Id").value_or(""), "evt_e2e_1");
    EXPECT_EQ(request.header("X-Sivo-Event-Type").value_or(""), "call.ended");
    EXPECT_EQ(request.header("X-Sivo-Signature").value_or(""),
              "sha256=" + engine::hmac_sha256_hex(secret, request.body));
    EXPECT_NE(request.body.find(R"("data":)" + data + "}"), std::string::npos) << request.body;
  }
  EXPECT_EQ(requests[0].body, requests[1].body);
  EXPECT_EQ(requests[0].header("X-Sivo-Delivery-Attempt").value_or(""), "1");
  EXPECT_EQ(requests[1].header("X-Sivo-Delivery-Attempt").value_or(""), "2");

  auto deliveries = client.get("/v1/tenants/acme/endpoints/" +
                                   std::string(endpoint.json().at("id").as_string()) + "/deliveries",
                               key);
  EXPECT_EQ(deliveries.status, 200);

  auto metrics = client.get("/metrics");
  EXPECT_NE(metrics.body.find("sivo_events_ingested_total"), std::string::npos);
  EXPECT_EQ(engine.stop(SIGTERM), 0);
}

TEST(Binary, KeepsTenantsAndEndpointsAcrossARestart) {
  DataDir dir;
  std::string key;
  {
    EngineProcess engine({"--data-dir", dir.str(), "--listen", "127.0.0.1:0", "--admin-token", kAdmin});
    ASSERT_TRUE(engine.started());
    HttpClient client(engine.port());
    key = std::string(client.post("/v1/tenants", R"({"id":"acme"})", kAdmin).json().at("api_key").as_string());
    ASSERT_EQ(client.post("/v1/tenants/acme/endpoints", R"({"url":"https://hooks.example.com/x"})", key).status, 201);
    EXPECT_EQ(engine.stop(SIGTERM), 0);
  }
  EngineProcess engine({"--data-dir", dir.str(), "--listen", "127.0.0.1:0", "--admin-token", kAdmin});
  ASSERT_TRUE(engine.started());
  HttpClient client(engine.port());
  EXPECT_EQ(client.get("/v1/me", key).body, R"({"role":"tenant","tenant_id":"acme"})");
  EXPECT_EQ(client.get("/v1/tenants/acme/endpoints", key).json().at("items").as_array().size(), 1u);
  EXPECT_EQ(engine.stop(SIGTERM), 0);
}

TEST(Binary, APortInUseIsAClearError) {
  DataDir first_dir, second_dir;
  EngineProcess first({"--data-dir", first_dir.str(), "--listen", "127.0.0.1:0", "--admin-token", kAdmin});
  ASSERT_TRUE(first.started());
  auto second = run_binary({"--data-dir", second_dir.str(), "--listen",
                            "127.0.0.1:" + std::to_string(first.port()), "--admin-token", kAdmin});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("cannot listen"), std::string::npos) << second.err;
  EXPECT_EQ(first.stop(SIGTERM), 0);
}

}  // namespace
}  // namespace sivo::test_e2e
