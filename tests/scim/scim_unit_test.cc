// Unit tests of the SCIM target: request building, paging (index and cursor),
// error mapping, retries, idempotent creates/deletes, memberships read through
// filters, and the composite's routing. A fake transport plays the provider.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <deque>
#include <functional>

#include "runtime/local_target.h"
#include "runtime/scim/composite_target.h"
#include "runtime/scim/scim_json.h"
#include "runtime/scim/scim_target.h"

using namespace gatehouse;
using namespace gatehouse::scim;
using json = nlohmann::json;

namespace {

const char* kToken = "s3cr3t-token-value";

/// Answers requests with a handler and records them.
class FakeTransport : public aws::HttpTransport {
 public:
  using Handler = std::function<aws::HttpResponse(const aws::HttpRequest&)>;
  explicit FakeTransport(Handler h, std::vector<aws::HttpRequest>* log) : handler_(std::move(h)), log_(log) {}
  bool Send(const aws::HttpRequest& req, aws::HttpResponse* resp, std::string* err) override {
    log_->push_back(req);
    if (req.url.find("unreachable") != std::string::npos) {
      *err = "connection refused (unreachable)";
      return false;
    }
    *resp = handler_(req);
    return true;
  }

 private:
  Handler handler_;
  std::vector<aws::HttpRequest>* log_;
};

aws::HttpResponse Reply(long status, const json& body, std::map<std::string, std::string> headers = {}) {
  aws::HttpResponse r;
  r.status = status;
  r.body = body.is_null() ? "" : body.dump();
  r.headers = std::move(headers);
  return r;
}

json ScimError(int status, const std::string& detail, const std::string& scim_type = "") {
  json j = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:Error"}},
            {"status", std::to_string(status)},
            {"detail", detail}};
  if (!scim_type.empty()) j["scimType"] = scim_type;
  return j;
}

struct Harness {
  std::vector<aws::HttpRequest> requests;
  std::vector<std::chrono::milliseconds> sleeps;
  std::unique_ptr<ScimTarget> target;

  explicit Harness(FakeTransport::Handler h, std::string url = "https://scim.example.com/t1/scim/v2/") {
    aws::Environment env;
    env.getenv = [](const std::string&) { return std::nullopt; };
    env.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    env.random = [] { return 0.5; };
    env.now = [] { return std::chrono::system_clock::time_point{}; };
    ScimOptions o;
    o.base_url = std::move(url);
    o.token = kToken;
    o.token_env = "SCIM_TOKEN";
    o.max_attempts = 4;
    target = std::make_unique<ScimTarget>(o, std::make_unique<FakeTransport>(std::move(h), &requests), env);
  }
  json Body(size_t i) const { return json::parse(requests.at(i).body); }
  std::string Path(size_t i) const {
    const std::string& u = requests.at(i).url;
    return u.substr(std::string("https://scim.example.com/t1/scim/v2").size());
  }
};

std::string Header(const aws::HttpRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "";
}

json UserRes(const std::string& id, const std::string& name) {
  return {{"id", id},
          {"userName", name},
          {"displayName", name + " D"},
          {"name", {{"givenName", "G"}, {"familyName", "F"}}},
          {"emails", {{{"value", "other@x"}}, {{"value", name + "@x"}, {"primary", true}}}}};
}

json ListBody(std::vector<json> resources, std::optional<int> total, std::optional<int> start,
              std::optional<std::string> next_cursor = std::nullopt) {
  json j = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:ListResponse"}},
            {"Resources", resources},
            {"itemsPerPage", resources.size()}};
  if (total) j["totalResults"] = *total;
  if (start) j["startIndex"] = *start;
  if (next_cursor) j["nextCursor"] = *next_cursor;
  return j;
}

Operation Op(ObjectKind kind, Action action, Object obj, std::string name) {
  Operation op;
  op.kind = kind;
  op.action = action;
  op.name = std::move(name);
  if (action == Action::kDelete)
    op.before = obj;
  else
    op.after = obj;
  return op;
}

User Alice() { return {"alice", "Alice Liddell", "Alice", "Liddell", "alice@example.com", ""}; }

}  // namespace

