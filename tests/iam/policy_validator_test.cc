#include "compiler/iam/policy_validator.h"

#include <algorithm>

#include <catch2/catch.hpp>

namespace gatehouse::iam {
namespace {

using nlohmann::json;

/// A valid policy with `statement` as its only statement.
json WithStatement(json statement) {
  return json{{"Version", "2012-10-17"}, {"Statement", json::array({std::move(statement)})}};
}

json Allow(json action, json resource = "*") {
  return json{{"Effect", "Allow"}, {"Action", std::move(action)}, {"Resource", std::move(resource)}};
}

std::vector<std::string> Codes(const json& doc) {
  std::vector<std::string> codes;
  for (const PolicyIssue& issue : ValidatePolicy(doc)) codes.push_back(issue.code);
  return codes;
}

/// The only issue of `doc`; fails the test when there is not exactly one.
PolicyIssue Only(const json& doc) {
  std::vector<PolicyIssue> issues = ValidatePolicy(doc);
  INFO(doc.dump());
  for (const PolicyIssue& i : issues) INFO(i.code + " " + i.message + " at " + JsonPathToString(i.path));
  REQUIRE(issues.size() == 1);
  return issues[0];
}

TEST_CASE("a well-formed policy has no issues") {
  json doc = json::parse(R"({
    "Version": "2012-10-17", "Id": "Example",
    "Statement": [
      {"Sid": "Read1", "Effect": "Allow", "Action": ["s3:GetObject", "s3:List*", "EC2:describe?nstances"],
       "Resource": ["arn:aws:s3:::bucket/*", "*"],
       "Condition": {"StringEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"},
                     "ForAnyValue:StringLike": {"aws:TagKeys": ["team*"]},
                     "Bool": {"aws:MultiFactorAuthPresent": "true"},
                     "Null": {"aws:ResourceTag/team": false}}},
      {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:iam::*:role/x"}
    ]})");
  CHECK(ValidatePolicy(doc).empty());
  CHECK(ValidatePolicy(WithStatement(Allow("*"))).empty());
  CHECK(ValidatePolicy(json{{"Version", "2012-10-17"}, {"Statement", Allow("s3:*")}}).empty());
}

TEST_CASE("version must be 2012-10-17 or 2008-10-17") {
  json doc = WithStatement(Allow("s3:GetObject"));
  doc["Version"] = "2012-10-18";
  PolicyIssue issue = Only(doc);
  CHECK(issue.code == "invalid-version");
  CHECK(issue.severity == IssueSeverity::kError);
  CHECK(issue.path == JsonPath{"Version"});
  CHECK(issue.message == "invalid policy version `2012-10-18`");

  doc["Version"] = "2008-10-17";
  CHECK(Only(doc).code == "old-version");
  CHECK(Only(doc).severity == IssueSeverity::kWarning);
  CHECK_FALSE(Only(doc).refused);
  doc.erase("Version");
  CHECK(Only(doc).code == "missing-version");
  CHECK(Only(doc).severity == IssueSeverity::kError);
  CHECK(Only(doc).refused);
}

TEST_CASE("issues say whether AWS refuses the document") {
  json unknown = WithStatement(Allow("s3:GetObjects"));
  CHECK(Only(unknown).code == "unknown-action");
  CHECK(Only(unknown).severity == IssueSeverity::kError);
  CHECK_FALSE(Only(unknown).refused);
  json effect = WithStatement(Allow("s3:GetObject"));
  effect["Statement"][0]["Effect"] = "allow";
  CHECK(Only(effect).refused);
}

TEST_CASE("statement must be an object or an array of objects") {
  CHECK(Codes(json{{"Version", "2012-10-17"}}) == std::vector<std::string>{"missing-statement"});
  PolicyIssue issue = Only(json{{"Version", "2012-10-17"}, {"Statement", "Allow"}});
  CHECK(issue.code == "invalid-statement");
  CHECK(issue.path == JsonPath{"Statement"});
  issue = Only(json{{"Version", "2012-10-17"}, {"Statement", json::array({Allow("s3:GetObject"), 3})}});
  CHECK(issue.code == "invalid-statement");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{1}});
  CHECK(Only(json::array()).code == "invalid-policy");
}

TEST_CASE("effect must be exactly Allow or Deny") {
  json st = Allow("s3:GetObject");
  st["Effect"] = "allow";
  PolicyIssue issue = Only(WithStatement(st));
  CHECK(issue.code == "invalid-effect");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, "Effect"});
  CHECK(issue.help == "did you mean `Allow`?");
  st.erase("Effect");
  issue = Only(WithStatement(st));
  CHECK(issue.code == "missing-effect");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}});
  st["Effect"] = "Deny";
  CHECK(ValidatePolicy(WithStatement(st)).empty());
}

