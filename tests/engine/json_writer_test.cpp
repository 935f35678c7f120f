#include "engine/json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <limits>

namespace sivo::engine {
namespace {

TEST(JsonWriter, WritesNestedContainersWithCommasInTheRightPlaces) {
  JsonWriter writer;
  writer.begin_object()
      .key("a")
      .number(1)
      .key("b")
      .begin_array()
      .number(1)
      .number(2)
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .end_array()
      .key("c")
      .begin_object()
      .key("d")
      .null()
      .key("e")
      .boolean(true)
      .key("f")
      .boolean(false)
      .end_object()
      .end_object();
  EXPECT_EQ(writer.str(), R"({"a":1,"b":[1,2,{},[]],"c":{"d":null,"e":true,"f":false}})");
}

TEST(JsonWriter, WritesEmptyContainers) {
  EXPECT_EQ(JsonWriter().begin_object().end_object().str(), "{}");
  EXPECT_EQ(JsonWriter().begin_array().end_array().str(), "[]");
}

TEST(JsonWriter, WritesIntegersAtTheirLimits) {
  JsonWriter writer;
  writer.begin_array()
      .number(std::numeric_limits<std::int64_t>::min())
      .number(std::numeric_limits<std::uint64_t>::max())
      .number(0)
      .number(std::uint16_t{443})
      .end_array();
  EXPECT_EQ(writer.str(), "[-9223372036854775808,18446744073709551615,0,443]");
}

TEST(JsonWriter, WritesDoublesAndNullForNonFinite) {
  JsonWriter writer;
  writer.begin_array()
      .number(0.94)
      .number(-1.5)
      .number(std::numeric_limits<double>::infinity())
      .number(std::numeric_limits<double>::quiet_NaN())
      .end_array();
  EXPECT_EQ(writer.str(), "[0.94,-1.5,null,null]");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_quote("say \"hi\""), R"("say \"hi\"")");
  EXPECT_EQ(json_quote("C:\\path"), R"("C:\\path")");
  EXPECT_EQ(json_quote("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
  EXPECT_EQ(json_quote(std::string_view("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(json_quote("</script>"), R"("</script>")");
  EXPECT_EQ(json_quote("\x7f"), "\"\x7f\"");
}

TEST(JsonWriter, PassesValidUtf8Through) {
  EXPECT_EQ(json_quote("não"), "\"não\"");
  EXPECT_EQ(json_quote("日本語"), "\"日本語\"");
  EXPECT_EQ(json_quote("\xF0\x9F\x93\x9E"), "\"\xF0\x9F\x93\x9E\"");  // 📞
}

TEST(JsonWriter, ReplacesInvalidUtf8SoTheOutputStaysJson) {
  EXPECT_EQ(json_quote("a\xff"
                       "b"),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(json_quote("\xC3"), "\"\xEF\xBF\xBD\"");                  // truncated sequence
  EXPECT_EQ(json_quote("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong '/'
  EXPECT_EQ(json_quote("\xED\xA0\x80"),                               // UTF-16 surrogate
            "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(JsonWriter, EveryEscapedStringParsesBackToItself) {
  std::string every_ascii;
  for (int c = 0; c < 0x80; ++c) every_ascii += static_cast<char>(c);
  every_ascii += "não 日本語 \xF0\x9F\x93\x9E";
  JsonWriter writer;
  writer.begin_object().key(every_ascii).string(every_ascii).end_object();
  const boost::json::value parsed = boost::json::parse(writer.str());
  EXPECT_EQ(parsed.as_object().at(every_ascii).as_string(), every_ascii);
}

TEST(JsonWriter, EscapesKeysToo) {
  JsonWriter writer;
  writer.begin_object().key("a\"b").number(1).end_object();
  EXPECT_EQ(writer.str(), R"({"a\"b":1})");
}

TEST(JsonWriter, SplicesRawJsonVerbatim) {
  JsonWriter writer;
  writer.begin_array().raw("{ \"x\" : [1, 2] }").raw("3").end_array();
  EXPECT_EQ(writer.str(), "[{ \"x\" : [1, 2] },3]");
}

TEST(JsonWriter, CanBeMovedOutOf) {
  JsonWriter writer;
  writer.begin_array().end_array();
  const std::string taken = std::move(writer).str();
  EXPECT_EQ(taken, "[]");
}

}  // namespace
}  // namespace sivo::engine
