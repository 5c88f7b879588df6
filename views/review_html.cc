#include "views/review_html.h"

#include <sstream>

#include "views/access_html.h"
#include "views/access_view.h"
#include "views/review_view.h"

namespace gatehouse {

namespace {

constexpr const char* kReviewStyle = R"(table{margin-bottom:2em}
tr.remove td.recommendation{font-weight:bold;color:#a00}tr.unused td{background:#fff8f0}.note{color:#555}
)";

constexpr const char* kFilters = R"(<div class="filters">
<label>User <input type="search" id="f-user" data-field="user" placeholder="any user" autocomplete="off"></label>
<label>Account <input type="search" id="f-account" data-field="account" placeholder="any account" autocomplete="off"></label>
<label>Permission set <input type="search" id="f-permission-set" data-field="permissionSet" placeholder="any permission set" autocomplete="off"></label>
<label>Recommendation <select id="f-recommendation" data-match="recommendation"><option value="">any</option><option>keep</option><option>remove</option><option>too-new</option></select></label>
<label><input type="checkbox" id="f-unused" data-class="unused"> unused only</label>
</div>
<div id="count" aria-live="polite"></div>
<table id="review"><thead><tr><th>User</th><th>Account</th><th>Permission set</th><th>Via</th><th>Last used</th><th>Uses</th><th>Granted</th><th>Recommendation</th></tr></thead><tbody>
)";

std::string JoinVia(const std::vector<std::string>& vias) {
  std::string via;
  for (const auto& v : vias) via += (via.empty() ? "" : ", ") + ReviewVia(v);
  return via;
}

void Row(std::ostringstream& o, const Review& r, const ReviewEntry& re) {
  const AccessEntry& e = re.access;
  std::string via = JoinVia(e.via);
  std::string cls = re.recommendation;
  if (r.has_events && re.uses == 0) cls += " unused";
  std::string account = AccountLabel(e);
  o << "<tr class=\"" << HtmlEscape(cls) << "\" data-user=\"" << HtmlEscape(e.user) << "\" data-account=\""
    << HtmlEscape(account) << "\" data-permission-set=\"" << HtmlEscape(e.permission_set) << "\" data-recommendation=\""
    << HtmlEscape(re.recommendation) << "\" data-uses=\"" << re.uses << "\"><td>" << HtmlEscape(e.user) << "</td><td>"
    << HtmlEscape(account) << "</td><td>" << HtmlEscape(e.permission_set) << "</td><td>" << HtmlEscape(via)
    << "</td><td>" << HtmlEscape(LastUsedLabel(r, re)) << "</td><td>" << (r.has_events ? std::to_string(re.uses) : "-")
    << "</td><td>" << HtmlEscape(GrantedLabel(re.granted)) << "</td><td class=\"recommendation\">"
    << HtmlEscape(re.recommendation.empty() ? "-" : re.recommendation) << "</td></tr>\n";
}

}  // namespace

std::string RenderReviewHtml(const Review& r) {
  std::ostringstream o;
  o << ReportHead("Gatehouse access review", kReviewStyle) << "<p>Window: " << HtmlEscape(r.window.from) << " to "
    << HtmlEscape(r.window.to) << ". Evidence: " << HtmlEscape(EvidenceLine(r)) << ".</p>\n<p id=\"summary\">"
    << HtmlEscape(ReviewSummaryLine(r)) << ".</p>\n";
  for (const auto& n : r.notes) o << "<p class=\"note\">note: " << HtmlEscape(n) << "</p>\n";
  o << kFilters;
  for (const auto& re : r.entries) Row(o, r, re);
  o << "</tbody></table>\n<h2>Unused assignments</h2>\n<table id=\"unused\"><thead><tr><th>Principal</th>"
       "<th>Permission set</th><th>Account</th><th>Holders</th></tr></thead><tbody>\n";
  for (const auto& u : r.unused_assignments)
    o << "<tr><td>" << HtmlEscape(u.principal) << "</td><td>" << HtmlEscape(u.permission_set) << "</td><td>"
      << HtmlEscape(u.account_name) << " (" << HtmlEscape(u.account_id) << ")</td><td>" << u.members << "</td></tr>\n";
  o << "</tbody></table>\n";
  if (!r.applications.empty()) {
    o << "<h2>Applications</h2>\n<p class=\"note\">Usage of applications is not measured.</p>\n<table "
         "id=\"applications\"><thead><tr><th>User</th><th>Application</th><th>Via</th><th>Granted</th></tr></thead>"
         "<tbody>\n";
    for (const auto& a : r.applications)
      o << "<tr><td>" << HtmlEscape(a.access.user) << "</td><td>" << HtmlEscape(a.access.application) << "</td><td>"
        << HtmlEscape(JoinVia(a.access.via)) << "</td><td>" << HtmlEscape(GrantedLabel(a.granted)) << "</td></tr>\n";
    o << "</tbody></table>\n";
  }
  o << FilterScript("review", "grants") << "</body></html>\n";
  return o.str();
}

}  // namespace gatehouse
