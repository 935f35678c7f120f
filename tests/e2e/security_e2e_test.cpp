// Secrets in the running binary: API keys, endpoint secrets and admin tokens
// never appear in what the engine writes to stdout/stderr (the generated admin
// token's single first-start line is the one exception), and API keys and the
// admin token are stored only hashed: the raw bytes are nowhere in the data
// dir's files (WAL, SST, MANIFEST, logs), while their SHA-256 is.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "engine/signature.hpp"
#include "tests/api/http_client.hpp"
#include "tests/e2e/engine_process.hpp"
#include "tests/support/https_receiver.hpp"
#include "tests/support/throwaway_ca.hpp"

namespace sivo::test_e2e {
namespace {

using namespace std::chrono_literals;
using test_api::HttpClient;

std::filesystem::path scratch_dir() {
  return std::filesystem::temp_directory_path() /
         ("sivo-sec-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device()()));
}

// Every file under `dir` that contains `needle`.
std::vector<std::string> files_containing(const std::filesystem::path& dir, const std::string& needle) {
  std::vector<std::string> hits;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    if (content.str().find(needle) != std::string::npos) hits.push_back(entry.path().filename().string());
  }
  return hits;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

TEST(Secrets, NeverInTheLogsAndKeysStoredOnlyHashed) {
  const auto dir = scratch_dir();
  const std::string data_dir = (dir / "data").string();
  test_support::ThrowawayCa ca;
  test_support::HttpsReceiver receiver(ca.issue());
  // First start without --admin-token: one is generated and printed once.
  auto engine = std::make_unique<EngineProcess>(std::vector<std::string>{
      "--data-dir", data_dir, "--listen", "127.0.0.1:0", "--ca-file", ca.ca_file(),
      "--allow-private-networks", "--retry-schedule", "100ms,100ms", "--attempt-timeout", "2s"});
  ASSERT_TRUE(engine->started()) << engine->out();
  ASSERT_TRUE(engine->printed_admin_token());
  const std::string admin = *engine->printed_admin_token();
  HttpClient client(engine->port());

  auto tenant = client.post("/v1/tenants", R"({"id":"acme"})", admin);
  ASSERT_EQ(tenant.status, 201) << tenant.body;
  const std::string key(tenant.json().at("api_key").as_string());
  auto other = client.post("/v1/tenants", R"({"id":"globex"})", admin);
  const std::string other_key(other.json().at("api_key").as_string());
  const std::string secret = "whsec_c2VjcmV0LW5ldmVyLWluLWxvZ3MtMDEyMzQ1Njc4OQ==";
  auto endpoint = client.post("/v1/tenants/acme/endpoints",
                              boost::json::serialize(boost::json::object{
                                  {"url", receiver.url("/hook")}, {"secret", secret}}),
                              key);
  ASSERT_EQ(endpoint.status, 201) << endpoint.body;
  const std::string endpoint_id(endpoint.json().at("id").as_string());

  // Exercise the paths that log: failing deliveries to the DLQ, a DLQ retry,
  // the tester, auth failures with near-miss keys, isolation refusals, bad input.
  receiver.reply_always(test_support::Reply::with_status(500));
  for (int i = 0; i < 5; ++i)
    client.post("/v1/tenants/acme/events",
                R"({"id":"e)" + std::to_string(i) + R"(","type":"call.ended","data":{"k":1}})", key);
  for (int i = 0; i < 100 && client.get("/v1/tenants/acme/endpoints/" + endpoint_id + "/dlq", key)
                                     .body.find("e4") == std::string::npos;
       ++i)
    std::this_thread::sleep_for(50ms);
  receiver.reply_always(test_support::Reply{});
  client.post("/v1/tenants/acme/endpoints/" + endpoint_id + "/dlq/e0/retry", "", key);
  client.post("/v1/tenants/acme/endpoints/" + endpoint_id + "/test", R"({"type":"call.ended"})", key);
  const std::string wrong_key = "sk_" + std::string(64, 'a');
  EXPECT_EQ(client.get("/v1/tenants/acme/endpoints", wrong_key).status, 401);
  EXPECT_EQ(client.get("/v1/tenants/acme/endpoints", key + "x").status, 401);
  EXPECT_EQ(client.get("/v1/tenants/acme/endpoints", admin + "x").status, 401);
  EXPECT_EQ(client.get("/v1/tenants/acme/endpoints", other_key).status, 404);
  client.post("/v1/tenants/acme/events", "{not json", key);
  client.request("PATCH", "/v1/tenants/acme/endpoints/" + endpoint_id, R"({"url":"http://x"})", key);

  // While it runs (the WAL holds every write): keys only as digests.
  for (const auto& raw : {key, other_key, admin}) {
    EXPECT_TRUE(files_containing(data_dir, raw).empty())
        << "a raw key is stored in " << files_containing(data_dir, raw)[0];
  }
  EXPECT_FALSE(files_containing(data_dir, engine::sha256_hex(key)).empty())
      << "the key's digest is not in the files: the scan would not have seen the key either";
  EXPECT_EQ(engine->stop(SIGTERM), 0);
  for (const auto& raw : {key, other_key, admin}) EXPECT_TRUE(files_containing(data_dir, raw).empty());

  const std::vector<std::pair<std::string, std::string>> never = {
      {"tenant key", key}, {"other tenant key", other_key}, {"endpoint secret", secret},
      {"wrong key", wrong_key}, {"near-miss key", key + "x"}, {"near-miss admin", admin + "x"}};
  auto check_output = [&](const std::string& run, const std::string& out, const std::string& err,
                          std::size_t admin_lines) {
    for (const auto& [what, value] : never) {
      EXPECT_EQ(out.find(value), std::string::npos) << run << ": the " << what << " is in stdout";
      EXPECT_EQ(err.find(value), std::string::npos) << run << ": the " << what << " is in stderr";
    }
    EXPECT_EQ(count(out, admin), admin_lines) << run << ": the admin token in stdout";
    EXPECT_EQ(count(err, admin), 0u) << run << ": the admin token in stderr";
  };
  check_output("first run", engine->out(), engine->err(), 1);
  std::cout << "  first run: " << engine->out().size() << " bytes stdout, " << engine->err().size()
            << " bytes stderr, no key or secret, the generated admin token once\n";

  // A second start: the token is not printed again; nothing secret either.
  engine = std::make_unique<EngineProcess>(std::vector<std::string>{
      "--data-dir", data_dir, "--listen", "127.0.0.1:0", "--ca-file", ca.ca_file(),
      "--allow-private-networks"});
  ASSERT_TRUE(engine->started()) << engine->out();
  EXPECT_EQ(HttpClient(engine->port()).get("/v1/tenants/acme/endpoints", key).status, 200);
  EXPECT_EQ(HttpClient(engine->port()).get("/v1/me", admin).status, 200);
  EXPECT_EQ(engine->stop(SIGTERM), 0);
  check_output("second run", engine->out(), engine->err(), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sivo::test_e2e
