#include "compiler/lint/rule_catalog.h"

#include <sstream>

namespace gatehouse::lint {
namespace {

const char* kAssignmentTarget =
    "PRINCIPAL/PERMISSION_SET/ACCOUNT (user or group name, set name, account name), e.g. "
    "carol/AdministratorAccess/payments-prod";
const char* kSetTarget = "the permission set name, e.g. DevOpsProd";

std::vector<RuleInfo> BuildRules() {
  std::vector<RuleInfo> r;
  r.push_back(RuleInfo{"admin-only-break-glass",
                       "AdminOnlyBreakGlass",
                       "error",
                       "administrator access (AdministratorAccess, any set effectively allowing *:*, or a set that can "
                       "escalate its privileges: see privilege-escalation and identity-center-escalation) belongs only "
                       "to break-glass groups, never to users or ordinary groups",
                       "assign a narrower permission set, or list the group under policy.break_glass_groups",
                       kAssignmentTarget,
                       "9.1",
                       {"security", "least-privilege", "assignments"},
                       {},
                       R"(policy:
  break_glass_groups: [BreakGlass]
assignments:
  - user: carol
    permission_set: AdministratorAccess
    accounts: [payments-prod])",
                       R"(policy:
  break_glass_groups: [BreakGlass]
assignments:
  - group: BreakGlass
    permission_set: AdministratorAccess
    accounts: [payments-prod])"});
  r.push_back(RuleInfo{"no-user-assignments",
                       "NoUserAssignments",
                       "warning",
                       "access granted to individual users is hard to review and outlives role changes; groups make "
                       "access follow the job",
                       "put the user in a group and assign the group",
                       kAssignmentTarget,
                       "4.0",
                       {"security", "maintainability", "assignments"},
                       {},
                       R"(assignments:
  - user: alice
    permission_set: ReadOnly
    accounts: [payments-prod])",
                       R"(groups:
  - name: Auditors
    members: [alice]
assignments:
  - group: Auditors
    permission_set: ReadOnly
    accounts: [payments-prod])"});
  r.push_back(RuleInfo{"environment-separation",
                       "EnvironmentSeparation",
                       "warning",
                       "a permission set that can change production should not also be used in non-production "
                       "accounts, so loosening it for development never loosens production",
                       "use separate permission sets for production and non-production accounts",
                       kSetTarget,
                       "5.5",
                       {"security", "assignments"},
                       {{"production", "list of strings", "[production, prod]",
                         "account environments that count as production (case-insensitive)"}},
                       R"(assignments:
  - group: Developers
    permission_set: Deployer
    accounts: {environment: production}
  - group: Developers
    permission_set: Deployer
    accounts: {environment: development})",
                       R"(assignments:
  - group: Developers
    permission_set: DeployerProd
    accounts: {environment: production}
  - group: Developers
    permission_set: DeployerDev
    accounts: {environment: development})"});
  r.push_back(RuleInfo{"session-duration",
                       "SessionDuration",
                       "warning",
                       "long sessions keep stolen credentials useful; privileged sessions should be short",
                       "lower session_duration",
                       kSetTarget,
                       "4.5",
                       {"security", "permission-sets"},
                       {{"max", "duration", "PT8H", "the longest session for any permission set"},
                        {"privileged_max", "duration", "PT1H",
                         "the longest session for a set marked privileged: true or effectively admin"}},
                       R"(permission_sets:
  - name: BreakGlassAdmin
    managed_policies: [AdministratorAccess]
    privileged: true
    session_duration: PT12H)",
                       R"(permission_sets:
  - name: BreakGlassAdmin
    managed_policies: [AdministratorAccess]
    privileged: true
    session_duration: PT1H)"});
  r.push_back(RuleInfo{"wildcard-actions",
                       "WildcardActions",
                       "warning",
                       "`Action: \"*\"`, `service:*` on every resource and `NotAction` with Allow grant far more than "
                       "anyone reviewed, including actions AWS adds later",
                       "list the actions the job needs, or scope the resource",
                       kSetTarget,
                       "6.5",
                       {"security", "least-privilege", "policy"},
                       {},
                       R"(permission_sets:
  - name: S3Admin
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: "s3:*"
          Resource: "*")",
                       R"(permission_sets:
  - name: S3Reports
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [s3:GetObject, s3:PutObject]
          Resource: "arn:aws:s3:::reports/*")"});
  r.push_back(
      RuleInfo{"privilege-escalation",
               "PrivilegeEscalation",
               "error",
               "some actions let their holder grant themselves more (iam:CreatePolicyVersion, iam:Attach*Policy, "
               "iam:PassRole on * with a compute service...), which makes a set as good as administrator access; "
               "privileged: true acknowledges that but does not make it safe to hand out, so the finding stays unless "
               "the set is marked privileged and held only by break-glass groups",
               "remove the actions or scope them to specific resources; mark the set privileged: true and assign it "
               "only to break-glass groups if it is meant to be this powerful",
               kSetTarget,
               "8.5",
               {"security", "privilege-escalation", "policy"},
               {},
               R"(permission_sets:
  - name: Deployer
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [iam:PassRole, ec2:RunInstances]
          Resource: "*")",
               R"(permission_sets:
  - name: Deployer
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: iam:PassRole
          Resource: "arn:aws:iam::111111111111:role/app-instance"
        - Effect: Allow
          Action: ec2:RunInstances
          Resource: "*")"});
  r.push_back(
      RuleInfo{"identity-center-escalation",
               "IdentityCenterEscalation",
               "error",
               "a set that can edit Identity Center (sso:CreateAccountAssignment, sso:PutInlinePolicyToPermissionSet, "
               "identitystore:CreateGroupMembership, organizations writes...) can give its holder any access; only "
               "privileged sets held only by break-glass groups may",
               "remove the sso/identitystore/organizations write actions, or mark the set privileged: true and assign "
               "it only to break-glass groups",
               kSetTarget,
               "8.8",
               {"security", "privilege-escalation", "identity-center"},
               {},
               R"(permission_sets:
  - name: HelpDesk
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [identitystore:CreateGroupMembership]
          Resource: "*")",
               R"(permission_sets:
  - name: HelpDesk
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [identitystore:DescribeUser, identitystore:ListGroupMemberships]
          Resource: "*")"});
  r.push_back(
      RuleInfo{"credentials-exposure",
               "CredentialsExposure",
               "warning",
               "some actions hand out credentials (sts:AssumeRole on *, iam:CreateAccessKey, "
               "ecr:GetAuthorizationToken, ec2:GetPasswordData...) that outlive the session and escape its audit trail",
               "scope the actions to the roles or resources needed, or mark the set privileged: true",
               kSetTarget,
               "6.0",
               {"security", "credentials", "policy"},
               {},
               R"(permission_sets:
  - name: Operator
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Resource: "*")",
               R"(permission_sets:
  - name: Operator
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Resource: "arn:aws:iam::111111111111:role/operator")"});
  r.push_back(
      RuleInfo{"permissions-management",
               "PermissionsManagement",
               "warning",
               "actions of the \"Permissions management\" access level change who can do what (resource policies, "
               "grants, IAM); a set that is not marked privileged should not hold them. Actions that only read (Get, "
               "List, Describe... compiler/iam/data/read_verbs.json) do not count, whatever level AWS files them under",
               "remove the permissions-management actions, or mark the set privileged: true",
               kSetTarget,
               "7.0",
               {"security", "least-privilege", "policy"},
               {},
               R"(permission_sets:
  - name: Developer
    managed_policies: [PowerUserAccess])",
               R"(permission_sets:
  - name: Developer
    managed_policies: [job-function/ViewOnlyAccess]
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [lambda:UpdateFunctionCode]
          Resource: "arn:aws:lambda:*:111111111111:function:app-*")"});
  r.push_back(RuleInfo{
      "protect-audit-logs",
      "ProtectAuditLogs",
      "warning",
      "whoever can change production must not be able to erase the trail of what they did: CloudTrail, CloudWatch Logs "
      "and AWS Config",
      "add a Deny statement on Resource \"*\" without a Condition for the listed actions",
      kSetTarget,
      "7.5",
      {"security", "audit", "policy"},
      {{"actions", "list of action names",
        "[cloudtrail:DeleteTrail, cloudtrail:StopLogging, cloudtrail:UpdateTrail, logs:DeleteLogGroup, "
        "logs:DeleteLogStream, config:DeleteConfigurationRecorder, config:StopConfigurationRecorder, "
        "config:DeleteDeliveryChannel]",
        "actions a set with write access in production must deny (only those the set would otherwise allow)"},
       {"production", "list of strings", "[production, prod]", "account environments that count as production"}},
      R"(permission_sets:
  - name: DevOpsProd
    managed_policies: [PowerUserAccess]
assignments:
  - group: DevOps
    permission_set: DevOpsProd
    accounts: {environment: production})",
      R"(permission_sets:
  - name: DevOpsProd
    managed_policies: [PowerUserAccess]
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Action: [cloudtrail:DeleteTrail, cloudtrail:StopLogging, cloudtrail:UpdateTrail,
                   logs:DeleteLogGroup, logs:DeleteLogStream, config:DeleteConfigurationRecorder,
                   config:StopConfigurationRecorder, config:DeleteDeliveryChannel]
          Resource: "*")"});
  r.push_back(RuleInfo{
      "policy-grammar",
      "PolicyGrammar",
      "error",
      "an inline policy IAM would reject fails the apply; actions that do not exist never match and hide typos",
      "fix the policy element named in the message",
      "the permission set name",
      "5.0",
      {"correctness", "policy"},
      {},
      R"(permission_sets:
  - name: Reader
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: allow
          Action: s3:GetObjects
          Resource: "*")",
      R"(permission_sets:
  - name: Reader
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:GetObject
          Resource: "arn:aws:s3:::reports/*")"});
  r.push_back(
      RuleInfo{"expired-access",
               "ExpiredAccess",
               "warning",
               "time-bound access past its expires date is removed by the next plan; the declaration should go too",
               "delete the expired assignment, or extend expires with a new reason",
               kAssignmentTarget,
               "3.0",
               {"hygiene", "assignments"},
               {},
               R"(assignments:
  - user: carol
    permission_set: AdministratorAccess
    accounts: [payments-prod]
    expires: 2020-01-31
    reason: INC-4711)",
               R"(assignments:
  - user: carol
    permission_set: AdministratorAccess
    accounts: [payments-prod]
    expires: 2099-01-31
    reason: INC-4711)"});
  r.push_back(
      RuleInfo{"separation-of-duties",
               "SeparationOfDuties",
               "error",
               "some duties must be split between people (initiating and approving payments, deploying and auditing)",
               "remove the user from one of the two groups, or the assignment of one of the two sets",
               "USER/FIRST/SECOND (the user and the pair as configured), e.g. alice/PaymentInitiators/PaymentApprovers",
               "7.0",
               {"security", "compliance"},
               {{"pairs", "list of {groups: [A, B]} or {permission_sets: [X, Y]}", "[]",
                 "groups no user may be a member of both; permission sets no user may hold both (on any accounts, "
                 "directly or via groups)"}},
               R"(policy:
  rules:
    separation-of-duties:
      pairs:
        - groups: [PaymentInitiators, PaymentApprovers]
groups:
  - name: PaymentInitiators
    members: [alice]
  - name: PaymentApprovers
    members: [alice])",
               R"(policy:
  rules:
    separation-of-duties:
      pairs:
        - groups: [PaymentInitiators, PaymentApprovers]
groups:
  - name: PaymentInitiators
    members: [alice]
  - name: PaymentApprovers
    members: [bob])"});
  r.push_back(RuleInfo{"unused-permission-set",
                       "UnusedPermissionSet",
                       "warning",
                       "a permission set no assignment uses is dead weight that someone will assign without review",
                       "delete the set, or assign it",
                       kSetTarget,
                       "2.0",
                       {"hygiene", "permission-sets"},
                       {},
                       R"(permission_sets:
  - name: OldDeployer
    managed_policies: [PowerUserAccess]
# no assignment names OldDeployer)",
                       R"(permission_sets:
  - name: Deployer
    managed_policies: [PowerUserAccess]
assignments:
  - group: DevOps
    permission_set: Deployer
    accounts: [payments-dev])"});
  r.push_back(RuleInfo{"empty-group",
                       "EmptyGroup",
                       "warning",
                       "a group without members grants nothing today and anything to whoever is added later without "
                       "review (not checked with identity_source: external)",
                       "add members, or delete the group",
                       "the group name, e.g. DevOps",
                       "2.0",
                       {"hygiene", "groups"},
                       {},
                       R"(groups:
  - name: DevOps
    members: [])",
                       R"(groups:
  - name: DevOps
    members: [alice])"});
  r.push_back(RuleInfo{"user-without-group",
                       "UserWithoutGroup",
                       "note",
                       "a user in no group either has no access or has it through direct assignments",
                       "add the user to a group, or remove the user",
                       "the user name, e.g. alice",
                       "1.0",
                       {"hygiene", "users"},
                       {},
                       R"(users:
  - user_name: alice
    display_name: Alice
groups:
  - name: DevOps
    members: [])",
                       R"(users:
  - user_name: alice
    display_name: Alice
groups:
  - name: DevOps
    members: [alice])"});
  r.push_back(RuleInfo{"unassigned-application",
                       "UnassignedApplication",
                       "warning",
                       "an application that requires an assignment but has none can be used by no one: either "
                       "access is missing from the config, or the application is dead weight",
                       "assign a group to it, or set assignment_required: false if everyone may use it",
                       "the application name (or arn) as declared, e.g. Salesforce",
                       "2.0",
                       {"hygiene", "applications"},
                       {},
                       R"(applications:
  - name: Salesforce
    assignment_required: true
# no assignment names Salesforce)",
                       R"(applications:
  - name: Salesforce
    assignment_required: true
assignments:
  - group: Sales
    application: Salesforce)"});
  r.push_back(
      RuleInfo{"expired-exception",
               "ExpiredException",
               "error",
               "an exception past its expires date no longer waives anything; the finding it covered is reported again",
               "fix the finding, or renew the exception with a new expires date and reason",
               "RULE/TARGET of the exception, e.g. no-user-assignments/carol/AdministratorAccess/payments-prod",
               "5.0",
               {"hygiene", "exceptions"},
               {},
               R"(policy:
  exceptions:
    - rule: no-user-assignments
      target: carol/AdministratorAccess/payments-prod
      reason: INC-4711
      expires: 2020-01-31)",
               R"(policy:
  exceptions:
    - rule: no-user-assignments
      target: carol/AdministratorAccess/payments-prod
      reason: INC-4711, approved by security
      expires: 2099-01-31)"});
  r.push_back(RuleInfo{"unused-exception",
                       "UnusedException",
                       "warning",
                       "an exception that matches no finding is stale, or has a typo in its target and waives nothing",
                       "fix the target, or delete the exception",
                       "RULE/TARGET of the exception",
                       "2.0",
                       {"hygiene", "exceptions"},
                       {},
                       R"(policy:
  exceptions:
    - rule: no-user-assignments
      target: caroll/AdministratorAccess/payments-prod
      reason: INC-4711
      expires: 2099-01-31)",
                       R"(policy:
  exceptions:
    - rule: no-user-assignments
      target: carol/AdministratorAccess/payments-prod
      reason: INC-4711
      expires: 2099-01-31)"});
  return r;
}

}  // namespace

const std::vector<RuleInfo>& LintRules() {
  static const std::vector<RuleInfo> kRules = BuildRules();
  return kRules;
}

const RuleInfo* FindLintRule(std::string_view id) {
  for (const RuleInfo& r : LintRules())
    if (r.id == id) return &r;
  return nullptr;
}

const RuleInfo& ConfigErrorRule() {
  static const RuleInfo kRule{"config-error",
                              "ConfigError",
                              "error",
                              "the config is invalid: gatehouse cannot compile it, so no rule ran on it",
                              "fix the error; 'gatehouse validate' reports the same",
                              "",
                              "5.0",
                              {"correctness"},
                              {},
                              "",
                              ""};
  return kRule;
}

std::string ExplainRule(const RuleInfo& rule) {
  std::ostringstream o;
  o << rule.id << " (default level: " << rule.default_level << ")\n\n"
    << "why:  " << rule.rationale << "\n"
    << "fix:  " << rule.help << "\n\n";
  if (rule.params.empty()) {
    o << "parameters: none (set the level with policy.rules." << rule.id << ": error|warning|note|off)\n";
  } else {
    o << "parameters (policy.rules." << rule.id << ": {level: ..., <parameter>: ...}):\n";
    for (const RuleParam& p : rule.params)
      o << "  " << p.name << " (" << p.type << ", default " << p.default_value << "): " << p.description << "\n";
  }
  o << "\nexception target: " << rule.target << "\n"
    << "\nbad:\n\n"
    << rule.bad_example << "\n\ngood:\n\n"
    << rule.good_example << "\n";
  return o.str();
}

}  // namespace gatehouse::lint
