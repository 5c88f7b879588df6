#include "compiler/iam/who_can_eval.h"

#include <catch2/catch.hpp>

#include "compiler/iam/managed_policies.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

NamedPolicy Managed(const char* name) {
  const ManagedPolicy* p = FindManagedPolicyInfo(name);
  REQUIRE(p != nullptr);
  return {p->arn, &p->document};
}

Decision Eval(const std::vector<NamedPolicy>& policies, const char* action, const NamedPolicy* boundary = nullptr,
              std::optional<std::string> resource = std::nullopt) {
  return EvaluateAction(policies, boundary, {action, resource}).decision;
}

TEST_CASE("AdministratorAccess allows anything, on any resource") {
  NamedPolicy admin = Managed("AdministratorAccess");
  ActionEvaluation e = EvaluateAction({admin}, nullptr, {"cloudtrail:StopLogging", std::nullopt});
  CHECK(e.decision == Decision::kAllow);
  REQUIRE(e.because.size() == 1);
  CHECK(e.because[0].policy == "arn:aws:iam::aws:policy/AdministratorAccess");
  CHECK(e.because[0].statement == "0");
  CHECK(e.because[0].resources == std::vector<std::string>{"*"});
  CHECK(Eval({admin}, "iam:CreateUser", nullptr, "arn:aws:iam::123456789012:user/x") == Decision::kAllow);
}

TEST_CASE("ReadOnlyAccess does not allow cloudtrail:StopLogging") {
  NamedPolicy ro = Managed("ReadOnlyAccess");
  CHECK(Eval({ro}, "cloudtrail:StopLogging") == Decision::kDeny);
  CHECK(Eval({ro}, "cloudtrail:DescribeTrails") == Decision::kAllow);
  CHECK(EvaluateAction({ro}, nullptr, {"cloudtrail:StopLogging", std::nullopt}).because.empty());
}

