// Tests for drift attribution (compiler/attribution.h): which CloudTrail write
// record explains which drift change, and who made it.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/attribution.h"

using namespace gatehouse;
using nlohmann::json;

namespace {

const char* kHumanArn =
    "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b/maya@example.com";
const char* kDeployerArn = "arn:aws:iam::111111111111:user/gatehouse-ci";
const char* kSetArn = "arn:aws:sso:::permissionSet/ssoins-1/ps-0001";

json Human() { return {{"type", "AssumedRole"}, {"arn", kHumanArn}}; }
json Deployer() { return {{"type", "IAMUser"}, {"arn", kDeployerArn}, {"userName", "gatehouse-ci"}}; }

std::string Record(const std::string& source, const std::string& name, const std::string& time, json who, json request,
                   json response = nullptr, const std::string& id = "") {
  json r = {{"eventSource", source},
            {"eventName", name},
            {"eventTime", time},
            {"eventID", id.empty() ? name + "@" + time : id},
            {"userIdentity", who},
            {"readOnly", false},
            {"requestParameters", request},
            {"responseElements", response}};
  return r.dump();
}

std::string Ids(const std::string& name, const std::string& time, json who, json request, json response = nullptr) {
  return Record("identitystore.amazonaws.com", name, time, who, request, response);
}

std::string Sso(const std::string& name, const std::string& time, json who, json request, json response = nullptr) {
  return Record("sso.amazonaws.com", name, time, who, request, response);
}

DirectoryState Live() {
  DirectoryState live;
  live.users["alice"] = User{"alice", "Alice", "A", "L", "", "u-alice"};
  live.users["bob"] = User{"bob", "Bob", "B", "O", "", "u-bob"};
  live.groups["Admins"] = Group{"Admins", "", "g-admins"};
  PermissionSet ps;
  ps.name = "Admin";
  ps.arn = kSetArn;
  live.permission_sets["Admin"] = ps;
  return live;
}

Operation Op(ObjectKind kind, Action action, Object value) {
  Operation op;
  op.kind = kind;
  op.action = action;
  if (action == Action::kCreate)
    op.after = value;
  else
    op.before = value;
  if (action == Action::kUpdate) op.after = value;
  return op;
}

std::vector<WriteEvent> Parse(const std::vector<std::string>& records) {
  std::vector<WriteEvent> out;
  for (const auto& r : records) {
    WriteEvent e;
    if (ParseWriteEvent(r, &e)) out.push_back(e);
  }
  return out;
}

const std::string kFrom = "2026-11-01T00:00:00Z", kTo = "2026-12-01T00:00:00Z";

}  // namespace

TEST_CASE("attribution: a membership added out of band names the human who added it, not the deployer") {
  Plan plan;
  plan.operations.push_back(Op(ObjectKind::kMembership, Action::kDelete, Membership{"Admins", "bob"}));
  plan.operations.push_back(Op(ObjectKind::kMembership, Action::kDelete, Membership{"Admins", "alice"}));
  json add_bob = {{"identityStoreId", "d-1"}, {"groupId", "g-admins"}, {"memberId", {{"userId", "u-bob"}}}};
  auto events = Parse({
      Ids("CreateGroupMembership", "2026-11-20T10:00:00Z", Human(), add_bob, {{"membershipId", "m-1"}}),
      Ids("CreateGroupMembership", "2026-10-20T10:00:00Z", Deployer(), add_bob),  // before the window
      Ids("CreateGroupMembership", "2026-11-25T10:00:00Z", Deployer(),
          {{"groupId", "g-other"}, {"memberId", {{"userId", "u-bob"}}}}),  // another group
  });
  auto got = AttributeChanges(plan, Live(), events, kFrom, kTo);
  REQUIRE(got.size() == 2);
  REQUIRE(got[0]);
  CHECK(got[0]->actor == "maya@example.com");
  CHECK(got[0]->actor_arn == kHumanArn);
  CHECK(got[0]->time == "2026-11-20T10:00:00Z");
  CHECK(got[0]->event_name == "CreateGroupMembership");
  CHECK(got[0]->event_id == "CreateGroupMembership@2026-11-20T10:00:00Z");
  CHECK_FALSE(got[1]);  // nothing names alice
  CHECK(AttributionLine(*got[0]) ==
        "changed out of band by maya@example.com at 2026-11-20T10:00:00Z (CreateGroupMembership)");
}

