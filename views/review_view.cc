#include "views/review_view.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

#include "views/access_view.h"
#include "views/plan_markdown.h"
#include "views/review_html.h"

namespace gatehouse {

std::string ReviewVia(const std::string& via) { return via == "direct" || via == "everyone" ? via : "group:" + via; }

std::string GrantedLabel(const std::optional<Provenance>& granted, bool subject) {
  if (!granted) return "unknown";
  const Provenance& p = *granted;
  return p.commit.substr(0, 7) + " " + p.date.substr(0, 10) + " " + p.author + (subject ? ": " + p.subject : "");
}

std::string LastUsedLabel(const Review& r, const ReviewEntry& e) {
  if (!r.has_events) return "-";
  return e.last_used.empty() ? "never" : e.last_used;
}

std::string ReviewSummaryLine(const Review& r) {
  std::string s = std::to_string(r.summary.grants) + " grant(s)";
  if (!r.has_events) return s + ", no source of events (--cloudtrail): usage unknown";
  return s + ": " + std::to_string(r.summary.used) + " used, " + std::to_string(r.summary.remove) + " to remove, " +
         std::to_string(r.summary.too_new) + " too new; " + std::to_string(r.unused_assignments.size()) +
         " unused assignment(s)";
}

std::string EvidenceLine(const Review& r) {
  const EvidenceSummary& e = r.evidence;
  if (e.sources.empty()) return "none";
  std::string s;
  for (const auto& src : e.sources) s += (s.empty() ? "" : ", ") + src;
  return s + " (" + std::to_string(e.records_read) + " records read, " + std::to_string(e.usage_events) +
         " usage events, " + std::to_string(e.unmatched) + " unmatched, " + std::to_string(e.files_skipped) +
         " files skipped)";
}

namespace {

template <typename Entry>
std::string Via(const Entry& e, const char* sep) {
  std::string s;
  for (const auto& v : e.via) s += (s.empty() ? "" : sep) + ReviewVia(v);
  return s;
}

nlohmann::json OrNull(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json GrantedJson(const std::optional<Provenance>& g) {
  if (!g) return nullptr;
  return {{"commit", g->commit}, {"date", g->date}, {"author", g->author}, {"subject", g->subject}};
}

template <typename Entry>
nlohmann::json ViaJson(const Entry& e) {
  nlohmann::json via = nlohmann::json::array();
  for (const auto& v : e.via) via.push_back(ReviewVia(v));
  return via;
}

/// An application's use: no usage is measured, so last_used, uses and recommendation are null.
nlohmann::json ApplicationJson(const ApplicationReviewEntry& re) {
  return {{"user", re.access.user},    {"application", re.access.application},
          {"via", ViaJson(re.access)}, {"last_used", nullptr},
          {"uses", nullptr},           {"granted", GrantedJson(re.granted)},
          {"recommendation", nullptr}};
}

nlohmann::json EntryJson(const Review& r, const ReviewEntry& re) {
  const AccessEntry& e = re.access;
  nlohmann::json via = ViaJson(e), granted = GrantedJson(re.granted);
  return {{"user", e.user},
          {"account_id", e.account_id},
          {"account_name", e.account_name},
          {"permission_set", e.permission_set},
          {"via", via},
          {"privilege", OrNull(e.privilege)},
          {"last_used", OrNull(re.last_used)},
          {"uses", r.has_events ? nlohmann::json(re.uses) : nlohmann::json(nullptr)},
          {"granted", granted},
          {"recommendation", OrNull(re.recommendation)}};
}

nlohmann::json EvidenceJson(const EvidenceSummary& e) {
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : e.skipped) skipped.push_back({{"path", s.path}, {"reason", s.reason}});
  return {{"sources", e.sources},     {"records_read", e.records_read},   {"usage_events", e.usage_events},
          {"unmatched", e.unmatched}, {"files_skipped", e.files_skipped}, {"skipped_files", skipped}};
}

std::string RenderJson(const ReviewView& v) {
  const Review& r = *v.review;
  nlohmann::json entries = nlohmann::json::array(), unused = nlohmann::json::array();
  for (const auto& e : r.entries) entries.push_back(EntryJson(r, e));
  for (const auto& u : r.unused_assignments)
    unused.push_back({{"principal", u.principal},
                      {"permission_set", u.permission_set},
                      {"account_id", u.account_id},
                      {"account_name", u.account_name},
                      {"members", u.members}});
  nlohmann::json doc = {{"format_version", "1"},
                        {"window", {{"from", r.window.from}, {"to", r.window.to}}},
                        {"evidence", EvidenceJson(r.evidence)},
                        {"entries", entries},
                        {"unused_assignments", unused},
                        {"summary",
                         {{"grants", r.summary.grants},
                          {"used", r.summary.used},
                          {"remove", r.summary.remove},
                          {"too_new", r.summary.too_new}}},
                        {"notes", r.notes}};
  if (!r.applications.empty()) {
    doc["applications"] = nlohmann::json::array();
    for (const auto& a : r.applications) doc["applications"].push_back(ApplicationJson(a));
  }
  return doc.dump(2) + "\n";
}

std::string RenderCsv(const ReviewView& v) {
  const Review& r = *v.review;
  std::ostringstream o;
  o << "user,account_id,account_name,permission_set,via,privilege,last_used,uses,granted_commit,granted_date,"
       "granted_author,granted_subject,recommendation"
    << (r.applications.empty() ? "" : ",application") << "\n";
  for (const auto& re : r.entries) {
    const AccessEntry& e = re.access;
    const Provenance p = re.granted.value_or(Provenance{});
    for (const std::string& f : {e.user, e.account_id, e.account_name, e.permission_set, Via(e, ";"), e.privilege,
                                 re.last_used, r.has_events ? std::to_string(re.uses) : std::string()})
      o << CsvField(f) << ",";
    o << CsvField(p.commit) << "," << CsvField(p.date) << "," << CsvField(p.author) << "," << CsvField(p.subject) << ","
      << CsvField(re.recommendation) << (r.applications.empty() ? "" : ",") << "\n";
  }
  // Applications: no account, permission set or privilege, and no usage measured.
  for (const auto& a : r.applications) {
    const Provenance p = a.granted.value_or(Provenance{});
    o << CsvField(a.access.user) << ",,,," << CsvField(Via(a.access, ";")) << ",,,," << CsvField(p.commit) << ","
      << CsvField(p.date) << "," << CsvField(p.author) << "," << CsvField(p.subject) << ",,"
      << CsvField(a.access.application) << "\n";
  }
  return o.str();
}

/// Rows of cells as aligned columns, two spaces apart.
std::string Columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  std::ostringstream o;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i)
      line += i + 1 == row.size() ? row[i] : row[i] + std::string(width[i] - row[i].size() + 2, ' ');
    o << "  " << line << "\n";
  }
  return o.str();
}