TEST_CASE("user JSON carries the attributes Identity Center requires and one primary email") {
  json j = UserToScim(Alice());
  CHECK(j["schemas"] == json::array({kUserSchema}));
  CHECK(j["userName"] == "alice");
  CHECK(j["displayName"] == "Alice Liddell");
  CHECK(j["name"]["givenName"] == "Alice");
  CHECK(j["name"]["familyName"] == "Liddell");
  REQUIRE(j["emails"].size() == 1);
  CHECK(j["emails"][0]["primary"] == true);
  CHECK(j["emails"][0]["value"] == "alice@example.com");
  User back = UserFromScim(UserRes("u1", "bob"));
  CHECK(back.id == "u1");
  CHECK(back.email == "bob@x");  // the primary one, not the first
  User no_email = Alice();
  no_email.email.clear();
  CHECK_FALSE(UserToScim(no_email).contains("emails"));
}

TEST_CASE("filters quote and escape their value") {
  CHECK(EqFilter("userName", "alice") == "userName eq \"alice\"");
  CHECK(EqFilter("displayName", "a\"b\\c") == "displayName eq \"a\\\"b\\\\c\"");
}

TEST_CASE("requests carry the bearer token, SCIM content type and the base URL without a double slash") {
  Harness h([](const aws::HttpRequest&) { return Reply(201, UserRes("u1", "alice")); });
  REQUIRE(h.target->Apply(Op(ObjectKind::kUser, Action::kCreate, Alice(), "alice")).ok);
  REQUIRE(h.requests.size() == 1);
  CHECK(h.requests[0].method == "POST");
  CHECK(h.requests[0].url == "https://scim.example.com/t1/scim/v2/Users");
  CHECK(Header(h.requests[0], "Authorization") == std::string("Bearer ") + kToken);
  CHECK(Header(h.requests[0], "Content-Type") == "application/scim+json");
  CHECK(h.Body(0)["userName"] == "alice");
}

TEST_CASE("index paging follows startIndex and totalResults") {
  std::vector<json> all;
  for (int i = 0; i < 5; ++i) all.push_back(UserRes("u" + std::to_string(i), "user" + std::to_string(i)));
  Harness h([&](const aws::HttpRequest& r) {
    if (r.url.find("/Groups") != std::string::npos) return Reply(200, ListBody({}, 0, 1));
    int start = 1;
    if (auto p = r.url.find("startIndex="); p != std::string::npos) start = std::stoi(r.url.substr(p + 11));
    std::vector<json> page(all.begin() + std::min(5, start - 1), all.begin() + std::min(5, start + 1));
    return Reply(200, ListBody(page, 5, start));
  });
  DirectoryState s;
  std::string err;
  REQUIRE(h.target->Read({}, &s, &err));
  CHECK(s.users.size() == 5);
  CHECK(h.Path(0) == "/Users?count=100&cursor=");
  CHECK(h.Path(1) == "/Users?count=100&startIndex=3");
  CHECK(h.Path(2) == "/Users?count=100&startIndex=5");
  CHECK(h.Path(3).rfind("/Groups?", 0) == 0);
}

TEST_CASE("cursor paging follows nextCursor, through short pages, without totalResults") {
  Harness h([&](const aws::HttpRequest& r) {
    if (r.url.find("/Groups") != std::string::npos) return Reply(200, ListBody({}, std::nullopt, std::nullopt));
    if (r.url.find("cursor=c2") != std::string::npos)
      return Reply(200, ListBody({UserRes("u3", "c")}, std::nullopt, std::nullopt));
    if (r.url.find("cursor=c1") != std::string::npos) return Reply(200, ListBody({}, std::nullopt, std::nullopt, "c2"));
    return Reply(200, ListBody({UserRes("u1", "a"), UserRes("u2", "b")}, std::nullopt, std::nullopt, "c1"));
  });
  DirectoryState s;
  std::string err;
  REQUIRE(h.target->Read({}, &s, &err));
  CHECK(s.users.size() == 3);
  CHECK(h.Path(1) == "/Users?count=100&cursor=c1");
  CHECK(h.Path(2) == "/Users?count=100&cursor=c2");
}