TEST_CASE("an explicit Deny wins over any Allow; a narrower Deny only with that resource") {
  NamedPolicy admin = Managed("AdministratorAccess");
  json deny = json::parse(R"({"Version":"2012-10-17","Statement":[
    {"Sid":"NoStop","Effect":"Deny","Action":"cloudtrail:Stop*","Resource":"*"},
    {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::logs"}]})");
  NamedPolicy inl{"inline", &deny};
  ActionEvaluation e = EvaluateAction({admin, inl}, nullptr, {"cloudtrail:StopLogging", std::nullopt});
  CHECK(e.decision == Decision::kDeny);
  CHECK(e.explicitly_denied);
  CHECK(e.because.empty());
  CHECK(Eval({admin, inl}, "s3:DeleteBucket") == Decision::kAllow);
  CHECK(Eval({admin, inl}, "s3:DeleteBucket", nullptr, "arn:aws:s3:::logs") == Decision::kDeny);
  CHECK(Eval({admin, inl}, "s3:DeleteBucket", nullptr, "arn:aws:s3:::other") == Decision::kAllow);
}

TEST_CASE("NotAction allows every action it does not name") {
  json doc = json::parse(R"({"Statement":{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}})");
  NamedPolicy p{"inline", &doc};
  CHECK(Eval({p}, "cloudtrail:StopLogging") == Decision::kAllow);
  CHECK(Eval({p}, "IAM:CreateUser") == Decision::kDeny);
  CHECK(Eval({Managed("PowerUserAccess")}, "iam:CreateUser") == Decision::kDeny);
  CHECK(Eval({Managed("PowerUserAccess")}, "cloudtrail:StopLogging") == Decision::kAllow);
}

TEST_CASE("NotResource: every resource but the listed ones") {
  json doc = json::parse(
      R"({"Statement":[{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}]})");
  NamedPolicy p{"inline", &doc};
  CHECK(Eval({p}, "s3:GetObject") == Decision::kAllow);
  CHECK(Eval({p}, "s3:GetObject", nullptr, "arn:aws:s3:::public/a") == Decision::kAllow);
  CHECK(Eval({p}, "s3:GetObject", nullptr, "arn:aws:s3:::secret/a") == Decision::kDeny);
  ActionEvaluation e = EvaluateAction({p}, nullptr, {"s3:GetObject", std::nullopt});
  REQUIRE(e.because.size() == 1);
  CHECK(e.because[0].not_resource);
}

TEST_CASE("conditions make a grant conditional, unless another Allow has none") {
  json cond =
      json::parse(R"({"Statement":[{"Sid":"MfaOnly","Effect":"Allow","Action":"cloudtrail:StopLogging","Resource":"*",
    "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]})");
  NamedPolicy c{"inline", &cond};
  ActionEvaluation e = EvaluateAction({c}, nullptr, {"cloudtrail:StopLogging", std::nullopt});
  CHECK(e.decision == Decision::kConditional);
  REQUIRE(e.because.size() == 1);
  CHECK(e.because[0].statement == "MfaOnly");
  CHECK(e.because[0].conditional);
  CHECK(Eval({c, Managed("AdministratorAccess")}, "cloudtrail:StopLogging") == Decision::kAllow);

  json deny_cond = json::parse(R"({"Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
    "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]})");
  NamedPolicy d{"inline", &deny_cond};
  CHECK(Eval({Managed("AdministratorAccess"), d}, "cloudtrail:StopLogging") == Decision::kConditional);
  CHECK(Eval({Managed("ReadOnlyAccess"), d}, "cloudtrail:StopLogging") == Decision::kDeny);
}

TEST_CASE("the permissions boundary bounds the set") {
  NamedPolicy admin = Managed("AdministratorAccess");
  NamedPolicy ro = Managed("ReadOnlyAccess");
  CHECK(Eval({admin}, "cloudtrail:StopLogging", &ro) == Decision::kDeny);
  CHECK(Eval({admin}, "cloudtrail:DescribeTrails", &ro) == Decision::kAllow);
  CHECK(Eval({ro}, "cloudtrail:StopLogging", &admin) == Decision::kDeny);
  json cond = json::parse(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*",
    "Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]})");
  NamedPolicy b{"/Boundary", &cond};
  ActionEvaluation e = EvaluateAction({admin}, &b, {"cloudtrail:StopLogging", std::nullopt});
  CHECK(e.decision == Decision::kConditional);
  REQUIRE(e.because.size() == 1);  // the boundary grants nothing by itself
  CHECK(e.because[0].policy == admin.name);
}

TEST_CASE("actions match case-insensitively, resource ARNs case-sensitively") {
  json doc = json::parse(R"({"Statement":[{"Effect":"Allow","Action":"S3:get*","Resource":"arn:aws:s3:::Logs-?/*"}]})");
  NamedPolicy p{"inline", &doc};
  CHECK(Eval({p}, "s3:GetObject") == Decision::kAllow);
  CHECK(Eval({p}, "s3:GetObject", nullptr, "arn:aws:s3:::Logs-1/a/b") == Decision::kAllow);
  CHECK(Eval({p}, "s3:GetObject", nullptr, "arn:aws:s3:::logs-1/a/b") == Decision::kDeny);
  CHECK(Eval({p}, "s3:GetObject", nullptr, "arn:aws:s3:::Logs-12/a") == Decision::kDeny);
  CHECK(ArnMatch("arn:aws:s3:::*", "arn:aws:s3:::x"));
  CHECK(ArnMatch("*", ""));
  CHECK_FALSE(ArnMatch("arn:aws:S3:::*", "arn:aws:s3:::x"));
}

TEST_CASE("malformed statements match nothing") {
  json doc = json::parse(R"({"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"},
    {"Effect":"allow","Action":"*","Resource":"*"}, {"Effect":"Allow","Action":"*"}]})");
  NamedPolicy p{"inline", &doc};
  CHECK(Eval({p}, "s3:GetObject") == Decision::kDeny);
}

TEST_CASE("ResolveAction: canonical case, errors with did-you-mean") {
  std::string canonical, error, help;
  REQUIRE(ResolveAction("CloudTrail:stoplogging", &canonical, &error, &help));
  CHECK(canonical == "cloudtrail:StopLogging");
  CHECK_FALSE(ResolveAction("cloudtrail:StopLoging", &canonical, &error, &help));
  CHECK(help == "did you mean 'cloudtrail:StopLogging'?");
  help.clear();
  CHECK_FALSE(ResolveAction("cloudtrial:StopLogging", &canonical, &error, &help));
  CHECK(error.find("no service has the prefix 'cloudtrial'") != std::string::npos);
  CHECK(help == "did you mean 'cloudtrail:StopLogging'?");
  CHECK_FALSE(ResolveAction("cloudtrail:Stop*", &canonical, &error, &help));
  CHECK(error.find("wildcard") != std::string::npos);
  CHECK_FALSE(ResolveAction("StopLogging", &canonical, &error, &help));
}

}  // namespace
}  // namespace gatehouse::iam
