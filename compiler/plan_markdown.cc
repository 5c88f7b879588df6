#include "compiler/plan_markdown.h"

#include <algorithm>

#include "compiler/access.h"

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
    case Action::kReplace: return "-/+";
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

std::string SummaryLine(const Plan& plan) {
  if (plan.empty()) return "**No changes.** The live directory matches the configuration.\n\n";
  PlanSummary s = Summarize(plan);
  return "**" + std::to_string(s.create) + " to create, " + std::to_string(s.update) + " to update, " +
         std::to_string(s.del) + " to delete, " + std::to_string(s.replace) + " to replace.**\n\n";
}

std::string AccessLine(const Plan& plan) {
  if (plan.access_changes.empty()) return plan.empty() ? "" : "Access: no one gains or loses access.\n\n";
  size_t gains = 0, losses = 0, privileged = 0;
  for (const auto& a : plan.access_changes) {
    (a.gained ? gains : losses)++;
    if (a.gained && IsPrivileged(a.privilege)) ++privileged;
  }
  std::string line = "Access: " + std::to_string(gains) + " gained, " + std::to_string(losses) + " removed";
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

std::string LintLine(const std::vector<Diagnostic>& findings) {
  size_t n[3] = {0, 0, 0};
  for (const auto& f : findings) ++n[static_cast<int>(f.severity)];
  return "Lint: " + Plural(n[0], "error", "errors") + ", " + Plural(n[1], "warning", "warnings") + ", " +
         Plural(n[2], "note", "notes") + ".\n\n";
}

std::string FindingRow(const Diagnostic& f) {
  const char* icon = f.severity == Severity::kError ? "❌" : f.severity == Severity::kWarning ? "⚠️" : "ℹ️";
  std::string where = f.span.file.empty() ? "" : " (`" + InCode(f.span.file) + ":" + std::to_string(f.span.line) + "`)";
  return std::string("- ") + icon + " **" + SeverityName(f.severity) + "** `" + InCode(f.code) + "` " +
         MarkdownEscape(f.message) + where + "\n";
}

std::string AccessRow(const AccessChange& a) {
  std::string via;
  for (const auto& v : a.via) via += (via.empty() ? "" : ", ") + (v == "direct" ? std::string("direct") : "group " + v);
  std::string account = a.account_name.empty() || a.account_name == a.account_id
                            ? a.account_id
                            : a.account_name + " (" + a.account_id + ")";
  std::string privilege = MarkdownEscape(a.privilege);
  if (IsPrivileged(a.privilege)) privilege = "**" + privilege + "**";
  return std::string("| ") + (a.gained ? "🟢 gains" : "🔴 loses") + " | " + MarkdownEscape(a.user) + " | " +
         MarkdownEscape(a.permission_set) + " | " + MarkdownEscape(account) + " | " + MarkdownEscape(via) + " | " +
         privilege + " |\n";
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
  out += "### " + MarkdownEscape(opt.title) + "\n\n" + SummaryLine(plan) + AccessLine(plan);
  bool have_findings = opt.findings && !opt.findings->empty();
  if (have_findings) out += LintLine(*opt.findings);
  if (!opt.intro.empty()) out += opt.intro + "\n\n";
  Cut cut;

  // Lint findings take at most a third of what is left: access changes matter more.
  if (have_findings) {
    std::vector<std::string> rows;
    for (const Diagnostic* f : SortedFindings(*opt.findings)) rows.push_back(FindingRow(*f));
    size_t cap = out.size() + (limit > out.size() ? (limit - out.size()) / 3 : 0);
    cut.findings = AppendSection(out, std::min(cap, limit), "#### Lint findings\n\n", rows, "\n");
  }

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
  const ObjectKind kinds[] = {ObjectKind::kUser, ObjectKind::kGroup, ObjectKind::kMembership,
                              ObjectKind::kPermissionSet, ObjectKind::kAssignment};
  std::vector<std::vector<std::string>> rows(std::size(kinds));
  for (const auto& op : plan.operations) {
    size_t k = std::find(std::begin(kinds), std::end(kinds), op.kind) - std::begin(kinds);
    if (k == std::size(kinds)) continue;
    rows[k].push_back(std::string(Symbol(op.action)) + " " + InCode(op.name) +
                      (op.reason.empty() ? "" : "  # " + InCode(op.reason)) + "\n");
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
