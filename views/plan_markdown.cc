#include "views/plan_markdown.h"

#include <algorithm>

#include "compiler/access.h"
#include "views/plan_summary.h"

namespace gatehouse {

std::string MarkdownEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\')
      out += '\\';
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

namespace {

/// Room kept free at every step for the truncation note, so it always fits.
constexpr size_t kNoteRoom = 512;
/// Room kept for the resource change sections while access changes are added,
/// so a long access table still leaves each kind's summary line visible.
constexpr size_t kResourceRoom = 2048;
/// Room for one collapsible section that shows only its count.
constexpr size_t kSectionRoom = 192;
/// Room a section keeps for its closing lines and its "… N more" line.
constexpr size_t kFooterRoom = 96;

const char* Symbol(Action a) {
  switch (a) {
    case Action::kCreate: return "+";
    case Action::kUpdate: return "!";  // GitHub's diff highlighting colours "!" lines as changed
    case Action::kDelete: return "-";
  }
  return "?";
}

/// Text inside a fenced code block: a backtick run could close the fence.
std::string InCode(std::string s) {
  std::replace(s.begin(), s.end(), '`', '\'');
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

std::string Plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// What had to be left out, per section.
struct Cut {
  size_t findings = 0, access = 0, changes = 0, notes = 0;
  bool any() const { return findings || access || changes || notes; }
};

/// Appends `header`, then as many `rows` as fit below `limit`, then `footer`.
/// Returns how many rows were left out. A section none of whose rows fit is
/// left out whole, unless `keep_header`: then its header still says how many
/// changes it has. Outside a code block the "… N more" line needs a blank line
/// before it, or GitHub would read it as one more table row or list item.
size_t AppendSection(std::string& out, size_t limit, const std::string& header, const std::vector<std::string>& rows,
                     const std::string& footer, bool code_block = false, bool keep_header = false) {
  if (rows.empty()) return 0;
  size_t first = keep_header ? 0 : rows.front().size();
  if (out.size() + header.size() + first + kFooterRoom > limit) return rows.size();
  out += header;
  size_t shown = 0;
  for (const auto& row : rows) {
    if (out.size() + row.size() + kFooterRoom > limit) break;
    out += row;
    ++shown;
  }
  if (shown < rows.size())
    out += std::string(code_block ? "" : "\n") + "… and " + std::to_string(rows.size() - shown) + " more not shown\n";
  out += footer;
  return rows.size() - shown;
}

std::string AccessLine(const Plan& plan) {
  if (plan.access_changes.empty()) return plan.empty() ? "" : "Access: no one gains or loses access.\n\n";
  size_t n[4] = {0, 0, 0, 0}, privileged = 0;
  for (const auto& a : plan.access_changes) {
    ++n[static_cast<int>(a.change)];
    if ((a.gained() || a.change == AccessChangeKind::kEscalate) && IsPrivileged(a.privilege)) ++privileged;
  }
  std::string line = "Access: " + std::to_string(n[0]) + " gained, " + std::to_string(n[1]) + " removed";
  if (n[2]) line += ", **" + std::to_string(n[2]) + " escalated**";
  if (n[3]) line += ", " + std::to_string(n[3]) + " deescalated";
  if (privileged) line += ", **" + Plural(privileged, "privileged grant", "privileged grants") + "**";
  return line + ".\n\n";
}

std::vector<const Diagnostic*> SortedFindings(const std::vector<Diagnostic>& findings) {
  std::vector<const Diagnostic*> out;
  for (const auto& f : findings) out.push_back(&f);
  std::stable_sort(out.begin(), out.end(),
                   [](const Diagnostic* a, const Diagnostic* b) { return a->severity < b->severity; });
  return out;
}

std::string LintLine(const std::vector<Diagnostic>& about, const std::vector<Diagnostic>& rest) {
  size_t n[3] = {0, 0, 0};
  for (const auto* list : {&about, &rest})
    for (const auto& f : *list) ++n[static_cast<int>(f.severity)];
  return "Lint: " + Plural(n[0], "error", "errors") + ", " + Plural(n[1], "warning", "warnings") + ", " +
         Plural(n[2], "note", "notes") + ".\n\n";
}

std::string FindingRow(const Diagnostic& f) {
  const char* icon = f.severity == Severity::kError ? "❌" : f.severity == Severity::kWarning ? "⚠️" : "ℹ️";
  std::string where = f.span.file.empty() ? "" : " (`" + InCode(f.span.file) + ":" + std::to_string(f.span.line) + "`)";
  return std::string("- ") + icon + " **" + SeverityName(f.severity) + "** `" + InCode(f.code) + "` " +
         MarkdownEscape(f.message) + where + "\n";
}

const char* ChangeCell(AccessChangeKind k) {
  switch (k) {
    case AccessChangeKind::kGain: return "🟢 gains";
    case AccessChangeKind::kLose: return "🔴 loses";
    case AccessChangeKind::kEscalate: return "🔺 **escalates**";
    case AccessChangeKind::kDeescalate: return "🔻 deescalates";
  }
  return "";
}

std::string PrivilegeLabel(const std::string& p) {
  std::string s = MarkdownEscape(p.empty() ? "unknown" : p);
  return IsPrivileged(p) ? "**" + s + "**" : s;
}

/// "`iam:A`, `iam:B` and 3 more"
std::string FewActions(const std::vector<std::string>& actions) {
  constexpr size_t kShown = 4;
  std::string s;
  for (size_t i = 0; i < actions.size() && i < kShown; ++i) s += (i ? ", `" : "`") + InCode(actions[i]) + "`";
  if (actions.size() > kShown) s += " and " + std::to_string(actions.size() - kShown) + " more";
  return s;
}

/// "**admin**", or "read-only → **admin**<br>gains `iam:PassRole`, …"
std::string PrivilegeCell(const AccessChange& a) {
  if (!a.privilege_change()) return a.privilege.empty() ? "" : PrivilegeLabel(a.privilege);
  std::string s = PrivilegeLabel(a.privilege_before) + " → " + PrivilegeLabel(a.privilege);
  if (!a.notable_actions_gained.empty()) s += "<br>gains " + FewActions(a.notable_actions_gained);
  if (!a.notable_actions_lost.empty()) s += "<br>loses " + FewActions(a.notable_actions_lost);
  return s;
}

std::vector<std::string> FindingRows(const std::vector<Diagnostic>& findings) {
  std::vector<std::string> rows;
  for (const Diagnostic* f : SortedFindings(findings)) rows.push_back(FindingRow(*f));
  return rows;
}

/// The findings about the objects the plan changes, then the rest folded under a
/// <details>, in at most a third of what is left: access changes matter more.
/// Returns how many were left out.
size_t AppendFindings(std::string& out, size_t limit, const std::vector<Diagnostic>& about,
                      const std::vector<Diagnostic>& rest) {
  const std::string header = "#### Lint findings\n\n";
  size_t cap = std::min(limit, out.size() + (limit > out.size() ? (limit - out.size()) / 3 : 0));
  size_t cut = AppendSection(out, cap, header, FindingRows(about), "\n");
  if (rest.empty()) return cut;
  std::string fold = about.empty() ? header + "None about the objects this plan changes.\n\n" : "";
  fold += "<details><summary>" + Plural(rest.size(), "finding", "findings") +
          " about the rest of the configuration</summary>\n\n";
  return cut + AppendSection(out, cap, fold, FindingRows(rest), "\n</details>\n\n");
}

std::string AccessRow(const AccessChange& a) {
  std::string via;
  for (const auto& v : a.via) via += (via.empty() ? "" : ", ") + (v == "direct" || v == "everyone" ? v : "group " + v);
  std::string account = a.account_name.empty() || a.account_name == a.account_id
                            ? a.account_id
                            : a.account_name + " (" + a.account_id + ")";
  // An application has neither permission set nor account: it takes both cells.
  std::string what = a.application.empty() ? MarkdownEscape(a.permission_set) + " | " + MarkdownEscape(account)
                                           : "application " + MarkdownEscape(a.application) + " | —";
  return std::string("| ") + ChangeCell(a.change) + " | " + MarkdownEscape(a.user) + " | " + what + " | " +
         MarkdownEscape(via) + " | " + PrivilegeCell(a) + " |\n";
}

std::string TruncationNote(const Cut& cut, size_t max_chars) {
  std::vector<std::string> parts;
  if (cut.findings) parts.push_back(Plural(cut.findings, "lint finding", "lint findings"));
  if (cut.access) parts.push_back(Plural(cut.access, "access change", "access changes"));
  if (cut.changes) parts.push_back(Plural(cut.changes, "resource change", "resource changes"));
  if (cut.notes) parts.push_back(Plural(cut.notes, "note", "notes"));
  std::string list;
  for (size_t i = 0; i < parts.size(); ++i) list += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return "\n> **Truncated** to fit the " + std::to_string(max_chars) + "-character comment limit: " + list +
         (parts.size() == 1 && cut.findings + cut.access + cut.changes + cut.notes == 1 ? " is" : " are") +
         " not shown. The saved plan (`gatehouse plan --out plan.json`) and `gatehouse plan` have everything.\n";
}

}  // namespace

std::string RenderPlanMarkdown(const Plan& plan, const MarkdownOptions& opt) {
  const size_t max = std::max<size_t>(opt.max_chars, 1024);
  const size_t limit = max - kNoteRoom;
  std::string out;
  if (!opt.marker.empty()) out += "<!-- " + opt.marker + " -->\n";
  out += "### " + MarkdownEscape(opt.title) + "\n\n" + PlanScopeLine(plan, SummaryStyle::kMarkdown) +
         PlanSummaryLine(plan, SummaryStyle::kMarkdown) + AccessLine(plan);
  static const std::vector<Diagnostic> kNone;
  const std::vector<Diagnostic>& about = opt.findings ? *opt.findings : kNone;
  const std::vector<Diagnostic>& rest = opt.other_findings ? *opt.other_findings : kNone;
  if (!about.empty() || !rest.empty()) out += LintLine(about, rest);
  if (!opt.intro.empty()) out += opt.intro + "\n\n";
  Cut cut;
  cut.findings = AppendFindings(out, limit, about, rest);

  // Access changes arrive privileged first, so truncation drops the least important.
  if (!plan.access_changes.empty()) {
    std::vector<std::string> rows;
    for (const auto& a : plan.access_changes) rows.push_back(AccessRow(a));
    size_t cap = plan.empty() || limit < kResourceRoom ? limit : limit - kResourceRoom;
    cut.access = AppendSection(out, cap,
                               "#### Access changes\n\n| change | user | permission set | account | via | privilege |\n"
                               "|---|---|---|---|---|---|\n",
                               rows, "\n");
  }

  // One collapsible section per kind of object; each keeps room for the
  // headers of the kinds after it, so every kind at least says its count.
  const ObjectKind kinds[] = {
      ObjectKind::kUser,       ObjectKind::kGroup,       ObjectKind::kMembership,           ObjectKind::kPermissionSet,
      ObjectKind::kAssignment, ObjectKind::kApplication, ObjectKind::kApplicationAssignment};
  std::vector<std::vector<std::string>> rows(std::size(kinds));
  for (size_t i = 0; i < plan.operations.size(); ++i) {
    const Operation& op = plan.operations[i];
    size_t k = std::find(std::begin(kinds), std::end(kinds), op.kind) - std::begin(kinds);
    if (k == std::size(kinds)) continue;
    std::string note = opt.annotations && i < opt.annotations->size() ? (*opt.annotations)[i] : "";
    rows[k].push_back(std::string(Symbol(op.action)) + " " + InCode(op.name) +
                      (op.reason.empty() ? "" : "  # " + InCode(op.reason)) + "\n" +
                      (note.empty() ? "" : "    # " + InCode(note) + "\n"));
  }
  for (size_t k = 0; k < std::size(kinds); ++k) {
    size_t later = 0;
    for (size_t j = k + 1; j < std::size(kinds); ++j) later += rows[j].empty() ? 0 : kSectionRoom;
    std::string header = "<details><summary>" + std::string(ObjectKindName(kinds[k])) + ": " +
                         Plural(rows[k].size(), "change", "changes") + "</summary>\n\n```diff\n";
    size_t cap = limit > later ? limit - later : 0;
    cut.changes += AppendSection(out, cap, header, rows[k], "```\n</details>\n\n", true, true);
  }

  std::vector<std::string> notes;
  for (const auto& n : plan.notes) notes.push_back("> note: " + MarkdownEscape(n) + "\n");
  cut.notes = AppendSection(out, limit, "", notes, "");

  if (cut.any()) out += TruncationNote(cut, opt.max_chars);
  return out;
}

}  // namespace gatehouse
