#include "views/access_view.h"

#include <set>
#include <sstream>

#include "views/access_html.h"
#include "views/json_text.h"
#include "views/plan_markdown.h"

namespace gatehouse {

/// A CSV field. A leading = + - @ would make a spreadsheet run the cell as a
/// formula, so such a field is quoted with a leading apostrophe.
std::string CsvField(const std::string& s) {
  std::string v = !s.empty() && std::string("=+-@").find(s[0]) != std::string::npos ? "'" + s : s;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string AccountLabel(const std::string& name, const std::string& id) {
  return name.empty() || name == id ? id : name + " (" + id + ")";
}

std::string AccountLabel(const AccessEntry& e) { return AccountLabel(e.account_name, e.account_id); }

namespace {

template <class Entry>
std::string Via(const Entry& e, const char* sep) {
  std::string s;
  for (const auto& v : e.via) s += (s.empty() ? "" : sep) + v;
  return s;
}

std::string Csv(const std::string& s) { return CsvField(s); }

std::string Account(const AccessEntry& e) { return AccountLabel(e); }

using Apps = std::vector<ApplicationAccessEntry>;

void AppendJsonEntry(std::string* b, const AccessEntry& e) {
  *b += "    {\n      \"account_id\": ";
  AppendJsonString(b, e.account_id);
  *b += ",\n      \"account_name\": ";
  AppendJsonString(b, e.account_name);
  *b += ",\n      \"permission_set\": ";
  AppendJsonString(b, e.permission_set);
  *b += ",\n      \"privilege\": ";
  if (e.privilege.empty())
    *b += "null";
  else
    AppendJsonString(b, e.privilege);
  *b += ",\n      \"user\": ";
  AppendJsonString(b, e.user);
}

void AppendJsonApplication(std::string* b, const ApplicationAccessEntry& e) {
  *b += "    {\n      \"application\": ";
  AppendJsonString(b, e.application);
  *b += ",\n      \"user\": ";
  AppendJsonString(b, e.user);
}

/// The `via` list that closes an entry object.
template <class Entry>
void AppendJsonVia(std::string* b, const Entry& e) {
  *b += ",\n      \"via\": [";
  for (size_t i = 0; i < e.via.size(); ++i) {
    *b += i ? ",\n        " : "\n        ";
    AppendJsonString(b, e.via[i]);
  }
  *b += e.via.empty() ? "]\n    }" : "\n      ]\n    }";
}

/// One array of entry objects, flushed to `o` every 64 KiB.
template <class Entry, class Fields>
void StreamJsonArray(const std::vector<Entry>& entries, Fields fields, std::string& b, std::ostream& o) {
  b += entries.empty() ? "[]" : "[\n";
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) b += ",\n";
    fields(&b, entries[i]);
    AppendJsonVia(&b, entries[i]);
    if (b.size() >= 64 * 1024) {
      o << b;
      b.clear();
    }
  }
  if (!entries.empty()) b += "\n  ]";
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

/// The access JSON (schemas/access.schema.json) as nlohmann's dump(2) would
/// print it — keys sorted, two-space indent — written as it goes: the 1.7
/// million grants of a large organization are never one document in memory.
void StreamJson(const AccessView& v, std::ostream& o) {
  std::string b = "{\n  \"access\": ";
  StreamJsonArray(*v.entries, AppendJsonEntry, b, o);
  if (!AppsOf(v).empty()) {
    b += ",\n  \"applications\": ";
    StreamJsonArray(AppsOf(v), AppendJsonApplication, b, o);
  }
  b += ",\n  \"format_version\": \"1\"\n}\n";
  o << b;
}

void StreamHtml(const AccessView& v, std::ostream& o) { o << RenderAccessHtml(*v.entries, v.source, AppsOf(v)); }
void StreamCsv(const AccessView& v, std::ostream& o) { o << RenderCsv(*v.entries, AppsOf(v)); }
void StreamMarkdown(const AccessView& v, std::ostream& o) { o << RenderMarkdown(*v.entries, v.source, AppsOf(v)); }
void StreamText(const AccessView& v, std::ostream& o) { o << RenderText(*v.entries, v.source, AppsOf(v)); }

constexpr ViewRow<AccessView, StreamRenderer<AccessView>> kAccessViews[] = {
    {"text", StreamText}, {"csv", StreamCsv}, {"json", StreamJson}, {"markdown", StreamMarkdown}, {"html", StreamHtml},
};

}  // namespace

std::vector<std::string> AccessFormats() { return FormatNames(kAccessViews); }

StreamRenderer<AccessView> PickAccessView(const std::string& format) { return PickRenderer(kAccessViews, format); }

std::string RenderAccessView(const std::string& format, const AccessView& view) {
  std::ostringstream o;
  PickAccessView(format)(view, o);
  return o.str();
}

}  // namespace gatehouse
