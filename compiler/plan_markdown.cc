#include "compiler/plan_markdown.h"

#include <sstream>

#include "compiler/access.h"
#include "compiler/plan_json.h"

namespace gatehouse {

std::string MarkdownEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' || c == ']') out += '\\';
    if (c == '\n') { out += ' '; continue; }
    out += c;
  }
  return out;
}

namespace {

const char* Symbol(Action a) {
  switch (a) {
    case Action::kCreate: return "+";
    case Action::kUpdate: return "~";
    case Action::kDelete: return "-";
    case Action::kReplace: return "-/+";
  }
  return "?";
}

/// Appends sections while they fit; remembers what had to be cut.
class Budget {
 public:
  explicit Budget(size_t max) : max_(max) {}
  bool Add(std::string& out, const std::string& piece) {
    if (out.size() + piece.size() + kReserve > max_) return false;
    out += piece;
    return true;
  }
  static constexpr size_t kReserve = 400;  // room for the truncation note

 private:
  size_t max_;
};

}  // namespace

std::string RenderPlanMarkdown(const Plan& plan, const MarkdownOptions& opt) {
  PlanSummary s = Summarize(plan);
  std::string out = "### " + opt.title + "\n\n";
  if (plan.empty()) out += "**No changes.** The live directory matches the configuration.\n\n";
  else
    out += "**" + std::to_string(s.create) + " to create, " + std::to_string(s.update) + " to update, " +
           std::to_string(s.del) + " to delete, " + std::to_string(s.replace) + " to replace.**\n\n";
  size_t gains = 0, losses = 0, privileged = 0;
  for (const auto& a : plan.access_changes) {
    (a.gained ? gains : losses)++;
    if (a.gained && PrivilegeRank(a.privilege) <= 1) ++privileged;
  }
  if (!plan.access_changes.empty())
    out += "Access: " + std::to_string(gains) + " gained, " + std::to_string(losses) + " removed" +
           (privileged ? ", **" + std::to_string(privileged) + " privileged grant(s)**" : std::string()) + ".\n\n";
  Budget budget(opt.max_chars);
  size_t cut_findings = 0, cut_access = 0, cut_changes = 0;

  if (opt.findings && !opt.findings->empty()) {
    out += "#### Lint findings\n\n";
    for (const auto& f : *opt.findings) {
      std::string line = "- **" + std::string(SeverityName(f.severity)) + "** `" + f.code + "` " +
                         MarkdownEscape(f.message) + " (" + f.span.file + ":" + std::to_string(f.span.line) + ")\n";
      if (!budget.Add(out, line)) ++cut_findings;
    }
    out += "\n";
  }
  if (!plan.access_changes.empty()) {
    budget.Add(out, "#### Access changes\n\n| | user | permission set | account | via | privilege |\n|---|---|---|---|---|---|\n");
    for (const auto& a : plan.access_changes) {
      std::string via;
      for (const auto& v : a.via) via += (via.empty() ? "" : ", ") + (v == "direct" ? std::string("direct") : "group " + v);
      std::string acct = a.account_name.empty() ? a.account_id : a.account_name + " (" + a.account_id + ")";
      std::string priv = a.privilege.empty() ? "" : (PrivilegeRank(a.privilege) <= 1 ? "**" + a.privilege + "**" : a.privilege);
      std::string row = std::string("| ") + (a.gained ? "🟢 gains" : "🔴 loses") + " | " + MarkdownEscape(a.user) +
                        " | " + MarkdownEscape(a.permission_set) + " | " + MarkdownEscape(acct) + " | " +
                        MarkdownEscape(via) + " | " + priv + " |\n";
      if (!budget.Add(out, row)) ++cut_access;
    }
    out += "\n";
  }
  if (!plan.empty()) {
    // One collapsible section per kind of object.
    for (auto kind : {ObjectKind::kUser, ObjectKind::kGroup, ObjectKind::kMembership, ObjectKind::kPermissionSet,
                      ObjectKind::kAssignment}) {
      std::string body;
      size_t count = 0;
      for (const auto& op : plan.operations) {
        if (op.kind != kind) continue;
        ++count;
        body += std::string(Symbol(op.action)) + " " + op.name + (op.reason.empty() ? "" : "  # " + op.reason) + "\n";
      }
      if (!count) continue;
      std::string section = "<details><summary>" + std::string(ObjectKindName(kind)) + ": " + std::to_string(count) +
                            " change(s)</summary>\n\n```diff\n" + body + "```\n</details>\n\n";
      if (!budget.Add(out, section)) cut_changes += count;
    }
  }
  for (const auto& n : plan.notes) budget.Add(out, "> note: " + MarkdownEscape(n) + "\n");
  if (cut_findings || cut_access || cut_changes) {
    out += "\n> **Truncated** to fit GitHub's comment limit: " + std::to_string(cut_findings) + " finding(s), " +
           std::to_string(cut_access) + " access change(s) and " + std::to_string(cut_changes) +
           " resource change(s) are not shown. Run `gatehouse plan` for the full plan.\n";
  }
  return out;
}

}  // namespace gatehouse
