#include "compiler/iam/policy_acceptance.h"

#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "compiler/iam/json_path_locate.h"
#include "compiler/iam/managed_policies.h"
#include "compiler/iam/policy_validator.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

json Allow(json action = "s3:GetObject", json resource = "*") {
  return json{{"Effect", "Allow"}, {"Action", std::move(action)}, {"Resource", std::move(resource)}};
}

json Doc(json statements) { return json{{"Version", "2012-10-17"}, {"Statement", std::move(statements)}}; }

/// The codes of the refusals of `doc` sent as its compact JSON.
std::vector<std::string> Refused(const json& doc) {
  std::vector<std::string> codes;
  for (const PolicyIssue& issue : InlinePolicyRefusals(doc, doc.dump())) {
    CHECK(issue.refused);
    CHECK(issue.severity == IssueSeverity::kError);
    codes.push_back(issue.code);
  }
  return codes;
}

/// The one refusal of `doc`; fails unless there is exactly one.
PolicyIssue OnlyRefusal(const json& doc) {
  std::vector<PolicyIssue> issues = InlinePolicyRefusals(doc, doc.dump());
  INFO(doc.dump());
  for (const PolicyIssue& i : issues) INFO(i.code + " " + i.message + " at " + JsonPathToString(i.path));
  REQUIRE(issues.size() == 1);
  return issues[0];
}

using Codes = std::vector<std::string>;

TEST_CASE("acceptance: a well-formed policy is accepted, with or without a Sid, in both versions") {
  CHECK(Refused(Doc(json::array({Allow()}))).empty());
  CHECK(Refused(Doc(Allow())).empty());  // a single statement object
  json doc = Doc(json::array({Allow(), Allow("s3:PutObject", json::array({"arn:aws:s3:::b/*"}))}));
  doc["Statement"][0]["Sid"] = "Read1";
  doc["Statement"][1]["Sid"] = "Write2";
  doc["Id"] = "MyPolicy";
  CHECK(Refused(doc).empty());
  doc["Version"] = "2008-10-17";
  CHECK(Refused(doc).empty());
  json deny = {{"Effect", "Deny"},
               {"NotAction", "iam:*"},
               {"NotResource", "arn:aws:iam::*:role/x"},
               {"Condition", {{"BoolIfExists", {{"aws:MultiFactorAuthPresent", "false"}}}}}};
  CHECK(Refused(Doc(json::array({deny}))).empty());
}

TEST_CASE("acceptance: what AWS accepts but lint warns about is not refused") {
  // Unknown actions and services never match, but IAM stores them.
  CHECK(Refused(Doc(json::array({Allow("s3:GetObjects")}))).empty());
  CHECK(Refused(Doc(json::array({Allow("nosuchservice:Get")}))).empty());
  CHECK(Refused(Doc(json::array({Allow("s3:Nothing*")}))).empty());
  CHECK(Refused(Doc(json::array())).empty());  // no statements: legal, useless
  json st = Allow();
  st["Condition"] = {{"ForAnyValue:StringEquals", {{"aws:RequestedRegion", "eu-west-1"}}}};
  CHECK(Refused(Doc(json::array({st}))).empty());
  CHECK_FALSE(ValidatePolicy(Doc(json::array({Allow("s3:GetObjects")}))).empty());
}

TEST_CASE("acceptance: Effect must be exactly Allow or Deny") {
  for (const json& effect : {json("allow"), json("DENY"), json("Permit"), json(true), json("")}) {
    json st = Allow();
    st["Effect"] = effect;
    PolicyIssue issue = OnlyRefusal(Doc(json::array({st})));
    CHECK(issue.code == "invalid-effect");
    CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, "Effect"});
  }
  json st = Allow();
  st.erase("Effect");
  CHECK(Refused(Doc(json::array({st}))) == Codes{"missing-effect"});
}

TEST_CASE("acceptance: a statement needs Action or NotAction, Resource or NotResource, not both") {
  json st = Allow();
  st.erase("Action");
  PolicyIssue issue = OnlyRefusal(Doc(json::array({Allow(), st})));
  CHECK(issue.code == "missing-action");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{1}});
  st = Allow();
  st.erase("Resource");
  CHECK(Refused(Doc(json::array({st}))) == Codes{"missing-resource"});
  st = Allow();
  st["NotAction"] = "iam:*";
  CHECK(Refused(Doc(json::array({st}))) == Codes{"action-and-notaction"});
  st = Allow();
  st["NotResource"] = "*";
  CHECK(Refused(Doc(json::array({st}))) == Codes{"resource-and-notresource"});
  CHECK(Refused(Doc(json::array({Allow(json::array())}))) == Codes{"empty-action"});
  CHECK(Refused(Doc(json::array({Allow("s3:GetObject", json::array())}))) == Codes{"empty-resource"});
}

