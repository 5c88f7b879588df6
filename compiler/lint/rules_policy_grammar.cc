// policy-grammar: the analyzer's ValidatePolicy issues, at the element's line.
#include "compiler/iam/policy_validator.h"
#include "compiler/lint/lint_context.h"

namespace gatehouse::lint {

void CheckPolicyGrammar(LintContext& ctx) {
  if (!ctx.Enabled("policy-grammar")) return;
  Severity level = ctx.params().levels.at("policy-grammar");
  for (const PermissionSetDecl& decl : ctx.config().permission_sets) {
    const SetAnalysis* set = ctx.Analysis(decl.ps.name);
    if (!set || set->decl != &decl || !set->inline_doc) continue;
    for (const iam::PolicyIssue& issue : iam::ValidatePolicy(*set->inline_doc)) {
      if (issue.refused && ctx.options().policy_refusals_in_validate) continue;  // validate reported it
      std::string where = iam::JsonPathToString(issue.path);
      Finding* f =
          ctx.Report("policy-grammar", LocateJsonPath(decl.inline_policy->node, issue.path),
                     issue.message + " in the inline policy of permission set '" + decl.ps.name + "'", decl.ps.name,
                     issue.help, {"policy check " + issue.code + (where.empty() ? "" : " at " + where)});
      // The analyzer's warnings (legal but suspect) sit one level below the rule's.
      if (f && issue.severity == iam::IssueSeverity::kWarning)
        f->diag.severity = level == Severity::kError ? Severity::kWarning : Severity::kNote;
    }
  }
}

}  // namespace gatehouse::lint