TEST_CASE("exactly one of Action and NotAction") {
  json st = Allow("s3:GetObject");
  st["NotAction"] = "s3:PutObject";
  PolicyIssue issue = Only(WithStatement(st));
  CHECK(issue.code == "action-and-notaction");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, "NotAction"});
  st.erase("Action");
  CHECK(ValidatePolicy(WithStatement(st)).empty());
  st.erase("NotAction");
  CHECK(Only(WithStatement(st)).code == "missing-action");
  CHECK(Only(WithStatement(Allow(json::array()))).code == "empty-action");
  CHECK(Only(WithStatement(Allow(json::array({"s3:GetObject", 7})))).path ==
        JsonPath{"Statement", std::size_t{0}, "Action", std::size_t{1}});
}

TEST_CASE("exactly one of Resource and NotResource") {
  json st = Allow("s3:GetObject");
  st["NotResource"] = "arn:aws:s3:::b/*";
  CHECK(Only(WithStatement(st)).code == "resource-and-notresource");
  st.erase("Resource");
  CHECK(ValidatePolicy(WithStatement(st)).empty());
  st.erase("NotResource");
  PolicyIssue issue = Only(WithStatement(st));
  CHECK(issue.code == "missing-resource");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}});
}

TEST_CASE("identity policies have no Principal") {
  json st = Allow("s3:GetObject");
  st["Principal"] = {{"AWS", "*"}};
  PolicyIssue issue = Only(WithStatement(st));
  CHECK(issue.code == "principal-in-identity-policy");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, "Principal"});
  st.erase("Principal");
  st["NotPrincipal"] = {{"AWS", "*"}};
  CHECK(Only(WithStatement(st)).code == "principal-in-identity-policy");
}

TEST_CASE("sid is alphanumeric and unique") {
  json a = Allow("s3:GetObject"), b = Allow("s3:PutObject");
  a["Sid"] = "ReadObjects1";
  b["Sid"] = "WriteObjects";
  json doc = {{"Version", "2012-10-17"}, {"Statement", {a, b}}};
  CHECK(ValidatePolicy(doc).empty());
  doc["Statement"][1]["Sid"] = "ReadObjects1";
  PolicyIssue issue = Only(doc);
  CHECK(issue.code == "duplicate-sid");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{1}, "Sid"});
  CHECK(issue.help == "first used at `Statement[0].Sid`");
  doc["Statement"][1]["Sid"] = "write-objects";
  issue = Only(doc);
  CHECK(issue.code == "invalid-sid");
  CHECK(issue.message == "sid `write-objects` may contain only letters and digits");
}

TEST_CASE("unknown keys are reported with a suggestion") {
  json doc = WithStatement(Allow("s3:GetObject"));
  doc["Statment"] = json::array();
  PolicyIssue issue = Only(doc);
  CHECK(issue.code == "unknown-key");
  CHECK(issue.path == JsonPath{"Statment"});
  CHECK(issue.help == "did you mean `Statement`?");
  doc.erase("Statment");
  doc["Statement"][0]["Resources"] = "*";
  issue = Only(doc);
  CHECK(issue.code == "unknown-key");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, "Resources"});
}

TEST_CASE("actions and services must exist in the catalog") {
  PolicyIssue issue = Only(WithStatement(Allow(json::array({"s3:GetObject", "s3:GetObjekt"}))));
  CHECK(issue.code == "unknown-action");
  CHECK(issue.message == "unknown action `s3:GetObjekt`");
  CHECK(issue.help == "did you mean `s3:GetObject`?");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, "Action", std::size_t{1}});

  issue = Only(WithStatement(Allow("s4:GetObject")));
  CHECK(issue.code == "unknown-service");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, "Action"});

  issue = Only(WithStatement(Allow("s3:Fly*")));
  CHECK(issue.code == "unknown-action");
  CHECK(issue.message == "action pattern `s3:Fly*` matches no action");
  CHECK(Only(WithStatement(Allow("s3GetObject"))).code == "invalid-action");
  CHECK(ValidatePolicy(WithStatement(Allow("s3:getobject"))).empty());
  CHECK(ValidatePolicy(WithStatement(Allow("*:Describe*"))).empty());
}

TEST_CASE("resources are * or well-formed ARNs") {
  CHECK(ValidatePolicy(WithStatement(Allow("s3:GetObject", "arn:aws:s3:::bucket/key"))).empty());
  CHECK(ValidatePolicy(WithStatement(Allow("s3:GetObject", "arn:*:s3:*:*:*"))).empty());
  PolicyIssue issue = Only(WithStatement(Allow("s3:GetObject", json::array({"*", "arn:aws:s3:bucket"}))));
  CHECK(issue.code == "invalid-arn");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, "Resource", std::size_t{1}});
  CHECK(Only(WithStatement(Allow("s3:GetObject", "bucket"))).code == "invalid-arn");
  CHECK(Only(WithStatement(Allow("s3:GetObject", "arn::s3:::bucket"))).code == "invalid-arn");
}