TEST_CASE("a provider rejecting the cursor parameter is paged by index") {
  Harness h([&](const aws::HttpRequest& r) {
    if (r.url.find("cursor=") != std::string::npos) return Reply(400, ScimError(400, "unknown parameter"));
    return Reply(200, ListBody({}, 0, 1));
  });
  DirectoryState s;
  std::string err;
  REQUIRE(h.target->Read({}, &s, &err));
  CHECK(h.Path(1) == "/Users?count=100&startIndex=1");
}

TEST_CASE("a provider ignoring startIndex is an error, not an endless loop") {
  Harness h([&](const aws::HttpRequest&) {
    return Reply(200, ListBody({UserRes("u1", "a"), UserRes("u2", "b")}, 5, 1));
  });
  DirectoryState s;
  std::string err;
  REQUIRE_FALSE(h.target->Read({}, &s, &err));
  CHECK(err.find("startIndex 1 when asked for 3") != std::string::npos);
  CHECK(h.requests.size() == 2);
}

TEST_CASE("a repeated nextCursor is an error, not an endless loop") {
  Harness h([&](const aws::HttpRequest&) { return Reply(200, ListBody({}, std::nullopt, std::nullopt, "same")); });
  DirectoryState s;
  std::string err;
  REQUIRE_FALSE(h.target->Read({}, &s, &err));
  CHECK(err.find("same nextCursor twice") != std::string::npos);
}

TEST_CASE("memberships come from group members, or from groups.value filters when groups list none") {
  SECTION("members listed") {
    Harness h([&](const aws::HttpRequest& r) {
      if (r.url.find("/Groups") != std::string::npos)
        return Reply(200, ListBody({{{"id", "g1"},
                                     {"displayName", "Admins"},
                                     {"members", {{{"value", "u1"}}, {{"value", "nested-group"}}}}},
                                    {{"id", "g2"}, {"displayName", "Empty"}, {"members", json::array()}}},
                                   2, 1));
      return Reply(200, ListBody({UserRes("u1", "alice"), UserRes("u2", "bob")}, 2, 1));
    });
    DirectoryState s;
    std::string err;
    REQUIRE(h.target->Read({}, &s, &err));
    CHECK(s.memberships == std::set<Membership>{{"Admins", "alice"}});
    CHECK(h.requests.size() == 2);  // no filter calls: the provider lists members
  }
  SECTION("Identity Center: empty members") {
    Harness h([&](const aws::HttpRequest& r) {
      if (r.url.find("/Groups") != std::string::npos)
        return Reply(200, ListBody({{{"id", "g1"}, {"displayName", "Admins"}, {"members", json::array()}}},
                                   std::nullopt, std::nullopt));
      if (r.url.find("filter=") != std::string::npos)
        return Reply(200, ListBody({UserRes("u2", "bob")}, std::nullopt, std::nullopt));
      return Reply(200, ListBody({UserRes("u1", "alice"), UserRes("u2", "bob")}, std::nullopt, std::nullopt));
    });
    DirectoryState s;
    std::string err;
    REQUIRE(h.target->Read({}, &s, &err));
    CHECK(s.memberships == std::set<Membership>{{"Admins", "bob"}});
    REQUIRE(h.requests.size() == 3);
    CHECK(h.Path(2) == "/Users?count=100&filter=groups.value%20eq%20%22g1%22&cursor=");
  }
}

TEST_CASE("errors map to clear messages that never contain the token") {
  struct Case {
    long status;
    std::string expect;
  };
  for (const auto& c : std::vector<Case>{{400, "rejected POST /Users (400 Bad Request): invalidValue: bad email"},
                                         {401, "did not accept the bearer token from `SCIM_TOKEN` (401 Unauthorized)"},
                                         {404, "no such resource"},
                                         {429, "kept throttling POST /Users (429 Too Many Requests)"},
                                         {500, "failed on POST /Users (500 Internal Server Error)"}}) {
    Harness h([&](const aws::HttpRequest&) {
      return Reply(c.status,
                   ScimError(static_cast<int>(c.status), "bad email.", c.status == 400 ? "invalidValue" : ""));
    });
    OpResult r = h.target->Apply(Op(ObjectKind::kUser, Action::kCreate, Alice(), "alice"));
    INFO(r.error);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find(c.expect) != std::string::npos);
    CHECK(r.error.find(kToken) == std::string::npos);
    bool retried = c.status == 429 || c.status == 500;
    CHECK(h.requests.size() == (retried ? 4u : 1u));
  }
}

