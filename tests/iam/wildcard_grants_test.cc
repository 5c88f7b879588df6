#include "compiler/iam/wildcard_grants.h"

#include <catch2/catch.hpp>

namespace gatehouse::iam {
namespace {

using nlohmann::json;

TEST_CASE("wildcard grants are found with their paths") {
  json doc = json::parse(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "*", "Resource": "*"},
      {"Effect": "Allow", "Action": ["s3:GetObject", "ec2:*", "s3:Get*"], "Resource": ["*"]},
      {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::*:role/app"},
      {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*",
       "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
      {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"},
      {"Effect": "Deny", "Action": "*", "Resource": "*"}]})");
  std::vector<WildcardGrant> found = FindWildcardGrants(doc);
  REQUIRE(found.size() == 4);
  CHECK(found[0].kind == WildcardKind::kAllActions);
  CHECK(found[0].path == JsonPath{"Statement", std::size_t{0}, "Action"});
  CHECK(found[1].kind == WildcardKind::kServiceWildcard);
  CHECK(found[1].pattern == "ec2:*");
  CHECK(found[1].path == JsonPath{"Statement", std::size_t{1}, "Action", std::size_t{1}});
  CHECK(found[2].kind == WildcardKind::kNotActionAllow);
  CHECK(found[2].conditional);
  CHECK(found[2].path == JsonPath{"Statement", std::size_t{3}, "NotAction"});
  CHECK(std::string(WildcardKindName(found[3].kind)) == "notresource-allow");
}

TEST_CASE("named actions and denies are not wildcard grants") {
  json doc = json::parse(R"({"Version": "2012-10-17", "Statement":
      {"Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"], "Resource": "*"}})");
  CHECK(FindWildcardGrants(doc).empty());
  CHECK(FindWildcardGrants(json::array()).empty());
}

}  // namespace
}  // namespace gatehouse::iam