TEST_CASE("acceptance: Statement is an object or a list of objects") {
  CHECK(Refused(Doc("s3:GetObject")) == Codes{"invalid-statement"});
  CHECK(Refused(Doc(json::array({Allow(), "s3:GetObject"}))) == Codes{"invalid-statement"});
  CHECK(Refused(Doc(json::array({json::array({Allow()})}))) == Codes{"invalid-statement"});
  CHECK(Refused(json{{"Version", "2012-10-17"}}) == Codes{"missing-statement"});
  CHECK(Refused(json::array({Allow()})) == Codes{"invalid-policy"});
  CHECK(Refused(json("policy")) == Codes{"invalid-policy"});
}

TEST_CASE("acceptance: no Principal or NotPrincipal in an identity policy") {
  for (const char* key : {"Principal", "NotPrincipal"}) {
    json st = Allow();
    st[key] = {{"AWS", "arn:aws:iam::111111111111:root"}};
    PolicyIssue issue = OnlyRefusal(Doc(json::array({st})));
    CHECK(issue.code == "principal-in-identity-policy");
    CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, key});
  }
}

TEST_CASE("acceptance: unknown top-level and statement keys are refused") {
  json doc = Doc(json::array({Allow()}));
  doc["Statements"] = json::array();
  PolicyIssue top = OnlyRefusal(doc);
  CHECK(top.code == "unknown-key");
  CHECK(top.path == JsonPath{"Statements"});
  CHECK(top.help == "did you mean `Statement`?");
  json st = Allow();
  st["Resources"] = "*";
  PolicyIssue inner = OnlyRefusal(Doc(json::array({st})));
  CHECK(inner.code == "unknown-key");
  CHECK(inner.path == JsonPath{"Statement", std::size_t{0}, "Resources"});
  st = Allow();
  st["effect"] = "Allow";  // keys are case-sensitive
  CHECK(Refused(Doc(json::array({st}))) == Codes{"unknown-key"});
}

TEST_CASE("acceptance: Version is required and is 2012-10-17 or 2008-10-17") {
  json doc = Doc(json::array({Allow()}));
  doc.erase("Version");
  PolicyIssue missing = OnlyRefusal(doc);
  CHECK(missing.code == "missing-version");
  CHECK(missing.path.empty());
  for (const json& version : {json("2012-10-18"), json("2012-10-17 "), json(2012), json("latest")}) {
    doc["Version"] = version;
    PolicyIssue issue = OnlyRefusal(doc);
    CHECK(issue.code == "invalid-version");
    CHECK(issue.path == JsonPath{"Version"});
  }
}

TEST_CASE("acceptance: Sids are letters and digits and unique") {
  json a = Allow(), b = Allow("s3:PutObject");
  a["Sid"] = "Same";
  b["Sid"] = "Same";
  PolicyIssue dup = OnlyRefusal(Doc(json::array({a, b})));
  CHECK(dup.code == "duplicate-sid");
  CHECK(dup.path == JsonPath{"Statement", std::size_t{1}, "Sid"});
  a["Sid"] = "read-only";
  CHECK(Refused(Doc(json::array({a}))) == Codes{"invalid-sid"});
  a["Sid"] = 7;
  CHECK(Refused(Doc(json::array({a}))) == Codes{"invalid-sid"});
}

TEST_CASE("acceptance: malformed actions, resources and conditions are refused") {
  CHECK(Refused(Doc(json::array({Allow("GetObject")}))) == Codes{"invalid-action"});
  CHECK(Refused(Doc(json::array({Allow(json::array({"s3:GetObject", 3}))}))) == Codes{"invalid-action"});
  CHECK(Refused(Doc(json::array({Allow("s3:GetObject", "bucket/*")}))) == Codes{"invalid-arn"});
  CHECK(Refused(Doc(json::array({Allow("s3:GetObject", json{{"arn", "x"}})}))) == Codes{"invalid-resource"});
  json st = Allow();
  st["Condition"] = "aws:SecureTransport";
  CHECK(Refused(Doc(json::array({st}))) == Codes{"invalid-condition"});
  st["Condition"] = {{"StringEqual", {{"aws:RequestedRegion", "eu-west-1"}}}};
  CHECK(Refused(Doc(json::array({st}))) == Codes{"unknown-condition-operator"});
  st["Condition"] = {{"NullIfExists", {{"aws:RequestedRegion", true}}}};
  CHECK(Refused(Doc(json::array({st}))) == Codes{"invalid-condition-operator"});
  st["Condition"] = {{"StringEquals", {{"aws:RequestedRegion", {{"a", "b"}}}}}};
  CHECK(Refused(Doc(json::array({st}))) == Codes{"invalid-condition-value"});
}

