// When the durable write fails the API answers 503 and nothing is stored; the
// server itself keeps answering. The failure is real: RocksDB's WAL refuses
// writes through a faulty file system.

#include "tests/api/api_fixture.hpp"
#include "tests/storage/faulty_file_system.hpp"

namespace sivo::test_api {
namespace {

class StorageFailureTest : public ApiTest {
 protected:
  void customize(storage::StoreOptions& options) override {
    options.env = storage::testing::FaultyFileSystem::env_of(fs_);
  }
  std::shared_ptr<storage::testing::FaultyFileSystem> fs_ =
      std::make_shared<storage::testing::FaultyFileSystem>();
};

TEST_F(StorageFailureTest, AFailedWriteIs503AndStoresNothing) {
  auto key = create_tenant("acme");
  create_endpoint("acme", key);
  fs_->fail_wal_after(0);

  auto single = client().post("/v1/tenants/acme/events", R"({"id":"lost-1","type":"call.created","data":{}})", key);
  EXPECT_EQ(single.status, 503) << single.body;
  EXPECT_EQ(error_code_of(single), "storage_unavailable");
  auto batch = client().post("/v1/tenants/acme/events/batch",
                             R"({"events":[{"id":"lost-2","type":"call.created","data":{}}]})", key);
  EXPECT_EQ(batch.status, 503) << batch.body;
  auto tenant = client().post("/v1/tenants", R"({"id":"globex"})", kAdminToken);
  EXPECT_EQ(tenant.status, 503) << tenant.body;

  EXPECT_FALSE(store_->event("acme", "lost-1"));
  EXPECT_FALSE(store_->event("acme", "lost-2"));
  EXPECT_FALSE(store_->tenant("globex"));
  EXPECT_EQ(client().get("/healthz").status, 200);
  EXPECT_EQ(client().get("/v1/tenants/acme/endpoints", key).status, 200);
  EXPECT_EQ(receiver_.request_count(), 0u);
}

}  // namespace
}  // namespace sivo::test_api