std::string RenderText(const ReviewView& v) {
  const Review& r = *v.review;
  std::ostringstream o;
  o << "Access review, " << r.window.from << " to " << r.window.to << "\n";
  o << "Evidence: " << EvidenceLine(r) << "\n\n";
  std::vector<std::vector<std::string>> rows = {
      {"USER", "ACCOUNT", "PERMISSION SET", "VIA", "LAST USED", "USES", "GRANTED", "RECOMMENDATION"}};
  for (const auto& re : r.entries)
    rows.push_back({re.access.user, AccountLabel(re.access), re.access.permission_set, Via(re.access, ", "),
                    LastUsedLabel(r, re), r.has_events ? std::to_string(re.uses) : "-", GrantedLabel(re.granted, false),
                    re.recommendation.empty() ? "-" : re.recommendation});
  o << (r.entries.empty() ? "  no grants\n" : Columns(rows));
  if (!r.applications.empty()) {
    std::vector<std::vector<std::string>> apps = {{"USER", "APPLICATION", "VIA", "GRANTED"}};
    for (const auto& a : r.applications)
      apps.push_back({a.access.user, a.access.application, Via(a.access, ", "), GrantedLabel(a.granted, false)});
    o << "\nApplications (usage not measured):\n" << Columns(apps);
  }
  if (!r.unused_assignments.empty()) {
    o << "\nUnused assignments (no holder used them in the window):\n";
    for (const auto& u : r.unused_assignments)
      o << "  " << u.principal << "  " << u.permission_set << "  on " << u.account_name << " (" << u.account_id << "), "
        << u.members << " holder(s)\n";
  }
  o << "\n" << ReviewSummaryLine(r) << ".\n";
  for (const auto& n : r.notes) o << "note: " << n << "\n";
  return o.str();
}

