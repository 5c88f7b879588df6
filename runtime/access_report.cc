#include "runtime/access_report.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "compiler/plan_markdown.h"
#include "runtime/access_html.h"

namespace gatehouse {

std::vector<AccessEntry> FilterAccess(std::vector<AccessEntry> entries, const AccessFilter& f) {
  std::vector<AccessEntry> out;
  for (auto& e : entries) {
    if (!f.user.empty() && e.user != f.user) continue;
    if (!f.account.empty() && e.account_id != f.account && e.account_name != f.account) continue;
    if (!f.permission_set.empty() && e.permission_set != f.permission_set) continue;
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

std::string Via(const AccessEntry& e, const char* sep) {
  std::string s;
  for (const auto& v : e.via) s += (s.empty() ? "" : sep) + v;
  return s;
}

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string RenderAccess(const std::vector<AccessEntry>& entries, const std::string& format, const std::string& source) {
  std::ostringstream o;
  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : entries) {
      nlohmann::json j = {{"user", e.user},
                          {"account_id", e.account_id},
                          {"account_name", e.account_name},
                          {"permission_set", e.permission_set},
                          {"via", e.via}};
      if (!e.privilege.empty()) j["privilege"] = e.privilege;
      list.push_back(j);
    }
    return nlohmann::json{{"format_version", "1"}, {"access", list}}.dump(2) + "\n";
  }
  if (format == "csv") {
    o << "user,account_id,account_name,permission_set,via,privilege\n";
    for (const auto& e : entries)
      o << Csv(e.user) << "," << e.account_id << "," << Csv(e.account_name) << "," << Csv(e.permission_set) << ","
        << Csv(Via(e, ";")) << "," << e.privilege << "\n";
    return o.str();
  }
  if (format == "markdown") {
    o << "### Access (" << source << ")\n\n| user | account | permission set | via | privilege |\n|---|---|---|---|---|\n";
    for (const auto& e : entries)
      o << "| " << MarkdownEscape(e.user) << " | " << MarkdownEscape(e.account_name) << " (" << e.account_id << ") | "
        << MarkdownEscape(e.permission_set) << " | " << MarkdownEscape(Via(e, ", ")) << " | " << e.privilege << " |\n";
    return o.str();
  }
  if (format == "html") return RenderAccessHtml(entries, source);
  if (entries.empty()) return "No access found in the " + source + ".\n";
  std::string last_user;
  for (const auto& e : entries) {
    if (e.user != last_user) o << e.user << "\n";
    last_user = e.user;
    o << "  " << e.account_name << " (" << e.account_id << ")  " << e.permission_set << "  via " << Via(e, ", ");
    if (!e.privilege.empty()) o << "  [" << e.privilege << "]";
    o << "\n";
  }
  o << "\n" << entries.size() << " access path(s) in the " << source << ".\n";
  return o.str();
}

}  // namespace gatehouse
