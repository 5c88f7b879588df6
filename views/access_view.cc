#include "views/access_view.h"

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "views/access_html.h"
#include "views/plan_markdown.h"

namespace gatehouse {

namespace {

template <class Entry>
std::string Via(const Entry& e, const char* sep) {
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

using Apps = std::vector<ApplicationAccessEntry>;

std::string RenderJson(const std::vector<AccessEntry>& entries, const Apps& apps) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries)
    list.push_back({{"user", e.user},
                    {"account_id", e.account_id},
                    {"account_name", e.account_name},
                    {"permission_set", e.permission_set},
                    {"via", e.via},
                    {"privilege", e.privilege.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.privilege)}});
  nlohmann::json doc = {{"format_version", "1"}, {"access", list}};
  for (const auto& e : apps)
    doc["applications"].push_back({{"user", e.user}, {"application", e.application}, {"via", e.via}});
  return doc.dump(2) + "\n";
}

/// With applications, a last `application` column: their rows leave the
/// account and permission set columns empty.
std::string RenderCsv(const std::vector<AccessEntry>& entries, const Apps& apps) {
  std::ostringstream o;
  std::string app_column = apps.empty() ? "" : ",";
  o << "user,account_id,account_name,permission_set,via,privilege" << (apps.empty() ? "" : ",application") << "\n";
  for (const auto& e : entries)
    o << Csv(e.user) << "," << Csv(e.account_id) << "," << Csv(e.account_name) << "," << Csv(e.permission_set) << ","
      << Csv(Via(e, ";")) << "," << Csv(e.privilege) << app_column << "\n";
  for (const auto& e : apps) o << Csv(e.user) << ",,,," << Csv(Via(e, ";")) << ",," << Csv(e.application) << "\n";
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

std::string MarkdownApplications(const Apps& apps) {
  if (apps.empty()) return "";
  std::string o = "\n#### Applications\n\n| user | application | via |\n|---|---|---|\n";
  for (const auto& e : apps)
    o += "| " + MarkdownEscape(e.user) + " | " + MarkdownEscape(e.application) + " | " + MarkdownEscape(Via(e, ", ")) +
         " |\n";
  return o;
}

std::string RenderMarkdown(const std::vector<AccessEntry>& entries, const std::string& source, const Apps& apps) {
  std::ostringstream o;
  o << "### Access (" << source << ")\n\n" << Summary(entries, source) << "\n\n";
  if (entries.empty()) return o.str() + MarkdownApplications(apps);
  o << "| user | account | permission set | via | privilege |\n|---|---|---|---|---|\n";
  for (const auto& e : entries) {
    std::string privilege = MarkdownEscape(e.privilege);
    if (IsPrivileged(e.privilege)) privilege = "**" + privilege + "**";
    o << "| " << MarkdownEscape(e.user) << " | " << MarkdownEscape(Account(e)) << " | "
      << MarkdownEscape(e.permission_set) << " | " << MarkdownEscape(Via(e, ", ")) << " | " << privilege << " |\n";
  }
  return o.str() + MarkdownApplications(apps);
}

std::string TextApplications(const Apps& apps) {
  if (apps.empty()) return "";
  std::string o = "\nApplications:\n";
  for (const auto& e : apps) o += "  " + e.user + "  " + e.application + "  via " + Via(e, ", ") + "\n";
  return o;
}

std::string RenderText(const std::vector<AccessEntry>& entries, const std::string& source, const Apps& apps) {
  if (entries.empty()) return "No access found in the " + source + ".\n" + TextApplications(apps);
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
  return o.str() + TextApplications(apps);
}

}  // namespace

namespace {

const Apps& AppsOf(const AccessView& v) {
  static const Apps kNone;
  return v.applications ? *v.applications : kNone;
}

std::string RenderHtml(const AccessView& v) { return RenderAccessHtml(*v.entries, v.source, AppsOf(v)); }
std::string RenderJsonView(const AccessView& v) { return RenderJson(*v.entries, AppsOf(v)); }
std::string RenderCsvView(const AccessView& v) { return RenderCsv(*v.entries, AppsOf(v)); }
std::string RenderMarkdownView(const AccessView& v) { return RenderMarkdown(*v.entries, v.source, AppsOf(v)); }
std::string RenderTextView(const AccessView& v) { return RenderText(*v.entries, v.source, AppsOf(v)); }

constexpr ViewRow<AccessView> kAccessViews[] = {
    {"text", RenderTextView},         {"csv", RenderCsvView}, {"json", RenderJsonView},
    {"markdown", RenderMarkdownView}, {"html", RenderHtml},
};

}  // namespace

std::vector<std::string> AccessFormats() { return FormatNames(kAccessViews); }

Renderer<AccessView> PickAccessView(const std::string& format) { return PickRenderer(kAccessViews, format); }

}  // namespace gatehouse