TEST_CASE("attribution: a removed membership is found through the creation that answered its id") {
  Plan plan;
  plan.operations.push_back(Op(ObjectKind::kMembership, Action::kCreate, Membership{"Admins", "alice"}));
  json add_alice = {{"groupId", "g-admins"}, {"memberId", {{"userId", "u-alice"}}}};
  auto events = Parse({
      Ids("CreateGroupMembership", "2026-11-02T09:00:00Z", Deployer(), add_alice, {{"membershipId", "m-7"}}),
      Ids("DeleteGroupMembership", "2026-11-28T09:00:00Z", Human(), {{"membershipId", "m-7"}}),
      Ids("DeleteGroupMembership", "2026-11-29T09:00:00Z", Deployer(), {{"membershipId", "m-unknown"}}),
  });
  auto got = AttributeChanges(plan, Live(), events, kFrom, kTo);
  REQUIRE(got[0]);
  CHECK(got[0]->event_name == "DeleteGroupMembership");
  CHECK(got[0]->actor == "maya@example.com");
}

TEST_CASE("attribution: a deletion of a membership older than the window is paired only when it is alone") {
  Plan plan;
  plan.operations.push_back(Op(ObjectKind::kMembership, Action::kCreate, Membership{"Admins", "alice"}));
  std::vector<std::string> records = {
      Ids("DeleteGroupMembership", "2026-11-28T09:00:00Z", Human(), {{"membershipId", "m-seeded"}})};
  auto got = AttributeChanges(plan, Live(), Parse(records), kFrom, kTo);
  REQUIRE(got[0]);
  CHECK(got[0]->actor == "maya@example.com");
  // Two such deletions, or two missing memberships: no guess.
  records.push_back(Ids("DeleteGroupMembership", "2026-11-29T09:00:00Z", Deployer(), {{"membershipId", "m-other"}}));
  CHECK_FALSE(AttributeChanges(plan, Live(), Parse(records), kFrom, kTo)[0]);
  records.pop_back();
  plan.operations.push_back(Op(ObjectKind::kMembership, Action::kCreate, Membership{"Admins", "bob"}));
  got = AttributeChanges(plan, Live(), Parse(records), kFrom, kTo);
  CHECK_FALSE(got[0]);
  CHECK_FALSE(got[1]);
}

TEST_CASE("attribution: assignments match principal, set and account; the newest write wins") {
  Plan plan;
  plan.operations.push_back(Op(ObjectKind::kAssignment, Action::kDelete,
                               Assignment{PrincipalType::kGroup, "Admins", "Admin", "222222222222"}));
  json req = {{"principalId", "g-admins"},
              {"permissionSetArn", kSetArn},
              {"targetId", "222222222222"},
              {"principalType", "GROUP"},
              {"targetType", "AWS_ACCOUNT"}};
  json other_account = req;
  other_account["targetId"] = "333333333333";
  auto events = Parse({
      Sso("CreateAccountAssignment", "2026-11-10T00:00:00Z", Deployer(), req),
      Sso("DeleteAccountAssignment", "2026-11-12T00:00:00Z", Deployer(), req),
      Sso("CreateAccountAssignment", "2026-11-14T00:00:00Z", Human(), req),
      Sso("CreateAccountAssignment", "2026-11-20T00:00:00Z", Deployer(), other_account),
  });
  auto got = AttributeChanges(plan, Live(), events, kFrom, kTo);
  REQUIRE(got[0]);
  CHECK(got[0]->time == "2026-11-14T00:00:00Z");
  CHECK(got[0]->actor == "maya@example.com");
}

