#include "runtime/access_report.h"

#include "compiler/text.h"

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "compiler/diagnostics.h"
#include "compiler/plan_markdown.h"
#include "runtime/access_html.h"

namespace gatehouse {

namespace {

bool Matches(const std::string& wanted, const std::string& value) {
  return wanted.empty() || AsciiLower(wanted) == AsciiLower(value);
}

std::string Via(const AccessEntry& e, const char* sep) {
  std::string s;
  for (const auto& v : e.via) s += (s.empty() ? "" : sep) + v;
  return s;
}

/// A CSV field. A leading = + - @ would make a spreadsheet run the cell as a
/// formula, so such a field is quoted with a leading apostrophe.
std::string Csv(const std::string& s) {
  std::string v = !s.empty() && std::string("=+-@").find(s[0]) != std::string::npos ? "'" + s : s;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Account(const AccessEntry& e) {
  return e.account_name.empty() || e.account_name == e.account_id ? e.account_id
                                                                  : e.account_name + " (" + e.account_id + ")";
}

std::string RenderJson(const std::vector<AccessEntry>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries)
    list.push_back({{"user", e.user},
                    {"account_id", e.account_id},
                    {"account_name", e.account_name},
                    {"permission_set", e.permission_set},
                    {"via", e.via},
                    {"privilege", e.privilege.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.privilege)}});
  return nlohmann::json{{"format_version", "1"}, {"access", list}}.dump(2) + "\n";
}

std::string RenderCsv(const std::vector<AccessEntry>& entries) {
  std::ostringstream o;
  o << "user,account_id,account_name,permission_set,via,privilege\n";
  for (const auto& e : entries)
    o << Csv(e.user) << "," << Csv(e.account_id) << "," << Csv(e.account_name) << "," << Csv(e.permission_set) << ","
      << Csv(Via(e, ";")) << "," << Csv(e.privilege) << "\n";
  return o.str();
}

std::string Summary(const std::vector<AccessEntry>& entries, const std::string& source) {
  std::set<std::string> users, accounts;
  size_t privileged = 0;
  for (const auto& e : entries) {
    users.insert(e.user);
    accounts.insert(e.account_id);
    if (IsPrivileged(e.privilege)) ++privileged;
  }
  return std::to_string(entries.size()) + " access path(s): " + std::to_string(users.size()) + " user(s), " +
         std::to_string(accounts.size()) + " account(s), " + std::to_string(privileged) + " privileged, in the " +
         source + ".";
}

std::string RenderMarkdown(const std::vector<AccessEntry>& entries, const std::string& source) {
  std::ostringstream o;
  o << "### Access (" << source << ")\n\n" << Summary(entries, source) << "\n\n";
  if (entries.empty()) return o.str();
  o << "| user | account | permission set | via | privilege |\n|---|---|---|---|---|\n";
  for (const auto& e : entries) {
    std::string privilege = MarkdownEscape(e.privilege);
    if (IsPrivileged(e.privilege)) privilege = "**" + privilege + "**";
    o << "| " << MarkdownEscape(e.user) << " | " << MarkdownEscape(Account(e)) << " | "
      << MarkdownEscape(e.permission_set) << " | " << MarkdownEscape(Via(e, ", ")) << " | " << privilege << " |\n";
  }
  return o.str();
}

std::string RenderText(const std::vector<AccessEntry>& entries, const std::string& source) {
  if (entries.empty()) return "No access found in the " + source + ".\n";
  std::ostringstream o;
  std::string last_user;
  for (const auto& e : entries) {
    if (e.user != last_user) o << e.user << "\n";
    last_user = e.user;
    o << "  " << Account(e) << "  " << e.permission_set << "  via " << Via(e, ", ");
    if (!e.privilege.empty()) o << "  [" << e.privilege << (IsPrivileged(e.privilege) ? ", privileged" : "") << "]";
    o << "\n";
  }
  o << "\n" << Summary(entries, source) << "\n";
  return o.str();
}

template <typename Map>
std::vector<std::string> Keys(const Map& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

std::string Unknown(const std::string& what, const std::string& name, const std::string& source,
                    const std::vector<std::string>& candidates) {
  std::string hint = DidYouMean(name, candidates);
  return what + " '" + name + "' is not in the " + source + (hint.empty() ? "" : "; " + hint);
}

}  // namespace

std::vector<AccessEntry> FilterAccess(std::vector<AccessEntry> entries, const AccessFilter& f) {
  std::vector<AccessEntry> out;
  for (auto& e : entries) {
    if (!Matches(f.user, e.user)) continue;
    if (!Matches(f.account, e.account_id) && !Matches(f.account, e.account_name)) continue;
    if (!Matches(f.permission_set, e.permission_set)) continue;
    out.push_back(std::move(e));
  }
  return out;
}

std::string CheckAccessFilter(const DirectoryState& s, const AccessFilter& f, const std::string& source) {
  auto has = [](const std::vector<std::string>& names, const std::string& wanted) {
    for (const auto& n : names)
      if (Matches(wanted, n)) return true;
    return false;
  };
  if (!f.user.empty()) {
    auto names = Keys(s.users);
    for (const auto& m : s.memberships) names.push_back(m.user);
    if (!has(names, f.user)) return Unknown("user", f.user, source, Keys(s.users));
  }
  if (!f.account.empty()) {
    std::vector<std::string> names;
    for (const auto& [id, a] : s.accounts) {
      names.push_back(id);
      if (!a.name.empty()) names.push_back(a.name);
    }
    if (!has(names, f.account)) return Unknown("account", f.account, source, names);
  }
  if (!f.permission_set.empty() && !has(Keys(s.permission_sets), f.permission_set))
    return Unknown("permission set", f.permission_set, source, Keys(s.permission_sets));
  return "";
}

std::string RenderAccess(const std::vector<AccessEntry>& entries, const std::string& format,
                         const std::string& source) {
  if (format == "json") return RenderJson(entries);
  if (format == "csv") return RenderCsv(entries);
  if (format == "markdown") return RenderMarkdown(entries, source);
  if (format == "html") return RenderAccessHtml(entries, source);
  return RenderText(entries, source);
}

}  // namespace gatehouse