TEST_CASE("429 honours Retry-After; 5xx backs off with jitter, then succeeds") {
  int calls = 0;
  Harness h([&](const aws::HttpRequest&) {
    ++calls;
    if (calls == 1) return Reply(429, ScimError(429, "slow down"), {{"retry-after", "3"}});
    if (calls == 2) return Reply(503, json());
    return Reply(201, UserRes("u1", "alice"));
  });
  REQUIRE(h.target->Apply(Op(ObjectKind::kUser, Action::kCreate, Alice(), "alice")).ok);
  REQUIRE(h.sleeps.size() == 2);
  CHECK(h.sleeps[0] == std::chrono::milliseconds(3000));
  CHECK(h.sleeps[1] == std::chrono::milliseconds(201));  // 0.5 × 400 ms + 1
}

TEST_CASE("transport failures are retried, then reported with the host") {
  Harness h([](const aws::HttpRequest&) { return Reply(200, json()); }, "https://unreachable.example.com/scim/v2");
  OpResult r = h.target->Apply(Op(ObjectKind::kUser, Action::kDelete, Alice(), "alice"));
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("cannot reach the SCIM service") != std::string::npos);
  CHECK(h.requests.size() == 4);
}

TEST_CASE("create answering 409 looks the user up, adopts it and PUTs the desired attributes") {
  Harness h([&](const aws::HttpRequest& r) {
    if (r.method == "POST") return Reply(409, ScimError(409, "exists", "uniqueness"));
    if (r.method == "GET") return Reply(200, ListBody({UserRes("u9", "Alice")}, 1, 1));
    return Reply(200, UserRes("u9", "alice"));
  });
  REQUIRE(h.target->Apply(Op(ObjectKind::kUser, Action::kCreate, Alice(), "alice")).ok);
  REQUIRE(h.requests.size() == 3);
  CHECK(h.Path(1) == "/Users?count=100&filter=userName%20eq%20%22alice%22&cursor=");
  CHECK(h.requests[2].method == "PUT");
  CHECK(h.Path(2) == "/Users/u9");
  CHECK(h.Body(2)["id"] == "u9");
  CHECK(h.Body(2)["displayName"] == "Alice Liddell");
}

TEST_CASE("group create answering 409 adopts the existing group") {
  Harness h([&](const aws::HttpRequest& r) {
    if (r.method == "POST") return Reply(409, ScimError(409, "exists"));
    return Reply(200, ListBody({{{"id", "g7"}, {"displayName", "Admins"}}}, 1, 1));
  });
  REQUIRE(h.target->Apply(Op(ObjectKind::kGroup, Action::kCreate, Group{"Admins", "", ""}, "Admins")).ok);
  CHECK(h.Path(1) == "/Groups?count=100&filter=displayName%20eq%20%22Admins%22&cursor=");
}

TEST_CASE("deleting what is gone succeeds: 404, or not found by the filter") {
  SECTION("404 on DELETE") {
    Harness h([&](const aws::HttpRequest& r) {
      if (r.method == "GET") return Reply(200, ListBody({UserRes("u1", "alice")}, 1, 1));
      return Reply(404, ScimError(404, "gone"));
    });
    CHECK(h.target->Apply(Op(ObjectKind::kUser, Action::kDelete, Alice(), "alice")).ok);
    CHECK(h.requests.back().method == "DELETE");
    CHECK(h.Path(1) == "/Users/u1");
  }
  SECTION("not found") {
    Harness h([&](const aws::HttpRequest&) { return Reply(200, ListBody({}, 0, 1)); });
    CHECK(h.target->Apply(Op(ObjectKind::kGroup, Action::kDelete, Group{"Gone", "", ""}, "Gone")).ok);
    CHECK(h.requests.size() == 1);
  }
}