TEST_CASE("attribution: permission set policy edits, and a creation known only from its answer") {
  Plan plan;
  PermissionSet ps;
  ps.name = "Admin";
  plan.operations.push_back(Op(ObjectKind::kPermissionSet, Action::kUpdate, ps));
  PermissionSet edited = ps;  // the live set differs in its inline policy and tags
  edited.inline_policy = "{}";
  edited.tags["owner"] = "maya";
  plan.operations[0].before = edited;
  PermissionSet extra;
  extra.name = "Extra";
  extra.arn = "arn:aws:sso:::permissionSet/ssoins-1/ps-0002";
  DirectoryState live = Live();
  live.permission_sets["Extra"] = extra;
  plan.operations.push_back(Op(ObjectKind::kPermissionSet, Action::kDelete, extra));
  auto events = Parse({
      Sso("PutInlinePolicyToPermissionSet", "2026-11-15T12:00:00Z", Human(),
          {{"permissionSetArn", kSetArn}, {"inlinePolicy", "{}"}}),
      Sso("TagResource", "2026-11-16T12:00:00Z", Deployer(), {{"resourceArn", kSetArn}}),
      Sso("CreatePermissionSet", "2026-11-17T12:00:00Z", Human(), {{"name", "Extra"}},
          {{"permissionSet", {{"permissionSetArn", extra.arn}, {"name", "Extra"}}}}),
  });
  auto got = AttributeChanges(plan, live, events, kFrom, kTo);
  REQUIRE(got[0]);
  CHECK(got[0]->event_name == "TagResource");  // the newest write naming the set
  CHECK(got[0]->actor == "gatehouse-ci");
  CHECK(got[0]->actor_arn == kDeployerArn);
  REQUIRE(got[1]);
  CHECK(got[1]->event_name == "CreatePermissionSet");

  // Only the inline policy differs: a later tag edit does not explain it.
  plan.operations[0].before = ps;
  std::get<PermissionSet>(*plan.operations[0].before).inline_policy = "{}";
  got = AttributeChanges(plan, live, events, kFrom, kTo);
  REQUIRE(got[0]);
  CHECK(got[0]->event_name == "PutInlinePolicyToPermissionSet");
  CHECK(got[0]->actor == "maya@example.com");
}

TEST_CASE("attribution: failures, reads, other services are not writes; SCIM is the identity provider") {
  json add = {{"groupId", "g-admins"}, {"memberId", {{"userId", "u-bob"}}}};
  WriteEvent e;
  json failed = json::parse(Ids("CreateGroupMembership", "2026-11-20T10:00:00Z", Human(), add));
  failed["errorCode"] = "ConflictException";
  CHECK_FALSE(ParseWriteEvent(failed.dump(), &e));
  json read = json::parse(Ids("ListGroupMemberships", "2026-11-20T10:00:00Z", Human(), {{"groupId", "g-admins"}}));
  read["readOnly"] = true;
  CHECK_FALSE(ParseWriteEvent(read.dump(), &e));
  CHECK_FALSE(ParseWriteEvent(Record("ec2.amazonaws.com", "CreateTags", "2026-11-20T10:00:00Z", Human(), {}), &e));
  CHECK_FALSE(ParseWriteEvent("not json", &e));

  Plan plan;
  plan.operations.push_back(Op(ObjectKind::kMembership, Action::kDelete, Membership{"Admins", "bob"}));
  plan.operations.push_back(Op(ObjectKind::kUser, Action::kUpdate, User{"alice", "Alice", "A", "L", "", ""}));
  auto events = Parse({
      Record("identitystore-scim.amazonaws.com", "PatchGroup", "2026-11-21T08:00:00.123Z",
             {{"type", "Unknown"}, {"principalId", "token"}}, {{"groupId", "g-admins"}}),
      Record("identitystore-scim.amazonaws.com", "PutUser", "2026-11-22T08:00:00Z", {{"type", "Unknown"}},
             {{"userId", "u-alice"}}),
  });
  auto got = AttributeChanges(plan, Live(), events, kFrom, kTo);
  REQUIRE(got[0]);
  CHECK(got[0]->actor == kScimActor);
  CHECK(got[0]->actor_arn.empty());
  CHECK(got[0]->time == "2026-11-21T08:00:00Z");
  REQUIRE(got[1]);
  CHECK(got[1]->event_name == "PutUser");
  CHECK(got[1]->actor == "identity provider (SCIM)");
}

TEST_CASE("attribution: an exact write beats a newer SCIM group patch that hides its members") {
  Plan plan;
  plan.operations.push_back(Op(ObjectKind::kMembership, Action::kDelete, Membership{"Admins", "bob"}));
  auto events = Parse({
      Record("identitystore-scim.amazonaws.com", "PatchGroup", "2026-11-25T08:00:00Z", {{"type", "Unknown"}},
             {{"groupId", "g-admins"}}),
      Ids("CreateGroupMembership", "2026-11-20T10:00:00Z", Human(),
          {{"groupId", "g-admins"}, {"memberId", {{"userId", "u-bob"}}}}),
  });
  auto got = AttributeChanges(plan, Live(), events, kFrom, kTo);
  REQUIRE(got[0]);
  CHECK(got[0]->actor == "maya@example.com");
}