TEST_CASE("condition operators are checked") {
  json st = Allow("s3:GetObject");
  st["Condition"] = {{"StringEqualz", {{"aws:username", "x"}}}};
  PolicyIssue issue = Only(WithStatement(st));
  CHECK(issue.code == "unknown-condition-operator");
  CHECK(issue.path == JsonPath{"Statement", std::size_t{0}, "Condition", "StringEqualz"});
  CHECK(issue.help == "did you mean `StringEquals`?");

  st["Condition"] = {{"NullIfExists", {{"aws:username", "true"}}}};
  CHECK(Only(WithStatement(st)).code == "invalid-condition-operator");
  st["Condition"] = {{"ArnLikeIfExists", {{"aws:PrincipalArn", "arn:aws:iam::*:role/x"}}}};
  CHECK(ValidatePolicy(WithStatement(st)).empty());
  st["Condition"] = {{"ForAllValues:StringEquals", {{"aws:TagKeys", {"a", "b"}}}}};
  CHECK(ValidatePolicy(WithStatement(st)).empty());
  st["Condition"] = "yes";
  CHECK(Only(WithStatement(st)).code == "invalid-condition");
  st["Condition"] = {{"StringEquals", {{"aws:username", json::object()}}}};
  CHECK(Only(WithStatement(st)).code == "invalid-condition-value");
  st["Condition"] = {{"Bool", {{"aws:SecureTransport", "yes"}}}};
  CHECK(Only(WithStatement(st)).code == "invalid-condition-value");
}

TEST_CASE("condition keys are checked against their types") {
  json st = Allow("s3:GetObject");
  st["Condition"] = {{"ForAllValues:StringEquals", {{"aws:username", "x"}}}};
  PolicyIssue issue = Only(WithStatement(st));
  CHECK(issue.code == "set-operator-on-single-valued-key");
  CHECK(issue.severity == IssueSeverity::kWarning);
  st["Condition"] = {{"NumericLessThan", {{"aws:username", "3"}}}};
  CHECK(Only(WithStatement(st)).code == "mismatched-condition-type");
  st["Condition"] = {{"StringEquals", {{"s3:NoSuchKey", "3"}}}};
  CHECK(Only(WithStatement(st)).code == "unknown-condition-key");
  st["Condition"] = {{"StringEquals", {{"s3:prefix", "home/"}}}};
  CHECK(ValidatePolicy(WithStatement(st)).empty());
}

TEST_CASE("every issue is reported, in document order") {
  json doc = json::parse(R"({"Version": "1", "Statement": [
      {"Effect": "Permit", "Action": "s3:Nope"},
      {"Sid": "a-b", "Effect": "Allow", "Action": "nope:Get", "Resource": "bucket"}]})");
  CHECK(Codes(doc) == std::vector<std::string>{"invalid-version", "invalid-effect", "unknown-action",
                                               "missing-resource", "invalid-sid", "unknown-service", "invalid-arn"});
}

TEST_CASE("json paths print like JavaScript accessors") {
  CHECK(JsonPathToString({"Statement", std::size_t{2}, "Action", std::size_t{1}}) == "Statement[2].Action[1]");
  CHECK(JsonPathToString({}).empty());
}

}  // namespace
}  // namespace gatehouse::iam

namespace gatehouse::iam {
namespace {

TEST_CASE("policy JSON text parses or reports where it breaks") {
  nlohmann::json doc;
  JsonTextError error;
  REQUIRE(ParsePolicyJson(R"({"Version": "2012-10-17"})", &doc, &error));
  CHECK(doc["Version"] == "2012-10-17");
  CHECK_FALSE(ParsePolicyJson("{\n  \"Version\": 2012-10-17\n}", &doc, &error));
  CHECK(error.line == 2);
  CHECK(error.message.rfind("invalid JSON: ", 0) == 0);
  CHECK_FALSE(ParsePolicyJson("", &doc, &error));
  CHECK(error.line == 1);
}

// Found by the iam_policy fuzzer's smoke run under make test-asan: nlohmann
// throws out_of_range (not parse_error) for a number too large for a double,
// and the exception ended the process.
TEST_CASE("a number too large for a double is a JSON error at its place, not a crash") {
  nlohmann::json doc;
  JsonTextError error;
  CHECK_FALSE(ParsePolicyJson("{\"Version\": \"2012-10-17\",\n \"X\": 1e999999}", &doc, &error));
  CHECK(error.line == 2);
  CHECK(error.column == 7);
  CHECK(error.message == "invalid JSON: number overflow parsing '1e999999'");
  const std::string fuzz_input =
      "3333333333333333333333333333333333333333e3333330/*\",\"arn:aws:s3:::gatehouse-bucket-00021/*\"}";
  CHECK_FALSE(ParsePolicyJson(fuzz_input, &doc, &error));
  CHECK(error.message.rfind("invalid JSON: ", 0) == 0);
}

}  // namespace
}  // namespace gatehouse::iam
