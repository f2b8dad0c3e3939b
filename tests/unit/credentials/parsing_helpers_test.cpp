// Private parsers of the credential layer: ISO-8601 times, STS XML, shell-style splitting.
#include <gtest/gtest.h>

#include "credentials/shell_split.h"
#include "credentials/time_format.h"
#include "credentials/xml_document.h"

namespace bedrock::credentials::cred_detail {
namespace {

using std::chrono::seconds;

WallTime at(long long unix_seconds) { return WallTime{seconds{unix_seconds}}; }

// The forms AWS sources send all land on the same instant.
TEST(Iso8601, ParsesZuluFractionAndOffsets) {
  EXPECT_EQ(parse_iso8601("2024-01-15T12:00:00Z"), at(1705320000));
  EXPECT_EQ(parse_iso8601("2024-01-15T12:00:00.000Z"), at(1705320000));
  EXPECT_EQ(parse_iso8601("2024-01-15T13:00:00+01:00"), at(1705320000));
  EXPECT_EQ(parse_iso8601("2024-01-15T11:30:00-0030"), at(1705320000));
  EXPECT_EQ(parse_iso8601(" 2024-01-15T12:00:00Z\n"), at(1705320000));
  EXPECT_EQ(parse_iso8601("2024-02-29T00:00:00Z"), at(1709164800));
  auto fractional = parse_iso8601("2024-01-15T12:00:00.5Z");
  ASSERT_TRUE(fractional);
  EXPECT_EQ(*fractional - at(1705320000), std::chrono::milliseconds{500});
}

// Anything incomplete or impossible is rejected instead of guessed.
TEST(Iso8601, RejectsMalformedTimes) {
  for (const char* bad :
       {"", "2024-01-15", "2024-01-15T12:00:00", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-01-15T25:00:00Z", "soon", "2024-01-15T12:00:00Zjunk", "2024-01-15T12:00:00.Z"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

TEST(Iso8601, FormatsUtc) { EXPECT_EQ(format_iso8601(at(1705320000)), "2024-01-15T12:00:00Z"); }

// A real STS response shape: namespaces, declaration, nested elements, entities.
TEST(XmlDocument, ParsesStsShapedDocument) {
  auto doc = parse_xml(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->"
      "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
      "<AssumeRoleResult><Credentials><AccessKeyId>AK&amp;1</AccessKeyId>"
      "<SessionToken><![CDATA[a<b]]>&#x41;&#66;</SessionToken><Empty/></Credentials>"
      "</AssumeRoleResult></AssumeRoleResponse>");
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->name, "AssumeRoleResponse");
  const XmlElement* creds = doc->find({"AssumeRoleResult", "Credentials"});
  ASSERT_NE(creds, nullptr);
  EXPECT_EQ(creds->child("AccessKeyId")->text, "AK&1");
  EXPECT_EQ(creds->child("SessionToken")->text, "a<bAB");
  ASSERT_NE(creds->child("Empty"), nullptr);
  EXPECT_EQ(creds->child("Missing"), nullptr);
}

// Malformed documents are InvalidResponse errors, never partial trees.
TEST(XmlDocument, RejectsMalformedDocuments) {
  for (const char* bad : {"", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a>&bogus;</a>",
                          "<a></a><b></b>", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
                          "<a b=c></a>", "<a>&#0;</a>", "<a><![CDATA[x</a>"}) {
    auto doc = parse_xml(bad);
    ASSERT_FALSE(doc) << bad;
    EXPECT_EQ(doc.error().code, ErrorCode::InvalidResponse) << bad;
  }
}

TEST(XmlDocument, BoundsNestingDepth) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  auto doc = parse_xml(deep);
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("nested too deeply"), std::string::npos);
}

// shlex.split (POSIX) semantics, which botocore applies to credential_process.
TEST(ShellSplit, FollowsShlexRules) {
  using V = std::vector<std::string>;
  EXPECT_EQ(*shell_split("  /bin/tool  --flag  value "), (V{"/bin/tool", "--flag", "value"}));
  EXPECT_EQ(*shell_split("a 'b c' \"d e\""), (V{"a", "b c", "d e"}));
  EXPECT_EQ(*shell_split(R"(a\ b "q\"x\\y\n" 'it\s')"), (V{"a b", "q\"x\\y\\n", "it\\s"}));
  EXPECT_EQ(*shell_split("x\"\"y ''"), (V{"xy", ""}));
  EXPECT_EQ(*shell_split("$HOME `id` a|b"), (V{"$HOME", "`id`", "a|b"}));
  EXPECT_TRUE(shell_split("   ")->empty());
}

TEST(ShellSplit, RejectsUnterminatedQuotes) {
  for (const char* bad : {"a 'b", "a \"b", "a \\"}) {
    auto r = shell_split(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::ConfigurationInvalid);
  }
}

}  // namespace
}  // namespace bedrock::credentials::cred_detail