TEST_CASE("attribution: the event names looked up follow the kinds of change") {
  Plan empty;
  CHECK(AttributionEventNames(empty).empty());
  Plan plan;
  plan.operations.push_back(Op(ObjectKind::kMembership, Action::kCreate, Membership{"Admins", "alice"}));
  plan.operations.push_back(Op(ObjectKind::kAssignment, Action::kDelete,
                               Assignment{PrincipalType::kGroup, "Admins", "Admin", "222222222222"}));
  auto names = AttributionEventNames(plan);
  // A membership missing was deleted (found through its creation); an extra assignment was created.
  CHECK(names == std::vector<std::string>{"CreateAccountAssignment", "CreateGroupMembership", "DeleteGroupMembership",
                                          "PatchGroup", "RemoveMemberFromGroup"});
}

TEST_CASE("attribution: an event read twice (a duplicate record, or two sources) counts once, first kept") {
  std::vector<WriteEvent> events(4);
  events[0].who = {"maya", "", "2026-11-20T10:00:00Z", "CreateGroupMembership", "E1"};
  events[1].who = {"bob", "", "2026-11-21T10:00:00Z", "CreateGroupMembership", "E2"};
  events[2].who = {"copy", "", "2026-11-20T10:00:00Z", "CreateGroupMembership", "E1"};
  events[3].who = {"no id", "", "2026-11-22T10:00:00Z", "CreateUser", ""};
  DropDuplicateEvents(&events);
  REQUIRE(events.size() == 3);
  CHECK(events[0].who.actor == "maya");
  CHECK(events[1].who.actor == "bob");
  CHECK(events[2].who.actor == "no id");
}

TEST_CASE("attribution: application assignments match application, principal id and type; assignment_required") {
  const char* kApp = "arn:aws:sso::111111111111:application/ssoins-1/apl-0001";
  DirectoryState live = Live();
  live.applications["Salesforce"] = Application{"Salesforce", true, kApp};
  Plan plan;
  // Removed out of band (the plan re-creates it); an extra one made out of band; the flip of assignment_required.
  plan.operations.push_back(Op(ObjectKind::kApplicationAssignment, Action::kCreate,
                               ApplicationAssignment{PrincipalType::kGroup, "Admins", "Salesforce"}));
  plan.operations.push_back(Op(ObjectKind::kApplicationAssignment, Action::kDelete,
                               ApplicationAssignment{PrincipalType::kUser, "bob", "Salesforce"}));
  plan.operations.push_back(Op(ObjectKind::kApplication, Action::kUpdate, Application{"Salesforce", false, kApp}));
  CHECK(AttributionEventNames(plan) == std::vector<std::string>{"CreateApplicationAssignment",
                                                                "DeleteApplicationAssignment",
                                                                "PutApplicationAssignmentConfiguration"});
  json group = {{"applicationArn", kApp}, {"principalId", "g-admins"}, {"principalType", "GROUP"}};
  json bob = {{"applicationArn", kApp}, {"principalId", "u-bob"}, {"principalType", "USER"}};
  json bob_as_group = bob;
  bob_as_group["principalType"] = "GROUP";
  json other_app = group;
  other_app["applicationArn"] = "arn:aws:sso::111111111111:application/ssoins-1/apl-0002";
  auto events = Parse({
      Sso("DeleteApplicationAssignment", "2026-11-10T00:00:00Z", Human(), group),
      Sso("DeleteApplicationAssignment", "2026-11-20T00:00:00Z", Deployer(), other_app),
      Sso("CreateApplicationAssignment", "2026-11-11T00:00:00Z", Deployer(), bob),
      Sso("CreateApplicationAssignment", "2026-11-21T00:00:00Z", Human(), bob_as_group),
      Sso("PutApplicationAssignmentConfiguration", "2026-11-12T00:00:00Z", Human(),
          {{"applicationArn", kApp}, {"assignmentRequired", false}}),
  });
  auto got = AttributeChanges(plan, live, events, kFrom, kTo);
  REQUIRE(got.size() == 3);
  REQUIRE(got[0]);
  CHECK(got[0]->actor == "maya@example.com");
  CHECK(got[0]->event_name == "DeleteApplicationAssignment");
  REQUIRE(got[1]);
  CHECK(got[1]->actor == "gatehouse-ci");  // not the newer record naming bob's id as a group
  REQUIRE(got[2]);
  CHECK(got[2]->event_name == "PutApplicationAssignmentConfiguration");
  CHECK(got[2]->time == "2026-11-12T00:00:00Z");
  // An application the live directory does not know (no ARN) is not guessed.
  live.applications.clear();
  for (const auto& a : AttributeChanges(plan, live, events, kFrom, kTo)) CHECK_FALSE(a);
}
