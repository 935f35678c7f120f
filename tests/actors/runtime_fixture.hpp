#pragma once
// A real engine for actor tests: a RocksDB store in a temp dir, the real
// Runtime (CAF actors, group committer, HTTPS client) and a real HTTPS
// receiver on loopback trusting a throwaway CA. Async calls are wrapped into
// blocking ones with futures, with a deadline so a bug fails instead of hanging.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "actors/runtime.hpp"
#include "engine/envelope.hpp"
#include "engine/ids.hpp"
#include "engine/signature.hpp"
#include "storage/store.hpp"
#include "tests/support/https_receiver.hpp"
#include "tests/support/throwaway_ca.hpp"

namespace sivo::actors::testing {

inline std::filesystem::path make_temp_dir() {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("sivo-actors-" + std::to_string(rd()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir;
}

inline engine::UnixMillis wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

template <class T>
T await(std::future<T>& f, std::chrono::seconds limit = std::chrono::seconds(20)) {
  if (f.wait_for(limit) != std::future_status::ready) {
    ADD_FAILURE() << "the engine did not answer within " << limit.count() << " s";
    throw std::runtime_error("timeout");
  }
  return f.get();
}

class RuntimeFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir();
    open_store();
    receiver_ = std::make_unique<test_support::HttpsReceiver>(ca_.issue());
  }

  void TearDown() override {
    runtime_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void open_store() {
    store_options_.dir = dir_;
    auto store = storage::Store::open(store_options_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
  }

  RuntimeOptions default_options() {
    RuntimeOptions options;
    options.ca_file = ca_.ca_file();
    options.allow_private_networks = true;
    options.attempt_timeout = std::chrono::milliseconds(2000);
    options.retry_policy = *engine::RetryPolicy::parse("200ms,400ms,200ms,200ms,200ms,200ms");
    return options;
  }

  void start(RuntimeOptions options) { runtime_ = std::make_unique<Runtime>(options, *store_); }
  void start() { start(default_options()); }

  // Stops the runtime, closes and reopens the store, starts a new runtime.
  void restart(RuntimeOptions options) {
    runtime_.reset();
    store_.reset();
    open_store();
    start(options);
  }

  void create_tenant(const std::string& id) {
    std::promise<engine::Result<bool>> p;
    auto f = p.get_future();
    storage::TenantRecord tenant;
    tenant.id = id;
    tenant.name = id;
    tenant.created_at = wall_ms();
    runtime_->create_tenant(tenant, engine::sha256_hex("key-" + id),
                            [&p](engine::Result<bool> r) { p.set_value(std::move(r)); });
    ASSERT_TRUE(await(f).ok());
  }

  storage::EndpointRecord create_endpoint(const std::string& tenant, const std::string& url,
                                          std::vector<std::string> types = {}) {
    storage::EndpointRecord e;
    e.id = engine::new_endpoint_id(wall_ms());
    e.tenant_id = tenant;
    e.url = url;
    e.event_types = std::move(types);
    e.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    e.created_at = e.updated_at = wall_ms();
    put_endpoint(e);
    return e;
  }

  // Creates or updates the endpoint, durably.
  void put_endpoint(const storage::EndpointRecord& e) {
    std::promise<engine::Result<bool>> p;
    auto f = p.get_future();
    runtime_->put_endpoint(e, [&p](engine::Result<bool> r) { p.set_value(std::move(r)); });
    EXPECT_TRUE(await(f).ok());
  }

  IngestItem make_item(const std::string& tenant, engine::EventType type,
                       std::string data = R"({"call_id":"call_1","n":1})",
                       std::string id = "") {
    if (id.empty()) id = engine::new_event_id(wall_ms());
    engine::EventHeader header{id, type, tenant, wall_ms()};
    return IngestItem{id, type,
                      std::make_shared<const std::string>(engine::render_envelope(header, data))};
  }

  std::vector<IngestOutcome> ingest(const std::string& tenant, std::vector<IngestItem> items) {
    std::promise<std::vector<IngestOutcome>> p;
    auto f = p.get_future();
    runtime_->ingest(tenant, std::move(items),
                     [&p](std::vector<IngestOutcome> r) { p.set_value(std::move(r)); });
    return await(f);
  }

  engine::Result<bool> retry_dead_letter(const std::string& tenant, const std::string& endpoint,
                                         const std::string& event_id) {
    std::promise<engine::Result<bool>> p;
    auto f = p.get_future();
    runtime_->retry_dead_letter(tenant, endpoint, event_id,
                                [&p](engine::Result<bool> r) { p.set_value(std::move(r)); });
    return await(f);
  }

  // Polls until `pred` holds or the deadline passes.
  template <class Pred>
  bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
  }

  std::filesystem::path dir_;
  storage::StoreOptions store_options_;
  test_support::ThrowawayCa ca_;
  std::unique_ptr<test_support::HttpsReceiver> receiver_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Runtime> runtime_;
};

}  // namespace sivo::actors::testing
