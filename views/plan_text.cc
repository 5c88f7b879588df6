#include "views/plan_text.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "compiler/access.h"
#include "compiler/state_json.h"
#include "views/color.h"
#include "views/plan_summary.h"

namespace gatehouse {

using nlohmann::json;

namespace {

const char* Symbol(Action a) {
  switch (a) {
    case Action::kCreate: return "+";
    case Action::kUpdate: return "~";
    case Action::kDelete: return "-";
  }
  return "?";
}

std::string Show(const json& v) {
  if (!v.is_string()) return v.dump();
  // Appended, not `"\"" + s + "\""`: GCC 12 warns falsely (-Wrestrict) on that once inlined here.
  std::string quoted = "\"";
  quoted += v.get_ref<const std::string&>();
  quoted += '"';
  return quoted;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

/// An inline policy as indented JSON lines, so reviewers read statements, not one long string.
std::vector<std::string> PolicyLines(const json& v) {
  if (!v.is_string()) return {};
  json doc = json::parse(v.get<std::string>(), nullptr, false);
  return SplitLines(doc.is_discarded() ? v.get<std::string>() : doc.dump(2));
}

/// A line diff (longest common subsequence) of two short texts: " ", "-" or "+" per line.
std::vector<std::pair<char, std::string>> LineDiff(const std::vector<std::string>& a,
                                                   const std::vector<std::string>& b) {
  size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> lcs(n + 1, std::vector<size_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<std::pair<char, std::string>> out;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.push_back({' ', a[i++]});
      ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push_back({'-', a[i++]});
    } else {
      out.push_back({'+', b[j++]});
    }
  }
  return out;
}

void Fields(std::ostringstream& o, const Operation& op) {
  json before = op.before ? ObjectToJson(*op.before) : json::object();
  json after = op.after ? ObjectToJson(*op.after) : json::object();
  for (const char* hidden : {"id", "arn", "outdated_accounts"}) {
    before.erase(hidden);
    after.erase(hidden);
  }
  auto empty = [](const json& v) {
    return v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()) ||
           (v.is_object() && v.empty());
  };
  if (op.action == Action::kCreate) {
    for (auto& [k, v] : after.items()) {
      if (empty(v)) continue;
      if (k == "inline_policy") {
        o << "      inline_policy =\n";
        for (const auto& l : PolicyLines(v)) o << "          " << l << "\n";
        continue;
      }
      o << "      " << k << " = " << Show(v) << "\n";
    }
  } else if (op.action == Action::kUpdate) {
    for (auto& [k, v] : after.items()) {
      if (before[k] == v) continue;
      if (k == "inline_policy" && v.is_string() && before[k].is_string()) {
        // Changed lines with three lines of context, as a unified diff shows them.
        o << "      inline_policy:\n";
        auto diff = LineDiff(PolicyLines(before[k]), PolicyLines(v));
        std::vector<bool> show(diff.size(), false);
        for (size_t d = 0; d < diff.size(); ++d)
          if (diff[d].first != ' ')
            for (size_t c = d > 3 ? d - 3 : 0; c < std::min(diff.size(), d + 4); ++c) show[c] = true;
        bool gap = false;
        for (size_t d = 0; d < diff.size(); ++d) {
          if (!show[d]) {
            if (!gap) o << "          ...\n";
            gap = true;
            continue;
          }
          gap = false;
          o << "        " << diff[d].first << " " << diff[d].second << "\n";
        }
        continue;
      }
      o << "      " << k << ": " << Show(before[k]) << " -> " << Show(v) << "\n";
    }
  }
}

/// "+ " gained, "- " lost, "! " more powerful, "~ " less powerful.
const char* AccessSymbol(AccessChangeKind k) {
  switch (k) {
    case AccessChangeKind::kGain: return "+ ";
    case AccessChangeKind::kLose: return "- ";
    case AccessChangeKind::kEscalate: return "! ";
    case AccessChangeKind::kDeescalate: return "~ ";
  }
  return "  ";
}

/// Gains green, losses red; a change in power over kept access yellow, as an update.
Color AccessColor(AccessChangeKind k) {
  if (k == AccessChangeKind::kGain) return Color::kGreen;
  return k == AccessChangeKind::kLose ? Color::kRed : Color::kYellow;
}

}  // namespace

std::string RenderPlanText(const Plan& plan, const TextOptions& opt) {
  std::ostringstream o;
  o << PlanScopeLine(plan, SummaryStyle::kText);
  const char* reset = Ansi(Color::kReset, opt.color);
  for (size_t i = 0; i < plan.operations.size(); ++i) {
    const Operation& op = plan.operations[i];
    o << Ansi(ActionColor(op.action), opt.color) << "  " << Symbol(op.action) << " " << ObjectKindName(op.kind) << " "
      << op.name << reset;
    if (!op.reason.empty()) o << "  # " << op.reason;
    if (opt.accounts && op.kind == ObjectKind::kAssignment) {
      const auto& a = std::get<Assignment>(op.value());
      auto it = opt.accounts->find(a.account_id);
      if (it != opt.accounts->end() && it->second.name != a.account_id) o << "  # account " << it->second.name;
    }
    o << "\n";
    if (opt.annotations && i < opt.annotations->size() && !(*opt.annotations)[i].empty())
      o << "      # " << (*opt.annotations)[i] << "\n";
    if (op.kind != ObjectKind::kAssignment && op.kind != ObjectKind::kMembership &&
        op.kind != ObjectKind::kApplicationAssignment)
      Fields(o, op);
  }
  if (!plan.access_changes.empty()) {
    o << "\nAccess changes:\n";
    for (const auto& a : plan.access_changes)
      o << "  " << Ansi(AccessColor(a.change), opt.color) << AccessSymbol(a.change) << reset << DescribeAccessChange(a)
        << "\n";
  }
  for (const auto& n : plan.notes) o << "\nnote: " << n;
  if (!plan.notes.empty()) o << "\n";
  o << "\n" << PlanSummaryLine(plan, SummaryStyle::kText) << "\n";
  return o.str();
}

}  // namespace gatehouse
