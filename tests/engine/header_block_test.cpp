#include "engine/header_block.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sivo::engine {
namespace {

TEST(HeaderBlock, RendersEachHeaderAsAWireLineInOrder) {
  HeaderBlock block;
  EXPECT_EQ(block.lines(), "");
  block.add("X-Sivo-Event-Id", "evt_1");
  block.add("webhook-signature", "v1,abc= v1,def=");
  block.add("X-Empty", "");
  EXPECT_EQ(block.lines(),
            "X-Sivo-Event-Id: evt_1\r\nwebhook-signature: v1,abc= v1,def=\r\nX-Empty: \r\n");
  EXPECT_FALSE(block.refused());
}

TEST(HeaderBlock, RefusesALineBreakOrNulInAValue) {
  for (const std::string& value : {std::string("a\r\nX-Injected: 1"), std::string("a\nb"),
                                   std::string("a\rb"), std::string("a\0b", 3)}) {
    HeaderBlock block;
    block.add("X-Evil", value);
    EXPECT_EQ(block.lines(), "");
    EXPECT_EQ(block.refused(), "X-Evil");
  }
}

TEST(HeaderBlock, RefusesANameThatIsNotAToken) {
  for (std::string name : {"", "X Space", "X:Colon", "X-Tab\t", "\xC3\x9Cnicode", "(x)"}) {
    HeaderBlock block;
    block.add(name, "v");
    EXPECT_EQ(block.lines(), "") << name;
    EXPECT_EQ(block.refused(), name);
  }
  HeaderBlock block;
  block.add("X-Evil\r\nX-Injected", "1");
  EXPECT_EQ(block.refused(), "(unprintable)");
  block.add("!#$%&'*+-.^_`|~09azAZ", "every tchar");
  EXPECT_EQ(block.lines(), "!#$%&'*+-.^_`|~09azAZ: every tchar\r\n");
}

TEST(HeaderBlock, AcceptsInANameExactlyTheTokenCharacters) {
  const std::string tchars =
      "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (int c = 0; c < 256; ++c) {
    const std::string name = std::string("X") + static_cast<char>(c);
    HeaderBlock block;
    block.add(name, "v");
    const bool token = c != 0 && tchars.find(static_cast<char>(c)) != std::string::npos;
    EXPECT_EQ(block.refused().has_value(), !token) << "character " << c;
    EXPECT_EQ(block.lines(), token ? name + ": v\r\n" : "") << "character " << c;
  }
}

TEST(HeaderBlock, RefusesTheNamesTheClientSetsItselfInAnyCase) {
  for (std::string name : {"Host", "user-agent", "CONTENT-TYPE", "Content-Length",
                           "transfer-encoding", "Connection"}) {
    HeaderBlock block;
    block.add(name, "x");
    EXPECT_EQ(block.lines(), "") << name;
    EXPECT_EQ(block.refused(), name);
  }
}

TEST(HeaderBlock, KeepsTheFirstRefusalAndTheLinesAddedAroundIt) {
  HeaderBlock block;
  block.add("X-A", "1");
  block.add("Host", "evil.example");
  block.add("X-B", "2\n");
  block.add("X-C", "3");
  EXPECT_EQ(block.lines(), "X-A: 1\r\nX-C: 3\r\n");
  EXPECT_EQ(block.refused(), "Host");
}

TEST(HeaderBlock, AWrittenValueGoesInPlaceAndARefusedOneLeavesNoTrace) {
  HeaderBlock block;
  block.add("X-A", "1");
  block.add_written("X-Signed", [](std::string& out) { out.append("v1,").append("abc="); });
  EXPECT_EQ(block.lines(), "X-A: 1\r\nX-Signed: v1,abc=\r\n");
  block.add_written("X-Evil", [](std::string& out) { out.append("a\r\nX-Injected: 1"); });
  block.add_written("Host", [](std::string& out) { out.append("evil.example"); });
  EXPECT_EQ(block.lines(), "X-A: 1\r\nX-Signed: v1,abc=\r\n");
  EXPECT_EQ(block.refused(), "X-Evil");
}

}  // namespace
}  // namespace sivo::engine