TEST_CASE("acceptance: every problem is reported, in document order") {
  json doc = json::parse(R"({"Version": "1", "Statement": [
      {"Effect": "allow", "Action": "s3:Nope"},
      {"Sid": "a-b", "Effect": "Allow", "Principal": "*", "Action": "nope:Get", "Resource": "*"}]})");
  CHECK(Refused(doc) ==
        Codes{"invalid-version", "invalid-effect", "missing-resource", "principal-in-identity-policy", "invalid-sid"});
}

std::string Padded(std::size_t chars, std::size_t spaces_in_strings = 0) {
  // A valid policy whose compact JSON is exactly `chars` characters long.
  json doc = Doc(json::array({Allow()}));
  doc["Id"] = std::string(spaces_in_strings, ' ');
  std::size_t base = doc.dump().size();
  REQUIRE(base <= chars);
  doc["Id"] = std::string(spaces_in_strings, ' ') + std::string(chars - base, 'x');
  return doc.dump();
}

TEST_CASE("acceptance: an inline policy is at most 32,768 characters and 10,240 non-whitespace") {
  std::string at_limit = Padded(kInlinePolicyMaxNonWhitespace);
  CHECK(InlinePolicyRefusals(json::parse(at_limit), at_limit).empty());
  std::string over = Padded(kInlinePolicyMaxNonWhitespace + 1);
  std::vector<PolicyIssue> issues = InlinePolicyRefusals(json::parse(over), over);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == "policy-too-large");
  CHECK(issues[0].path.empty());
  // Whitespace (here inside a string) counts toward 32,768 only.
  std::string spacious = Padded(kInlinePolicyMaxChars, kInlinePolicyMaxChars - kInlinePolicyMaxNonWhitespace);
  CHECK(InlinePolicyRefusals(json::parse(spacious), spacious).empty());
  std::string too_long = Padded(kInlinePolicyMaxChars + 1, kInlinePolicyMaxChars - kInlinePolicyMaxNonWhitespace);
  issues = InlinePolicyRefusals(json::parse(too_long), too_long);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == "policy-too-long");
  // The grammar alone does not look at the size.
  CHECK(PolicyRefusals(json::parse(too_long)).empty());
}

TEST_CASE("acceptance: characters are counted, not bytes; Latin-1 only") {
  json doc = Doc(json::array({Allow()}));
  doc["Id"] = "caf\u00e9";  // é is U+00E9: two bytes, one character, allowed
  CHECK(Refused(doc).empty());
  json st = Allow();
  st["Condition"] = {{"StringEquals", {{"aws:PrincipalTag/team", "\u2014ops"}}}};  // an em dash
  PolicyIssue issue = OnlyRefusal(Doc(json::array({Allow(), st})));
  CHECK(issue.code == "invalid-character");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{1}, "Condition", "StringEquals", "aws:PrincipalTag/team"});
}

TEST_CASE("acceptance: every AWS managed policy is accepted") {
  std::size_t count = 0;
  for (const ManagedPolicy& policy : AllManagedPolicies()) {
    ++count;
    for (const PolicyIssue& issue : PolicyRefusals(policy.document)) {
      FAIL_CHECK(policy.name << ": " << issue.code << " " << issue.message << " at " << JsonPathToString(issue.path));
    }
  }
  CHECK(count > 1500);
}

TEST_CASE("acceptance: a refusal is described with the set and the element") {
  PolicyIssue issue =
      OnlyRefusal(Doc(json::array({json{{"Effect", "allow"}, {"Action", "s3:GetObject"}, {"Resource", "*"}}})));
  CHECK(DescribeRefusal(issue, "Reader") ==
        "inline policy of permission set 'Reader' would be refused by AWS: effect must be `Allow` or `Deny`, not "
        "`allow` (at Statement[0].Effect)");
}

/// A stand-in for YamlNode: the template needs only its shape.
struct Node {
  std::map<std::string, Node> map;
  std::vector<Node> items;
  int span = 0;
  bool is_map = false;
  bool IsMap() const { return is_map; }
  bool IsSequence() const { return !is_map && !items.empty(); }
  const Node* Find(const std::string& key) const {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
  }
};

TEST_CASE("a JSON path is located at its node, or the deepest node it reaches") {
  Node effect{{}, {}, 4};
  Node statement{{{"Effect", effect}}, {}, 3, true};
  Node statements{{}, {statement}, 2};
  Node root{{{"Statement", statements}}, {}, 1, true};
  CHECK(LocateJsonPath(root, {}) == 1);
  CHECK(LocateJsonPath(root, {"Statement", std::size_t{0}, "Effect"}) == 4);
  CHECK(LocateJsonPath(root, {"Statement", std::size_t{0}, "Action"}) == 3);
  CHECK(LocateJsonPath(root, {"Statement", std::size_t{5}}) == 2);
}

}  // namespace
}  // namespace gatehouse::iam
