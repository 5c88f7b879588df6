#include "compiler/iam/action_catalog.h"

#include <algorithm>

#include <catch2/catch.hpp>

namespace gatehouse::iam {
namespace {

bool HasName(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST_CASE("built-in catalog holds the services and actions of the data") {
  const ActionCatalog& catalog = BuiltinCatalog();
  CHECK(catalog.size() > 15000);
  CHECK(catalog.services().size() > 400);
  REQUIRE(catalog.FindService("S3") != nullptr);
  CHECK(catalog.FindService("s3")->prefix == "s3");
  CHECK(catalog.FindService("nosuchservice") == nullptr);
}

TEST_CASE("action lookup is case-insensitive and keeps AWS's case") {
  const ActionCatalog& catalog = BuiltinCatalog();
  auto id = catalog.Find("S3:getobject");
  REQUIRE(id.has_value());
  const ActionInfo& info = catalog.action(*id);
  CHECK(info.FullName() == "s3:GetObject");
  CHECK(info.Has(kRead));
  CHECK_FALSE(info.wildcard_only());
  CHECK(std::find(info.resource_types.begin(), info.resource_types.end(), "object") != info.resource_types.end());
  CHECK_FALSE(catalog.Find("s3:GetObjects").has_value());
  CHECK_FALSE(catalog.Find("s3:Get*").has_value());
}

TEST_CASE("access levels come from the catalog") {
  const ActionCatalog& catalog = BuiltinCatalog();
  CHECK(catalog.action(*catalog.Find("iam:AttachUserPolicy")).Has(kPermissionsManagement));
  CHECK(catalog.action(*catalog.Find("iam:CreateUser")).Has(kWrite));
  CHECK(catalog.action(*catalog.Find("ec2:DescribeInstances")).Has(kList));
  CHECK(catalog.action(*catalog.Find("s3:PutObjectTagging")).Has(kTagging));
}

TEST_CASE("wildcard-only actions have no resource types") {
  const ActionCatalog& catalog = BuiltinCatalog();
  CHECK(catalog.action(*catalog.Find("s3:ListAllMyBuckets")).wildcard_only());
  CHECK(catalog.action(*catalog.Find("ec2:DescribeInstances")).wildcard_only());
  CHECK_FALSE(catalog.action(*catalog.Find("iam:PassRole")).wildcard_only());
}

TEST_CASE("patterns expand case-insensitively to canonical names") {
  const ActionCatalog& catalog = BuiltinCatalog();
  std::vector<std::string> get = catalog.ExpandNames("s3:get*");
  CHECK(get.size() > 20);
  CHECK(HasName(get, "s3:GetObject"));
  CHECK(HasName(get, "s3:GetBucketPolicy"));
  CHECK_FALSE(HasName(get, "s3:PutObject"));
  CHECK(std::all_of(get.begin(), get.end(), [](const std::string& n) { return n.rfind("s3:Get", 0) == 0; }));

  CHECK(catalog.ExpandNames("EC2:Describe?nstances") == std::vector<std::string>{"ec2:DescribeInstances"});
  CHECK(catalog.ExpandNames("ec2:describeinstances") == std::vector<std::string>{"ec2:DescribeInstances"});
  CHECK(catalog.Expand("*").size() == catalog.size());
  CHECK(catalog.Expand("s3:*").size() == catalog.FindService("s3")->end - catalog.FindService("s3")->first);
  CHECK(HasName(catalog.ExpandNames("*:GetObject"), "s3:GetObject"));
  CHECK(catalog.Expand("s3:Nothing*Here").empty());
  CHECK(catalog.Expand("nosuch:*").empty());
  CHECK(catalog.Expand("s3GetObject").empty());
}

TEST_CASE("wildcard match handles runs, single characters and backtracking") {
  CHECK(WildcardMatch("*", ""));
  CHECK(WildcardMatch("a*b*c", "aXXbYYc"));
  CHECK(WildcardMatch("a*bc", "abcbc"));
  CHECK_FALSE(WildcardMatch("a?c", "ac"));
  CHECK(WildcardMatch("A?C", "abc"));
  CHECK_FALSE(WildcardMatch("abc", "abcd"));
}

TEST_CASE("condition keys resolve with templates and types") {
  const ActionCatalog& catalog = BuiltinCatalog();
  const ConditionKeyInfo* tag = catalog.FindConditionKey("aws:RequestTag/team");
  REQUIRE(tag != nullptr);
  CHECK(tag->type == "String");
  const ConditionKeyInfo* keys = catalog.FindConditionKey("aws:TagKeys");
  REQUIRE(keys != nullptr);
  CHECK(keys->multivalued());
  CHECK(catalog.FindConditionKey("s3:prefix") != nullptr);
  CHECK(catalog.FindConditionKey("s3:NoSuchKey") == nullptr);
}

TEST_CASE("action sets support set algebra") {
  ActionSet a(130), b(130);
  a.Insert(1);
  a.Insert(64);
  a.Insert(129);
  b.Insert(64);
  CHECK(a.Count() == 3);
  ActionSet c = a;
  c.Subtract(b);
  CHECK(c.Ids() == std::vector<ActionId>{1, 129});
  c.IntersectWith(b);
  CHECK(c.Empty());
  CHECK(ActionSet::All(130).Count() == 130);
  CHECK(a.Complement().Count() == 127);
  CHECK(a.ContainsAll(b));
  CHECK_FALSE(b.ContainsAll(a));
}

}  // namespace
}  // namespace gatehouse::iam
