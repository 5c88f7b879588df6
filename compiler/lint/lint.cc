#include "compiler/lint/lint.h"

#include "compiler/text.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <tuple>

#include "compiler/lint/lint_context.h"
#include "compiler/parallel.h"

namespace gatehouse::lint {

LintContext::LintContext(const Config& config, const CompiledConfig& compiled, const LintOptions& options,
                         const LintParams& params, std::vector<Finding>* out)
    : config_(config), compiled_(compiled), options_(options), params_(params), out_(out) {
  for (const auto& p : config.permission_sets) sets_.emplace(p.ps.name, &p);
}

bool LintContext::Enabled(const std::string& rule) const { return params_.levels.count(rule) != 0; }

Finding* LintContext::Report(const std::string& rule, const SourceSpan& at, std::string message, std::string target,
                             std::string help, std::vector<std::string> notes) {
  auto level = params_.levels.find(rule);
  if (level == params_.levels.end()) return nullptr;
  std::string key = rule + '\0' + target + '\0' + message + '\0' + at.file + '\0' + std::to_string(at.line);
  if (!reported_.insert(std::move(key)).second) return nullptr;
  Finding f;
  f.diag.severity = level->second;
  f.diag.code = rule;
  f.diag.message = std::move(message);
  f.diag.span = at;
  f.diag.help = std::move(help);
  f.diag.notes = std::move(notes);
  f.target = std::move(target);
  out_->push_back(std::move(f));
  return &out_->back();
}

const PermissionSetDecl* LintContext::SetDecl(const std::string& name) const {
  auto it = sets_.find(name);
  return it == sets_.end() ? nullptr : it->second;
}

const SetAnalysis* LintContext::Analysis(const std::string& set_name) {
  if (parent_) {
    auto it = parent_->analyses_.find(set_name);
    return it == parent_->analyses_.end() ? nullptr : it->second.get();
  }
  auto cached = analyses_.find(set_name);
  if (cached != analyses_.end()) return cached->second.get();
  const PermissionSetDecl* decl = SetDecl(set_name);
  if (!decl) return nullptr;
  auto a = std::make_unique<SetAnalysis>(AnalyzePermissionSet(*decl));
  return analyses_.emplace(set_name, std::move(a)).first->second.get();
}

void LintContext::AnalyzeAll() {
  std::vector<std::pair<std::string, const PermissionSetDecl*>> todo;
  for (const auto& [name, decl] : sets_)
    if (!analyses_.count(name)) todo.emplace_back(name, decl);
  std::vector<std::unique_ptr<SetAnalysis>> done(todo.size());
  ParallelFor(todo.size(),
              [&](size_t i) { done[i] = std::make_unique<SetAnalysis>(AnalyzePermissionSet(*todo[i].second)); });
  for (size_t i = 0; i < todo.size(); ++i) analyses_.emplace(todo[i].first, std::move(done[i]));
}

std::string LintContext::AccountLabel(const std::string& account_id) const {
  auto it = compiled_.desired.accounts.find(account_id);
  return it == compiled_.desired.accounts.end() || it->second.name.empty() ? account_id : it->second.name;
}

bool LintContext::IsProduction(const std::string& account_id, const std::vector<std::string>& environments) const {
  auto it = compiled_.desired.accounts.find(account_id);
  if (it == compiled_.desired.accounts.end()) return false;
  std::string env = AsciiLower(it->second.environment);
  for (const std::string& p : environments)
    if (env == AsciiLower(p)) return true;
  return false;
}

std::string LintContext::AssignmentTarget(const Assignment& a) const {
  return a.principal + "/" + a.permission_set + "/" + AccountLabel(a.account_id);
}

SourceSpan LintContext::PrincipalSpan(const Assignment& a) const {
  auto it = compiled_.origin.find(a);
  if (it != compiled_.origin.end() && it->second < config_.assignments.size())
    return config_.assignments[it->second].principal.span;
  for (const auto& [as, index] : compiled_.expired)
    if (as == a && index < config_.assignments.size()) return config_.assignments[index].principal.span;
  return SourceSpan{};
}

SourceSpan LintContext::PrincipalSpan(const ApplicationAssignment& a) const {
  auto it = compiled_.application_origin.find(a);
  if (it != compiled_.application_origin.end() && it->second < config_.assignments.size())
    return config_.assignments[it->second].principal.span;
  return SourceSpan{};
}

bool LintContext::IsBreakGlass(const Assignment& a) const {
  if (a.principal_type != PrincipalType::kGroup) return false;
  for (const auto& g : config_.policy.break_glass_groups)
    if (g.value == a.principal) return true;
  return false;
}

LintContext LintContext::Fork(std::vector<Finding>* out) {
  HeldBeyondBreakGlass("");  // build the lazy indexes before threads read them
  AccountsOfSet("");
  LintContext fork(config_, compiled_, options_, params_, out);
  fork.parent_ = this;
  return fork;
}

bool LintContext::HeldBeyondBreakGlass(const std::string& set_name) const {
  if (parent_) return parent_->HeldBeyondBreakGlass(set_name);
  if (!held_beyond_break_glass_) {
    held_beyond_break_glass_.emplace();
    for (const Assignment& a : compiled_.desired.assignments)
      if (!IsBreakGlass(a)) held_beyond_break_glass_->insert(a.permission_set);
  }
  return held_beyond_break_glass_->count(set_name) != 0;
}

const std::set<std::string>& LintContext::AccountsOfSet(const std::string& set_name) const {
  if (parent_) return parent_->AccountsOfSet(set_name);
  if (!accounts_of_set_) {
    accounts_of_set_.emplace();
    for (const Assignment& a : compiled_.desired.assignments)
      (*accounts_of_set_)[a.permission_set].insert(a.account_id);
  }
  static const std::set<std::string> kNone;
  auto it = accounts_of_set_->find(set_name);
  return it == accounts_of_set_->end() ? kNone : it->second;
}

bool LintContext::Waived(const std::string& rule, const std::string& target) const {
  for (const RuleException& e : config_.policy.exceptions) {
    bool expired = !options_.today.empty() && options_.today > e.expires;
    if (!expired && e.rule == rule && GlobMatch(e.target, target)) return true;
  }
  return false;
}

bool LintContext::AdminOrEscalation(const SetAnalysis& set) const {
  if (set.summary.admin_equivalent) return true;
  // An escalation reviewed and waived (e.g. "developers update Lambda code in
  // development") is not reported a second time as administrator access.
  const std::string& name = set.decl->ps.name;
  return (set.escalates_privileges && !Waived("privilege-escalation", name)) ||
         (set.escalates_identity_center && !Waived("identity-center-escalation", name));
}

namespace {

void ApplyExceptions(const Config& config, const LintOptions& options, LintContext& ctx,
                     std::vector<Finding>* findings) {
  const auto& exceptions = config.policy.exceptions;
  std::vector<bool> expired(exceptions.size()), used(exceptions.size());
  for (size_t i = 0; i < exceptions.size(); ++i)
    expired[i] = !options.today.empty() && options.today > exceptions[i].expires;
  for (Finding& f : *findings) {
    for (size_t i = 0; i < exceptions.size(); ++i) {
      const RuleException& e = exceptions[i];
      if (expired[i] || e.rule != f.diag.code || !GlobMatch(e.target, f.target)) continue;
      f.suppressed = true;
      f.suppression_reason = e.reason;
      used[i] = true;
      break;
    }
  }
  for (size_t i = 0; i < exceptions.size(); ++i) {
    const RuleException& e = exceptions[i];
    std::string target = e.rule + "/" + e.target;
    if (expired[i]) {
      ctx.Report("expired-exception", e.expires_span.known() ? e.expires_span : e.span,
                 "exception for '" + e.rule + "' on '" + e.target + "' expired on " + e.expires +
                     "; it no longer waives anything",
                 target, "fix the finding, or renew the exception with a new expires date and reason");
    } else if (!used[i] && ctx.Enabled(e.rule)) {
      std::vector<std::string> candidates;
      for (const Finding& f : *findings)
        if (f.diag.code == e.rule) candidates.push_back(f.target);
      std::string hint = DidYouMean(e.target, candidates);
      ctx.Report("unused-exception", e.span, "exception for '" + e.rule + "' on '" + e.target + "' matches no finding",
                 target, hint.empty() ? "fix the target, or delete the exception" : hint);
    }
  }
}

}  // namespace

LintResult RunLint(const Config& config, const CompiledConfig& compiled, const LintOptions& options) {
  LintResult result;
  LintParams params;
  ReadLintParams(config, &params, &result.config_errors);
  LintContext ctx(config, compiled, options, params, &result.findings);
  ctx.AnalyzeAll();
  // The rule groups only read the config and the analyses: they run on one
  // thread per core, each into its own findings, joined in this order.
  using Group = void (*)(LintContext&);
  const std::vector<Group> groups = {CheckAssignmentRules, CheckPermissionSetRules, CheckPolicyGrammar,
                                     CheckSeparationOfDuties, CheckHygieneRules};
  std::vector<std::vector<Finding>> found(groups.size());
  std::vector<LintContext> forks;
  for (auto& f : found) forks.push_back(ctx.Fork(&f));
  ParallelFor(groups.size(), [&](size_t i) { groups[i](forks[i]); });
  for (auto& f : found)
    result.findings.insert(result.findings.end(), std::make_move_iterator(f.begin()), std::make_move_iterator(f.end()));
  ApplyExceptions(config, options, ctx, &result.findings);
  std::stable_sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.diag.span.file, a.diag.span.line, a.diag.span.column) <
           std::tie(b.diag.span.file, b.diag.span.line, b.diag.span.column);
  });
  result.config_errors.Sort();
  return result;
}

std::vector<Diagnostic> LintConfig(const Config& config, const CompiledConfig& compiled, const LintOptions& options) {
  std::vector<Diagnostic> out;
  for (Finding& f : RunLint(config, compiled, options).findings)
    if (!f.suppressed) out.push_back(std::move(f.diag));
  return out;
}

size_t LintResult::Count(Severity severity) const {
  return std::count_if(findings.begin(), findings.end(),
                       [&](const Finding& f) { return !f.suppressed && f.diag.severity == severity; });
}

size_t LintResult::SuppressedCount() const {
  return std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.suppressed; });
}

}  // namespace gatehouse::lint