TEST_CASE("memberships are PATCHes on the group with ids from the read") {
  Harness h([&](const aws::HttpRequest& r) {
    if (r.method == "PATCH") return Reply(204, json());
    if (r.url.find("/Groups") != std::string::npos)
      return Reply(200, ListBody({{{"id", "g1"}, {"displayName", "Admins"}}}, 1, 1));
    if (r.url.find("filter=") != std::string::npos) return Reply(200, ListBody({}, 0, 1));
    return Reply(200, ListBody({UserRes("u1", "alice")}, 1, 1));
  });
  DirectoryState s;
  std::string err;
  REQUIRE(h.target->Read({}, &s, &err));
  size_t before = h.requests.size();
  REQUIRE(
      h.target->Apply(Op(ObjectKind::kMembership, Action::kCreate, Membership{"Admins", "alice"}, "Admins/alice")).ok);
  REQUIRE(
      h.target->Apply(Op(ObjectKind::kMembership, Action::kDelete, Membership{"Admins", "alice"}, "Admins/alice")).ok);
  REQUIRE(h.requests.size() == before + 2);
  CHECK(h.requests[before].method == "PATCH");
  CHECK(h.Path(before) == "/Groups/g1");
  json add = h.Body(before);
  CHECK(add["schemas"] == json::array({kPatchOpSchema}));
  CHECK(add["Operations"][0]["op"] == "add");
  CHECK(add["Operations"][0]["path"] == "members");
  CHECK(add["Operations"][0]["value"] == json::array({{{"value", "u1"}}}));
  CHECK(h.Body(before + 1)["Operations"][0]["op"] == "remove");
}

TEST_CASE("membership changes are split into PATCHes of at most 100 members") {
  Harness h([&](const aws::HttpRequest&) { return Reply(204, json()); });
  std::vector<std::string> ids;
  for (int i = 0; i < 250; ++i) ids.push_back(std::to_string(i).insert(0, 1, 'u'));
  REQUIRE(h.target->PatchMembers("g1", "add", ids).ok);
  REQUIRE(h.requests.size() == 3);
  CHECK(h.Body(0)["Operations"][0]["value"].size() == 100);
  CHECK(h.Body(2)["Operations"][0]["value"].size() == 50);
}

TEST_CASE("the SCIM target refuses permission sets and assignments") {
  Harness h([&](const aws::HttpRequest&) { return Reply(200, json()); });
  PermissionSet ps;
  ps.name = "Admin";
  OpResult r = h.target->Apply(Op(ObjectKind::kPermissionSet, Action::kCreate, ps, "Admin"));
  CHECK_FALSE(r.ok);
  CHECK(h.requests.empty());
}

TEST_CASE("MakeScimTarget names a missing token variable and requires https except loopback") {
  aws::Environment env;
  env.getenv = [](const std::string& n) -> std::optional<std::string> {
    if (n == "SCIM_TOKEN") return std::string(kToken);
    return std::nullopt;
  };
  TargetSpec spec;
  spec.scim_url = "https://scim.example.com/scim/v2";
  spec.scim_token_env = "MISSING_TOKEN";
  std::string err;
  CHECK_FALSE(MakeScimTarget(spec, env, &err));
  CHECK(err.find("`MISSING_TOKEN` is not set") != std::string::npos);
  spec.scim_token_env = "SCIM_TOKEN";
  spec.scim_url = "http://scim.example.com/scim/v2";
  err.clear();
  CHECK_FALSE(MakeScimTarget(spec, env, &err));
  CHECK(err.find("https://") != std::string::npos);
  CHECK(err.find(kToken) == std::string::npos);
  spec.scim_url = "http://127.0.0.1:8080/scim/v2";
  auto t = MakeScimTarget(spec, env, &err);
  REQUIRE(t);
  CHECK(t->Describe() == "SCIM service 127.0.0.1:8080");
}