std::string RenderMarkdown(const ReviewView& v) {
  const Review& r = *v.review;
  std::ostringstream o;
  o << "### Access review\n\nWindow: " << r.window.from << " to " << r.window.to
    << ". Evidence: " << MarkdownEscape(EvidenceLine(r)) << ".\n\n"
    << MarkdownEscape(ReviewSummaryLine(r)) << ".\n\n";
  if (!r.entries.empty()) {
    o << "| user | account | permission set | via | last used | uses | granted | recommendation |\n"
         "|---|---|---|---|---|---|---|---|\n";
    for (const auto& re : r.entries) {
      std::string rec = re.recommendation == "remove" ? "**remove**" : re.recommendation;
      o << "| " << MarkdownEscape(re.access.user) << " | " << MarkdownEscape(AccountLabel(re.access)) << " | "
        << MarkdownEscape(re.access.permission_set) << " | " << MarkdownEscape(Via(re.access, ", ")) << " | "
        << LastUsedLabel(r, re) << " | " << (r.has_events ? std::to_string(re.uses) : "-") << " | "
        << MarkdownEscape(GrantedLabel(re.granted)) << " | " << (rec.empty() ? "-" : rec) << " |\n";
    }
  }
  if (!r.applications.empty()) {
    o << "\n#### Applications (usage not measured)\n\n| user | application | via | granted |\n|---|---|---|---|\n";
    for (const auto& a : r.applications)
      o << "| " << MarkdownEscape(a.access.user) << " | " << MarkdownEscape(a.access.application) << " | "
        << MarkdownEscape(Via(a.access, ", ")) << " | " << MarkdownEscape(GrantedLabel(a.granted)) << " |\n";
  }
  if (!r.unused_assignments.empty()) {
    o << "\n#### Unused assignments\n\n| principal | permission set | account | holders |\n|---|---|---|---|\n";
    for (const auto& u : r.unused_assignments)
      o << "| " << MarkdownEscape(u.principal) << " | " << MarkdownEscape(u.permission_set) << " | "
        << MarkdownEscape(u.account_name) << " (" << u.account_id << ") | " << u.members << " |\n";
  }
  for (const auto& n : r.notes) o << "\n> note: " << MarkdownEscape(n) << "\n";
  for (const auto& w : v.warnings) o << "\n> warning: " << MarkdownEscape(w) << "\n";
  return o.str();
}

std::string RenderHtml(const ReviewView& v) { return RenderReviewHtml(*v.review); }

constexpr ViewRow<ReviewView> kReviewViews[] = {
    {"text", RenderText}, {"json", RenderJson}, {"csv", RenderCsv}, {"markdown", RenderMarkdown}, {"html", RenderHtml},
};

}  // namespace

std::vector<std::string> ReviewFormats() { return FormatNames(kReviewViews); }

Renderer<ReviewView> PickReviewView(const std::string& format) { return PickRenderer(kReviewViews, format); }

}  // namespace gatehouse
