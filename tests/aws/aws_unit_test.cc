// Unit tests of the AWS target's pieces that need no server: the shared
// config files and credential chain, STS and credential_process parsing,
// endpoint rules, error mapping and retry classification, and the JSON
// client's retry loop over a scripted transport.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <thread>

#include "runtime/aws/aws_target.h"
#include "runtime/aws/cloudtrail.h"
#include "runtime/aws/json_client.h"
#include "runtime/net/credentials.h"
#include "runtime/net/http_client.h"
#include "runtime/net/rate_limiter.h"

using namespace gatehouse::aws;
using namespace gatehouse::net;
using gatehouse::EventLookupResult;
using gatehouse::EventQuery;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/gh-aws-unit-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string Write(const std::string& name, const std::string& text, bool exec = false) {
    std::string p = path + "/" + name;
    std::ofstream(p) << text;
    if (exec) chmod(p.c_str(), 0700);
    return p;
  }
};

Environment FakeEnv(std::map<std::string, std::string> vars, std::string home = "/nonexistent") {
  Environment e;
  e.getenv = [vars](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  e.home = home;
  e.now = [] { return std::chrono::system_clock::from_time_t(1'800'000'000); };
  e.sleep = [](std::chrono::milliseconds) {};
  e.random = [] { return 0.5; };
  return e;
}

/// Answers from a script and records what was sent.
class ScriptedTransport : public HttpTransport {
 public:
  struct Answer {
    long status;
    std::string body;
    bool drop = false;
  };
  std::deque<Answer> answers;
  std::vector<HttpRequest> sent;
  std::vector<std::chrono::steady_clock::time_point> sent_at;
  bool Send(const HttpRequest& req, HttpResponse* resp, std::string* err) override {
    sent.push_back(req);
    sent_at.push_back(std::chrono::steady_clock::now());
    REQUIRE(!answers.empty());
    Answer a = answers.front();
    answers.pop_front();
    if (a.drop) {
      *err = "Connection reset by peer";
      return false;
    }
    resp->status = a.status;
    resp->body = a.body;
    return true;
  }
};

class StaticProvider : public CredentialProvider {
 public:
  bool Get(Credentials* out, std::string*) override {
    out->access_key_id = "AKIDEXAMPLE";
    out->secret_access_key = "SECRETEXAMPLE";
    return true;
  }
};

const char* kStsOk =
    "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
    "<AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>rolesecret</SecretAccessKey>"
    "<SessionToken>roletoken</SessionToken><Expiration>2027-01-15T10:00:00Z</Expiration>"
    "</Credentials></AssumeRoleResult></AssumeRoleResponse>";

}  // namespace

TEST_CASE("ini files: sections, profile prefixes, comments and nested blocks") {
  auto ini = ParseIni(
      "# comment\n[default]\naws_access_key_id = AK\n; other\n[profile   dev]\nregion=eu-west-1\n"
      "s3 =\n  max_concurrent_requests = 10\nrole_arn = arn:aws:iam::1:role/x\n");
  CHECK(ini["default"]["aws_access_key_id"] == "AK");
  CHECK(ini["profile dev"]["region"] == "eu-west-1");
  CHECK(ini["profile dev"]["role_arn"] == "arn:aws:iam::1:role/x");
  CHECK(ini["profile dev"].count("max_concurrent_requests") == 0);
}

TEST_CASE("credential chain: environment variables come first") {
  auto env =
      FakeEnv({{"AWS_ACCESS_KEY_ID", "AKENV"}, {"AWS_SECRET_ACCESS_KEY", "SKENV"}, {"AWS_SESSION_TOKEN", "TOKENV"}});
  Credentials c;
  std::string err;
  REQUIRE(ResolveCredentials("", env, nullptr, {}, &c, &err));
  CHECK(c.access_key_id == "AKENV");
  CHECK(c.session_token == "TOKENV");
  CHECK(c.source == "environment");
}

TEST_CASE("credential chain: half-set environment is an error without values") {
  auto env = FakeEnv({{"AWS_SECRET_ACCESS_KEY", "SKENV"}});
  Credentials c;
  std::string err;
  REQUIRE_FALSE(ResolveCredentials("", env, nullptr, {}, &c, &err));
  CHECK(err == "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
}

TEST_CASE("credential chain: profiles from the shared files") {
  TempDir d;
  std::string creds = d.Write("credentials",
                              "[default]\naws_access_key_id = AKDEF\naws_secret_access_key = SKDEF\n"
                              "[ci]\naws_access_key_id = AKCI\naws_secret_access_key = SKCI\n"
                              "aws_session_token = TKCI\n");
  std::string config = d.Write("config", "[profile ci]\nregion = eu-west-1\n[profile empty]\nregion = x\n");
  std::map<std::string, std::string> vars = {{"AWS_SHARED_CREDENTIALS_FILE", creds}, {"AWS_CONFIG_FILE", config}};
  Credentials c;
  std::string err;
  REQUIRE(ResolveCredentials("", FakeEnv(vars), nullptr, {}, &c, &err));
  CHECK(c.access_key_id == "AKDEF");
  vars["AWS_PROFILE"] = "ci";
  REQUIRE(ResolveCredentials("", FakeEnv(vars), nullptr, {}, &c, &err));
  CHECK(c.access_key_id == "AKCI");
  CHECK(c.session_token == "TKCI");
  // --profile beats AWS_PROFILE and even environment keys.
  vars["AWS_ACCESS_KEY_ID"] = "AKENV";
  vars["AWS_SECRET_ACCESS_KEY"] = "SKENV";
  REQUIRE(ResolveCredentials("default", FakeEnv(vars), nullptr, {}, &c, &err));
  CHECK(c.access_key_id == "AKDEF");
  REQUIRE_FALSE(ResolveCredentials("nope", FakeEnv(vars), nullptr, {}, &c, &err));
  CHECK(err == "AWS profile `nope` not found in " + creds + " or " + config);
  REQUIRE_FALSE(ResolveCredentials("empty", FakeEnv(vars), nullptr, {}, &c, &err));
  CHECK(err.find("profile `empty`") != std::string::npos);
  CHECK(err.find("SKDEF") == std::string::npos);
}

TEST_CASE("credential chain: role_arn + source_profile calls STS AssumeRole, signed by the source") {
  TempDir d;
  std::string creds = d.Write("credentials", "[base]\naws_access_key_id = AKBASE\naws_secret_access_key = SKBASE\n");
  std::string config =
      d.Write("config",
              "[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = base\n"
              "role_session_name = me\nexternal_id = ext-1\n"
              "[profile loop1]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loop2\n"
              "[profile loop2]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = loop1\n");
  auto env = FakeEnv({{"AWS_SHARED_CREDENTIALS_FILE", creds}, {"AWS_CONFIG_FILE", config}});
  ScriptedTransport http;
  http.answers.push_back({200, kStsOk});
  StsOptions sts{"http://127.0.0.1:9/", "eu-west-1"};
  Credentials c;
  std::string err;
  REQUIRE(ResolveCredentials("admin", env, &http, sts, &c, &err));
  CHECK(c.access_key_id == "ASIAROLE");
  CHECK(c.session_token == "roletoken");
  REQUIRE(c.expiration);
  REQUIRE(http.sent.size() == 1);
  const HttpRequest& r = http.sent[0];
  CHECK(r.url == "http://127.0.0.1:9/");
  CHECK(r.body ==
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fadmin"
        "&RoleSessionName=me&ExternalId=ext-1");
  REQUIRE(r.sign);
  CHECK(r.sign->service == "sts");
  CHECK(r.sign->region == "eu-west-1");
  CHECK(r.sign->credentials.access_key_id == "AKBASE");
  REQUIRE_FALSE(ResolveCredentials("loop1", env, &http, sts, &c, &err));
  CHECK(err.find("cycle") != std::string::npos);
}

TEST_CASE("credential chain: web identity from the environment is unsigned") {
  TempDir d;
  std::string token = d.Write("token", "header.payload.sig\n");
  auto env = FakeEnv({{"AWS_ROLE_ARN", "arn:aws:iam::1:role/ci"},
                      {"AWS_WEB_IDENTITY_TOKEN_FILE", token},
                      {"AWS_ROLE_SESSION_NAME", "run-7"}});
  ScriptedTransport http;
  http.answers.push_back({200, kStsOk});
  Credentials c;
  std::string err;
  REQUIRE(ResolveCredentials("", env, &http, StsOptions{"http://localhost:9/", "us-east-1"}, &c, &err));
  CHECK(c.access_key_id == "ASIAROLE");
  REQUIRE(http.sent.size() == 1);
  CHECK_FALSE(http.sent[0].sign);
  CHECK(http.sent[0].body.find("WebIdentityToken=header.payload.sig") != std::string::npos);
  CHECK(http.sent[0].body.find("RoleSessionName=run-7") != std::string::npos);
  // STS refusals name the source, not the token.
  http.answers.push_back(
      {403, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>bad</Message></Error></ErrorResponse>"});
  REQUIRE_FALSE(ResolveCredentials("", env, &http, StsOptions{"http://localhost:9/", "us-east-1"}, &c, &err));
  CHECK(err.find("InvalidIdentityToken: bad") != std::string::npos);
  CHECK(err.find("header.payload.sig") == std::string::npos);
}

TEST_CASE("credential chain: credential_process output") {
  TempDir d;
  std::string script =
      d.Write("proc.sh",
              "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKPROC\", \"SecretAccessKey\": \"SKPROC\", "
              "\"SessionToken\": \"TKPROC\", \"Expiration\": \"2027-01-15T10:00:00+01:00\"}'\n",
              true);
  std::string failing = d.Write("fail.sh", "#!/bin/sh\nexit 3\n", true);
  std::string config = d.Write("config", "[profile p]\ncredential_process = " + script +
                                             "\n[profile f]\ncredential_process = " + failing + "\n");
  auto env = FakeEnv({{"AWS_CONFIG_FILE", config}, {"AWS_SHARED_CREDENTIALS_FILE", d.path + "/none"}});
  Credentials c;
  std::string err;
  REQUIRE(ResolveCredentials("p", env, nullptr, {}, &c, &err));
  CHECK(c.access_key_id == "AKPROC");
  CHECK(c.session_token == "TKPROC");
  REQUIRE(c.expiration);
  std::chrono::system_clock::time_point utc;
  REQUIRE(ParseIso8601("2027-01-15T09:00:00Z", &utc));
  CHECK(*c.expiration == utc);
  REQUIRE_FALSE(ResolveCredentials("f", env, nullptr, {}, &c, &err));
  CHECK(err == "the credential_process of AWS profile `f` failed (exit status 3)");
  CHECK_FALSE(ParseCredentialProcessOutput("{\"Version\": 2}", &c, &err));
  CHECK_FALSE(ParseCredentialProcessOutput("not json", &c, &err));
}

TEST_CASE("credentials are refreshed within 5 minutes of expiry") {
  TempDir d;
  std::string counter = d.path + "/n";
  std::string script = d.Write("proc.sh",
                               "#!/bin/sh\necho x >> " + counter +
                                   "\necho '{\"Version\": 1, \"AccessKeyId\": \"AK\", \"SecretAccessKey\": \"SK\", "
                                   "\"Expiration\": \"2027-01-15T10:00:00Z\"}'\n",
                               true);
  std::string config = d.Write("config", "[profile p]\ncredential_process = " + script + "\n");
  auto env = FakeEnv({{"AWS_CONFIG_FILE", config}, {"AWS_SHARED_CREDENTIALS_FILE", d.path + "/none"}});
  std::chrono::system_clock::time_point expiry;
  REQUIRE(ParseIso8601("2027-01-15T10:00:00Z", &expiry));
  auto now = std::make_shared<std::chrono::system_clock::time_point>(expiry - std::chrono::hours(1));
  env.now = [now] { return *now; };
  std::string err;
  auto p = MakeDefaultCredentialProvider("p", env, nullptr, {}, &err);
  REQUIRE(p);
  Credentials c;
  auto runs = [&] {
    std::ifstream in(counter);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) ++n;
    return n;
  };
  REQUIRE(p->Get(&c, &err));
  CHECK(runs() == 1);
  *now = expiry - std::chrono::minutes(6);
  REQUIRE(p->Get(&c, &err));
  CHECK(runs() == 1);
  *now = expiry - std::chrono::minutes(4);
  REQUIRE(p->Get(&c, &err));
  CHECK(runs() == 2);
}

TEST_CASE("endpoints: https anywhere, http only on loopback") {
  std::string err;
  CHECK(ValidateEndpointUrl("https://sso.us-east-1.amazonaws.com/", &err));
  CHECK(ValidateEndpointUrl("http://127.0.0.1:4566", &err));
  CHECK(ValidateEndpointUrl("http://localhost:8080/", &err));
  CHECK(ValidateEndpointUrl("http://[::1]:8080/", &err));
  CHECK_FALSE(ValidateEndpointUrl("http://10.0.0.5:8080/", &err));
  CHECK(err.find("only for loopback") != std::string::npos);
  CHECK_FALSE(ValidateEndpointUrl("http://localhost.evil.com/", &err));
  CHECK_FALSE(ValidateEndpointUrl("http://127.0.0.1@evil.com/", &err));
  CHECK_FALSE(ValidateEndpointUrl("ftp://x/", &err));
  CurlHttpClient http;
  HttpRequest req;
  req.url = "http://example.com/";
  HttpResponse resp;
  CHECK_FALSE(http.Send(req, &resp, &err));
}

TEST_CASE("errors: __type prefixes stripped, retry classes") {
  auto e = ParseAwsError(
      400, R"({"__type":"com.amazonaws.swbup#ThrottlingException","Message":"slow","RetryAfterSeconds":3})", {});
  CHECK(e.type == "ThrottlingException");
  CHECK(e.message == "slow");
  CHECK(e.retry_after_seconds == 3);
  CHECK(ClassifyForRetry(e) == RetryClass::kThrottle);
  auto t = [](const std::string& type, long status = 400) {
    AwsError x;
    x.type = type;
    x.http_status = status;
    return ClassifyForRetry(x);
  };
  CHECK(t("TooManyRequestsException") == RetryClass::kThrottle);
  CHECK(t("ConflictException") == RetryClass::kTransient);
  CHECK(t("InternalServerException", 500) == RetryClass::kTransient);
  CHECK(t("ServiceException") == RetryClass::kTransient);
  CHECK(t("", 503) == RetryClass::kTransient);
  CHECK(t("ConnectionError", 0) == RetryClass::kTransient);
  CHECK(t("ValidationException") == RetryClass::kNone);
  CHECK(t("AccessDeniedException", 403) == RetryClass::kNone);
  CHECK(t("ResourceNotFoundException") == RetryClass::kNone);
  CHECK(t("ServiceQuotaExceededException") == RetryClass::kNone);
}

TEST_CASE("json client: request shape, retries with backoff, no retry on validation") {
  ScriptedTransport http;
  StaticProvider creds;
  std::vector<long> sleeps;
  Environment env = FakeEnv({});
  // Backoff sleeps only; the rate limiter's own waits are a millisecond or two.
  env.sleep = [&sleeps](std::chrono::milliseconds d) {
    if (d.count() > 5) sleeps.push_back(d.count());
  };
  JsonClientOptions o;
  o.region = "eu-central-1";
  o.requests_per_second = 1000;
  JsonClient client(o, &http, &creds, env);
  http.answers = {{400, R"({"__type":"ThrottlingException","message":"x","RetryAfterSeconds":2})"},
                  {0, "", true},
                  {500, R"({"__type":"InternalServerException"})"},
                  {200, R"({"PermissionSets":["a"],"NextToken":"t"})"},
                  {200, R"({"PermissionSets":["b"]})"}};
  std::vector<nlohmann::json> items;
  AwsError err;
  REQUIRE(
      client.CallAll(Service::kSsoAdmin, "ListPermissionSets", {{"InstanceArn", "i"}}, "PermissionSets", &items, &err));
  CHECK(items == std::vector<nlohmann::json>{"a", "b"});
  REQUIRE(http.sent.size() == 5);
  const HttpRequest& r = http.sent[0];
  CHECK(r.url == "https://sso.eu-central-1.amazonaws.com/");
  CHECK(r.sign->service == "sso");
  CHECK(r.sign->region == "eu-central-1");
  bool target = false, type = false;
  for (const auto& [k, v] : r.headers) {
    target |= k == "X-Amz-Target" && v == "SWBExternalService.ListPermissionSets";
    type |= k == "Content-Type" && v == "application/x-amz-json-1.1";
  }
  CHECK(target);
  CHECK(type);
  CHECK(nlohmann::json::parse(http.sent[4].body)["NextToken"] == "t");
  REQUIRE(sleeps.size() == 3);
  CHECK(sleeps[0] == 2000);  // RetryAfterSeconds wins over the jittered 50 ms
  CHECK(sleeps[1] == 100);   // 0.5 * 200
  CHECK(sleeps[2] == 200);   // 0.5 * 400

  http.sent.clear();
  http.answers = {{400, R"({"__type":"ValidationException","message":"bad"})"}};
  nlohmann::json out;
  REQUIRE_FALSE(client.Call(Service::kIdentityStore, "ListUsers", {}, &out, &err));
  CHECK(err.ToString() == "identitystore ListUsers: ValidationException: bad");
  CHECK(http.sent.size() == 1);

  http.sent.clear();
  http.answers = {{400, R"({"__type":"ConflictException","message":"exists"})"}};
  REQUIRE_FALSE(client.Call(Service::kIdentityStore, "CreateUser", {}, &out, &err, CallOptions{false}));
  CHECK(err.Is("ConflictException"));

  http.sent.clear();
  http.answers = {{200, "{}"}};
  REQUIRE(client.Call(Service::kOrganizations, "ListRoots", {}, &out, &err));
  CHECK(http.sent[0].url == "https://organizations.us-east-1.amazonaws.com/");
  CHECK(http.sent[0].sign->region == "us-east-1");
  CHECK(http.sent[0].sign->service == "organizations");
}

TEST_CASE("json client: gives up after max attempts") {
  ScriptedTransport http;
  StaticProvider creds;
  JsonClientOptions o;
  o.region = "us-east-1";
  o.requests_per_second = 1000;
  o.max_attempts = 3;
  o.endpoint_url = "http://127.0.0.1:1/";
  JsonClient client(o, &http, &creds, FakeEnv({}));
  for (int i = 0; i < 3; ++i) http.answers.push_back({503, ""});
  nlohmann::json out;
  AwsError err;
  REQUIRE_FALSE(client.Call(Service::kIdentityStore, "ListUsers", {}, &out, &err));
  CHECK(http.sent.size() == 3);
  CHECK(http.sent[0].url == "http://127.0.0.1:1/");
  CHECK(err.http_status == 503);
}

TEST_CASE("cloudtrail lookup: one query per event name, paged, within 90 days, throttling retried") {
  ScriptedTransport http;
  StaticProvider creds;
  Environment env = FakeEnv({});  // now = 1'800'000'000
  std::vector<long> sleeps;
  env.sleep = [&](std::chrono::milliseconds d) {
    sleeps.push_back(d.count());
    std::this_thread::sleep_for(d);  // the rate limiter runs on the real clock
  };
  JsonClientOptions o;
  o.region = "eu-west-1";
  o.requests_per_second = 20;  // the family's quota, 2/s, wins
  JsonClient client(o, &http, &creds, env);
  auto ev = [](const std::string& id) {
    return nlohmann::json{{"EventId", id}, {"CloudTrailEvent", nlohmann::json{{"eventID", id}}.dump()}};
  };
  http.answers = {{200, nlohmann::json{{"Events", {ev("a1"), ev("a2")}}, {"NextToken", "n1"}}.dump()},
                  {400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})"},
                  {200, nlohmann::json{{"Events", {ev("a3")}}}.dump()},
                  {200, nlohmann::json{{"Events", nlohmann::json::array()}}.dump()}};
  EventQuery q{{"CreateGroupMembership", "DeleteGroupMembership"}, 1'700'000'000, 1'800'000'000};
  std::vector<std::string> seen;
  auto t0 = std::chrono::steady_clock::now();
  EventLookupResult r =
      LookupEvents(client, q, [&](const std::string& rec) { seen.push_back(nlohmann::json::parse(rec)["eventID"]); });
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(r.ok);
  CHECK(seen == std::vector<std::string>{"a1", "a2", "a3"});
  CHECK(r.records == 3);
  CHECK(r.requests == 4);
  REQUIRE(http.sent.size() == 4);
  CHECK(http.sent[0].url == "https://cloudtrail.eu-west-1.amazonaws.com/");
  CHECK(http.sent[0].sign->service == "cloudtrail");
  bool target = false;
  for (const auto& [k, v] : http.sent[0].headers)
    target |= k == "X-Amz-Target" && v == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
  CHECK(target);
  auto body = nlohmann::json::parse(http.sent[0].body);
  CHECK(body["LookupAttributes"] ==
        nlohmann::json::parse(R"([{"AttributeKey":"EventName","AttributeValue":"CreateGroupMembership"}])"));
  CHECK(body["MaxResults"] == 50);
  CHECK(body["StartTime"] == 1'800'000'000 - 90 * 86400 + 60);  // moved inside the 90 days
  CHECK(body["EndTime"] == 1'800'000'000);
  CHECK_FALSE(body.contains("NextToken"));
  auto second = nlohmann::json::parse(http.sent[1].body);
  CHECK(second["NextToken"] == "n1");
  CHECK(nlohmann::json::parse(http.sent[2].body) == second);  // the throttled call, retried as it was
  CHECK(nlohmann::json::parse(http.sent[3].body)["LookupAttributes"][0]["AttributeValue"] == "DeleteGroupMembership");
  // Evenly spaced below 2/s, no burst: every gap at least half a second.
  CHECK(took >= 1.5);
  for (size_t i = 1; i < http.sent_at.size(); ++i)
    CHECK(std::chrono::duration<double>(http.sent_at[i] - http.sent_at[i - 1]).count() >= 0.5);
}

TEST_CASE("cloudtrail lookup: AccessDenied stops and says denied") {
  ScriptedTransport http;
  StaticProvider creds;
  JsonClientOptions o;
  o.region = "us-east-1";
  JsonClient client(o, &http, &creds, FakeEnv({}));
  http.answers = {{400, R"({"__type":"AccessDeniedException","message":"not authorized"})"}};
  EventQuery q{{"CreateUser", "DeleteUser"}, 1'799'000'000, 1'800'000'000};
  size_t visited = 0;
  EventLookupResult r = LookupEvents(client, q, [&](const std::string&) { ++visited; });
  CHECK_FALSE(r.ok);
  CHECK(r.denied);
  CHECK(r.error == "cloudtrail LookupEvents: AccessDeniedException: not authorized");
  CHECK(http.sent.size() == 1);
  CHECK(visited == 0);
}

namespace {
/// Answers every request with the same 200 body (the response fuzzer's finding:
/// a well-formed but wrongly shaped answer).
class SameAnswer : public HttpTransport {
 public:
  explicit SameAnswer(std::string body) : body_(std::move(body)) {}
  bool Send(const HttpRequest&, HttpResponse* resp, std::string*) override {
    resp->status = 200;
    resp->body = body_;
    return true;
  }

 private:
  std::string body_;
};

std::unique_ptr<AwsTarget> TargetAnswering(const std::string& body) {
  gatehouse::TargetSpec spec;
  spec.type = "aws";
  spec.region = "us-east-1";
  spec.instance_arn = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6";
  spec.identity_store_id = "d-90677b1a2b";
  spec.endpoint_url = "http://127.0.0.1:1";
  JsonClientOptions o;
  o.region = spec.region;
  o.endpoint_url = spec.endpoint_url;
  o.requests_per_second = 1e6;
  AwsTargetOptions t;
  t.poll_initial = std::chrono::milliseconds(0);
  return std::make_unique<AwsTarget>(spec, FakeEnv({}), std::make_unique<SameAnswer>(body),
                                     std::make_unique<StaticProvider>(), o, t);
}
}  // namespace

// fuzz_aws_response found these (an empty input: every answer `{}`): reading a
// member of a missing or mistyped object threw out of the target and aborted.
TEST_CASE("aws target: answers of an unexpected shape are errors, not crashes") {
  for (const char* body : {"{}", R"({"PermissionSet": 7, "Users": [{"UserName": 5}], "Groups": {}})",
                           R"({"AccountAssignmentsCreationStatus": [{"RequestId": 9}]})"}) {
    INFO(body);
    auto target = TargetAnswering(body);
    gatehouse::PermissionSet ps;
    ps.name = "Admin";
    gatehouse::Operation op;
    op.kind = gatehouse::ObjectKind::kPermissionSet;
    op.action = gatehouse::Action::kCreate;
    op.after = ps;
    gatehouse::OpResult r = target->Apply(op);
    CHECK_FALSE(r.ok);
    CHECK_FALSE(r.error.empty());
    std::string err;
    gatehouse::DirectoryState state;
    target->Lock(&err);
    target->Read({}, &state, &err);  // refused or read: no exception escapes
    target->Administrator();
  }
}

TEST_CASE("rate limiter: time slept counts even when the sleep returns at once (no spinning on the clock)") {
  // The fuzzers and tests sleep no time; the limiter used to spin on the real
  // clock until each wait had passed (half a second per CloudTrail request).
  double slept = 0;
  RateLimiter limiter(
      2, [&](std::chrono::milliseconds d) { slept += static_cast<double>(d.count()) / 1000; }, 1);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 11; ++i) limiter.Acquire();
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(took < 1.0);
  // Ten waits of half a second: the rate is still kept, in the time slept.
  CHECK(slept >= 4.99);
  CHECK(slept <= 5.2);
}