namespace {

/// Records operations; reads a fixed state.
class RecordingTarget : public Target {
 public:
  RecordingTarget(std::string name, DirectoryState state, std::vector<std::string>* log)
      : name_(std::move(name)), state_(std::move(state)), log_(log) {}
  bool Read(const std::map<std::string, Account>&, DirectoryState* out, std::string*) override {
    *out = state_;
    return true;
  }
  bool Lock(std::string*) override {
    log_->push_back(name_ + " lock");
    return true;
  }
  void Unlock() override { log_->push_back(name_ + " unlock"); }
  OpResult Apply(const Operation& op) override {
    log_->push_back(name_ + " " + ObjectKindName(op.kind) + " " + ActionName(op.action) + " " + op.name);
    return {};
  }
  bool Commit(std::string*) override {
    log_->push_back(name_ + " commit");
    return true;
  }
  std::string Describe() const override { return name_; }

 private:
  std::string name_;
  DirectoryState state_;
  std::vector<std::string>* log_;
};

}  // namespace

TEST_CASE("the composite routes by kind, merges reads, and mirrors principals to a local main target") {
  DirectoryState main_state, scim_state;
  main_state.groups["Admins"] = {"Admins", "the admins", "local-g"};
  main_state.users["stale"] = {"stale", "", "", "", "", "x"};
  PermissionSet ps;
  ps.name = "Admin";
  main_state.permission_sets["Admin"] = ps;
  scim_state.users["alice"] = Alice();
  scim_state.groups["Admins"] = {"Admins", "", "g1"};
  scim_state.memberships.insert({"Admins", "alice"});
  for (bool mirror : {true, false}) {
    std::vector<std::string> log;
    CompositeTarget c(std::make_unique<RecordingTarget>("main", main_state, &log),
                      std::make_unique<RecordingTarget>("scim", scim_state, &log), mirror);
    DirectoryState s;
    std::string err;
    REQUIRE(c.Read({}, &s, &err));
    CHECK(s.users.size() == 1);
    CHECK(s.users.count("alice"));
    CHECK(s.groups.at("Admins").description == "the admins");
    CHECK(s.memberships.size() == 1);
    CHECK(s.permission_sets.count("Admin"));
    REQUIRE(c.Lock(&err));
    Assignment a;
    a.principal_type = PrincipalType::kUser;
    a.principal = "alice";
    a.permission_set = "Admin";
    a.account_id = "111111111111";
    CHECK(c.Apply(Op(ObjectKind::kUser, Action::kUpdate, Alice(), "alice")).ok);
    CHECK(c.Apply(Op(ObjectKind::kMembership, Action::kCreate, Membership{"Admins", "alice"}, "Admins/alice")).ok);
    CHECK(c.Apply(Op(ObjectKind::kPermissionSet, Action::kCreate, ps, "Admin")).ok);
    CHECK(c.Apply(Op(ObjectKind::kAssignment, Action::kCreate, a, "alice->Admin@111111111111")).ok);
    REQUIRE(c.Commit(&err));
    c.Unlock();
    std::vector<std::string> expected = {"main lock", "scim lock", "scim user update alice"};
    if (mirror) expected.push_back("main user create alice");  // an upsert
    expected.insert(expected.end(), {"scim membership create Admins/alice", "main permission_set create Admin",
                                     "main assignment create alice->Admin@111111111111", "scim commit", "main commit",
                                     "scim unlock", "main unlock"});
    CHECK(log == expected);
  }
}

TEST_CASE("the composite copies an assignment's principal to a local main target from the SCIM read") {
  DirectoryState scim_state;
  scim_state.groups["Admins"] = {"Admins", "", "g1"};
  std::vector<std::string> log;
  CompositeTarget c(std::make_unique<RecordingTarget>("main", DirectoryState{}, &log),
                    std::make_unique<RecordingTarget>("scim", scim_state, &log), true);
  DirectoryState s;
  std::string err;
  REQUIRE(c.Read({}, &s, &err));
  Assignment a;
  a.principal_type = PrincipalType::kGroup;
  a.principal = "Admins";
  a.permission_set = "Admin";
  a.account_id = "111111111111";
  CHECK(c.Apply(Op(ObjectKind::kAssignment, Action::kCreate, a, "x1")).ok);
  CHECK(c.Apply(Op(ObjectKind::kAssignment, Action::kCreate, a, "x2")).ok);
  CHECK(log ==
        std::vector<std::string>{"main group create Admins", "main assignment create x1", "main assignment create x2"});
}
