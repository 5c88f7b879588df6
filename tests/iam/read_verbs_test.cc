#include "compiler/iam/read_verbs.h"

#include <regex>

#include <catch2/catch.hpp>

#include "compiler/iam/effective_permissions.h"
#include "compiler/iam/managed_policies.h"
#include "compiler/iam/risky_actions.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

PermissionSummary SummaryOf(const std::vector<std::string>& names, EffectivePermissions* out = nullptr) {
  std::vector<const json*> docs;
  for (const std::string& name : names) {
    const json* doc = FindManagedPolicy(name);
    REQUIRE(doc != nullptr);
    docs.push_back(doc);
  }
  EffectivePermissions p = ComputeEffectivePermissions(docs);
  PermissionSummary s = Summarize(p);
  if (out) *out = std::move(p);
  return s;
}

AccessLevels Levels(std::string_view action) {
  auto id = BuiltinCatalog().Find(action);
  REQUIRE(id.has_value());
  return BuiltinCatalog().action(*id).levels;
}

TEST_CASE("an action's verb is its first capitalised word, two after Batch") {
  CHECK(ActionVerb("GetObject") == "Get");
  CHECK(ActionVerb("Get") == "Get");
  CHECK(ActionVerb("DescribeTopicPermissions") == "Describe");
  CHECK(ActionVerb("BatchGetItem") == "BatchGet");
  CHECK(ActionVerb("BatchDeleteBuilds") == "BatchDelete");
  CHECK(ActionVerb("Getaway") == "Getaway");
  CHECK(ActionVerb("ListenerX") == "Listener");
  CHECK(ActionVerb("") == "");
}

TEST_CASE("read verbs reclassify read actions AWS files as writes, and only those") {
  const ReadVerbResult& r = BuiltinReadVerbResult();
  CHECK(r.unknown_exceptions.empty());
  // Pinned: a data refresh that adds an action here must be reviewed in
  // compiler/iam/data/read_verbs.json (is it really read-only?).
  const std::vector<std::string> expected = {"aidevops:DescribeSupportLevel",
                                             "appfabric:BatchGetUserAccessTasks",
                                             "arc-region-switch:GetResourcePolicy",
                                             "athena:GetSessionEndpoint",
                                             "backup-storage:DescribeBackupJob",
                                             "backup-storage:GetBaseBackup",
                                             "backup-storage:GetChunk",
                                             "backup-storage:GetIncrementalBaseBackup",
                                             "backup-storage:GetObjectMetadata",
                                             "backup-storage:ListChunks",
                                             "backup-storage:ListObjects",
                                             "backup:ListIndexedRecoveryPointsForSearch",
                                             "backup:SearchRecoveryPoint",
                                             "bcm-pricing-calculator:ListTagsForResource",
                                             "billing:GetResourcePolicy",
                                             "cloudshell:GetFileDownloadUrls",
                                             "cloudwatch:QueryTraces",
                                             "cloudwatch:SearchPrincipals",
                                             "cognito-idp:GetTokensFromRefreshToken",
                                             "elasticmapreduce:GetSessionEndpoint",
                                             "fsx:GetResourcePolicy",
                                             "glue:BatchGetStageFiles",
                                             "glue:DescribeConnectionType",
                                             "glue:DescribeEntity",
                                             "glue:GetDataPreviewStatement",
                                             "glue:GetEnvironment",
                                             "glue:GetExecutors",
                                             "glue:GetExecutorsThreads",
                                             "glue:GetLogParsingStatus",
                                             "glue:GetNotebookInstanceStatus",
                                             "glue:GetQueries",
                                             "glue:GetQuery",
                                             "glue:GetRecipeAction",
                                             "glue:GetStage",
                                             "glue:GetStageAttempt",
                                             "glue:GetStageAttemptTaskList",
                                             "glue:GetStageAttemptTaskSummary",
                                             "glue:GetStageFiles",
                                             "glue:GetStages",
                                             "glue:GetStorage",
                                             "glue:GetStorageUnit",
                                             "glue:ListConnectionTypes",
                                             "glue:ListEntities",
                                             "honeycode:ListTagsForResource",
                                             "iot:GetConnection",
                                             "iot:ListSubscriptions",
                                             "monitron:ListProjectAdminUsers",
                                             "quicksight:DescribeKnowledgeBasePermissions",
                                             "quicksight:DescribeSpacePermissions",
                                             "quicksight:DescribeTopicPermissions",
                                             "route53globalresolver:ListTagsForResource",
                                             "ssm-sap:GetResourcePermission"};
  CHECK(r.reclassified == expected);
}

