#pragma once
// The whole engine behind the real API for one test: a RocksDB store in a
// temp dir, the real Runtime (short retry schedule), the API server on an
// ephemeral port, and a real HTTPS receiver trusted through a throwaway CA.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "actors/runtime.hpp"
#include "api/api_service.hpp"
#include "engine/signature.hpp"
#include "storage/store.hpp"
#include "tests/api/http_client.hpp"
#include "tests/support/https_receiver.hpp"
#include "tests/support/throwaway_ca.hpp"

namespace sivo::test_api {

inline constexpr const char* kAdminToken = "admin-token-for-the-api-tests";

class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("sivo-api-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
             std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions store_options;
    store_options.dir = dir_.path() / "data";
    customize(store_options);
    auto store = storage::Store::open(store_options);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);

    actors::RuntimeOptions runtime_options;
    runtime_options.retry_policy = *engine::RetryPolicy::parse("50ms,50ms");  // 3 attempts
    runtime_options.attempt_timeout = std::chrono::seconds(3);
    runtime_options.ca_file = ca_.ca_file();
    runtime_options.allow_private_networks = true;
    runtime_options.scheduler_threads = 2;
    runtime_ = std::make_unique<actors::Runtime>(runtime_options, *store_);

    service_ = start_service(true);
    ASSERT_TRUE(service_);
    main_port_ = last_port_;
  }

  void TearDown() override {
    if (service_) service_->stop();
    for (auto& extra : extra_services_) extra->stop();
    runtime_.reset();
    service_.reset();
    extra_services_.clear();
    store_.reset();
  }

  // A subclass's chance to change how the store is opened (e.g. a faulty Env).
  virtual void customize(storage::StoreOptions&) {}

  // Another API over the same engine (e.g. one that refuses private networks).
  std::unique_ptr<api::ApiService> start_service(bool allow_private_networks) {
    api::ApiServiceOptions options;
    options.server.port = 0;
    options.allow_private_networks = allow_private_networks;
    auto service = std::make_unique<api::ApiService>(*runtime_, engine::sha256_hex(kAdminToken), options);
    auto port = service->start();
    EXPECT_TRUE(port) << port.error().message;
    if (!port) return nullptr;
    last_port_ = *port;
    return service;
  }

  HttpClient client() const { return HttpClient(main_port_); }

  // POST /v1/tenants as admin; the tenant's API key.
  std::string create_tenant(const std::string& id) {
    auto response = client().post("/v1/tenants", boost::json::serialize(boost::json::object{
                                                     {"id", id}, {"name", "Tenant " + id}}),
                                  kAdminToken);
    EXPECT_EQ(response.status, 201) << response.body;
    auto body = response.json();
    if (!body.is_object() || !body.as_object().contains("api_key")) return {};
    return std::string(body.at("api_key").as_string());
  }

  // POST /v1/tenants/{t}/endpoints pointing at the receiver; the endpoint JSON.
  boost::json::object create_endpoint(const std::string& tenant, const std::string& token,
                                      boost::json::object extra = {}) {
    boost::json::object body{{"url", receiver_.url("/hook")}};
    for (auto& [key, value] : extra) body[key] = value;
    auto response = client().post("/v1/tenants/" + tenant + "/endpoints", boost::json::serialize(body), token);
    EXPECT_EQ(response.status, 201) << response.body;
    auto json = response.json();
    return json.is_object() ? json.as_object() : boost::json::object{};
  }

  ScratchDir dir_;
  test_support::ThrowawayCa ca_;
  test_support::HttpsReceiver receiver_{ca_.issue()};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<actors::Runtime> runtime_;
  std::unique_ptr<api::ApiService> service_;
  std::vector<std::unique_ptr<api::ApiService>> extra_services_;
  std::uint16_t last_port_ = 0;  // of the service start_service made last
  std::uint16_t main_port_ = 0;
};

inline std::string error_code_of(const HttpResponse& response) {
  auto body = response.json();
  if (!body.is_object() || !body.as_object().contains("error")) return "<no error: " + response.body + ">";
  return std::string(body.at("error").at("code").as_string());
}

inline std::string error_message_of(const HttpResponse& response) {
  auto body = response.json();
  if (!body.is_object() || !body.as_object().contains("error")) return {};
  return std::string(body.at("error").at("message").as_string());
}

}  // namespace sivo::test_api
