// EnvelopeCache: the recent envelopes, by (tenant, event id), within a byte budget.

#include "actors/envelope_cache.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace sivo::actors {
namespace {

std::shared_ptr<const std::string> body(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(EnvelopeCache, FindsWhatWasPutByTenantAndId) {
  EnvelopeCache cache(1 << 20);
  const auto a = body("{\"a\":1}");
  cache.put("acme", "evt_1", a);
  cache.put("other", "evt_1", body("{\"other\":1}"));
  EXPECT_EQ(cache.find("acme", "evt_1"), a) << "the same envelope, not a copy";
  EXPECT_EQ(*cache.find("other", "evt_1"), "{\"other\":1}");
  EXPECT_EQ(cache.find("acme", "evt_2"), nullptr);
  EXPECT_EQ(cache.find("acm", "eevt_1"), nullptr) << "tenant and id do not run together";
  EXPECT_EQ(cache.size(), 2u);
}

// An id ingested again (after retention forgot it) replaces the old body.
TEST(EnvelopeCache, APutOfTheSameIdReplacesTheBodyAndItsBytes) {
  EnvelopeCache cache(1 << 20);
  cache.put("acme", "evt_1", body(std::string(500, 'a')));
  const auto one_entry = cache.bytes();
  for (int size : {10, 2000, 500}) cache.put("acme", "evt_1", body(std::string(size, 'b')));
  EXPECT_EQ(*cache.find("acme", "evt_1"), std::string(500, 'b'));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.bytes(), one_entry);
}

TEST(EnvelopeCache, TheOldestLeaveFirstToStayWithinTheBudget) {
  EnvelopeCache probe(1 << 20);
  probe.put("t", "evt_00", body(std::string(1000, 'x')));
  const std::size_t entry = probe.bytes();  // every entry below costs the same

  EnvelopeCache cache(10 * entry);
  for (int i = 0; i < 25; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "evt_%02d", i);
    cache.put("t", id, body(std::string(1000, 'x')));
    EXPECT_LE(cache.bytes(), 10 * entry);
  }
  EXPECT_EQ(cache.size(), 10u);
  EXPECT_EQ(cache.find("t", "evt_14"), nullptr);
  for (int i = 15; i < 25; ++i)
    EXPECT_NE(cache.find("t", "evt_" + std::to_string(i)), nullptr) << i;
}

TEST(EnvelopeCache, KeepsNothingLargerThanItsBudget) {
  EnvelopeCache cache(4096);
  cache.put("t", "small", body("{}"));
  cache.put("t", "huge", body(std::string(8192, 'x')));
  EXPECT_EQ(cache.find("t", "huge"), nullptr);
  EXPECT_EQ(cache.size(), 0u) << "it pushed out everything older, then itself";
  EXPECT_EQ(cache.bytes(), 0u);

  EnvelopeCache none(0);
  none.put("t", "evt", body("{}"));
  EXPECT_EQ(none.find("t", "evt"), nullptr);
}

TEST(EnvelopeCache, ANullEnvelopeIsNotKept) {
  EnvelopeCache cache(4096);
  cache.put("t", "evt", nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace sivo::actors