TEST_CASE("nothing that hands out credentials or uploads is read by its verb") {
  // cognito-idp:GetTokensFromRefreshToken is read by an explicit decision in
  // access_level_overrides.json (it exchanges a token the caller already holds).
  std::regex risky("credential|token|password|upload|login|presigned|secret|key", std::regex::icase);
  for (const std::string& action : BuiltinReadVerbResult().reclassified) {
    if (action == "cognito-idp:GetTokensFromRefreshToken") continue;
    INFO(action);
    CHECK_FALSE(std::regex_search(action, risky));
  }
}

TEST_CASE("reclassified actions take their verb's level; exceptions keep the catalog's") {
  CHECK(Levels("quicksight:DescribeTopicPermissions") == kRead);
  CHECK(Levels("glue:ListEntities") == kList);
  CHECK(Levels("route53globalresolver:ListTagsForResource") == kList);
  CHECK((Levels("sts:GetFederationToken") & kWrite) != 0);
  CHECK((Levels("redshift:GetClusterCredentials") & kWrite) != 0);
  CHECK((Levels("states:GetActivityTask") & kWrite) != 0);
  CHECK(Levels("s3:GetObject") == kRead);  // already Read: untouched
  CHECK((Levels("iam:AttachRolePolicy") & kPermissionsManagement) != 0);
}

TEST_CASE("malformed read verb data is refused") {
  ActionCatalog catalog;
  ReadVerbResult r;
  std::string err;
  CHECK_FALSE(ApplyReadVerbs("[]", &catalog, &r, &err));
  CHECK_FALSE(ApplyReadVerbs(R"({"verbs": [{"verb": "Get", "levels": "W"}], "exceptions": []})", &catalog, &r, &err));
  CHECK_FALSE(ApplyReadVerbs(R"({"verbs": [], "exceptions": [1]})", &catalog, &r, &err));
}

TEST_CASE("AWS's auditor policies are read-only, the admin ones are not") {
  for (const char* name : {"SecurityAudit", "job-function/ViewOnlyAccess", "ReadOnlyAccess"}) {
    INFO(name);
    PermissionSummary s = SummaryOf({name});
    CHECK(s.read_only);
    CHECK_FALSE(s.has_permissions_management);
    CHECK_FALSE(s.admin_equivalent);
  }
  PermissionSummary iam_full = SummaryOf({"IAMFullAccess"});
  CHECK(iam_full.has_permissions_management);
  CHECK_FALSE(iam_full.admin_equivalent);
  CHECK(SummaryOf({"AdministratorAccess"}).admin_equivalent);
  CHECK_FALSE(SummaryOf({"SecurityAudit", "job-function/ViewOnlyAccess"}).has_write);
}

TEST_CASE("ReadOnlyAccess still exposes credentials, SecurityAudit does not") {
  EffectivePermissions read;
  SummaryOf({"ReadOnlyAccess"}, &read);
  CHECK_FALSE(FindCredentialsExposures(read).empty());
  EffectivePermissions audit;
  SummaryOf({"SecurityAudit"}, &audit);
  CHECK(FindCredentialsExposures(audit).empty());
}

}  // namespace
}  // namespace gatehouse::iam
