#include "views/access_html.h"

#include <set>
#include <sstream>

namespace gatehouse {

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// The page carries its own style and script; the Content-Security-Policy forbids
// every fetch, so the report works offline and cannot leak to a third party.
std::string ReportHead(const std::string& title, const std::string& style) {
  return R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>)" +
         HtmlEscape(title) + R"(</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
.filters{margin:1em 0}.filters label{margin-right:1.5em}.filters input[type=search]{padding:4px;width:14em}
#count{margin:1em 0;color:#555}
)" + style +
         "</style></head><body>\n<h1>" + HtmlEscape(title) + "</h1>\n";
}

// Text inputs (data-field) match a substring of the row's data attribute, ignoring
// case; selects (data-match) the attribute exactly; ticked checkboxes (data-class)
// keep the rows of that class.
std::string FilterScript(const std::string& table, const std::string& noun) {
  return R"(<script>
(function(){
  var q=function(s){return [].slice.call(document.querySelectorAll(s));};
  var inputs=q('.filters input[data-field]'),selects=q('.filters select[data-match]'),boxes=q('.filters input[data-class]');
  var rows=q('#)" +
         table + R"( tbody tr');
  function apply(){
    var shown=0;
    rows.forEach(function(r){
      var ok=inputs.every(function(i){
        var v=i.value.trim().toLowerCase();
        return !v||r.dataset[i.dataset.field].toLowerCase().indexOf(v)>=0;
      })&&selects.every(function(s){return !s.value||r.dataset[s.dataset.match]===s.value;})
        &&boxes.every(function(b){return !b.checked||r.classList.contains(b.dataset.class);});
      r.hidden=!ok;
      if(ok)shown++;
    });
    document.getElementById('count').textContent=shown+' of '+rows.length+' )" +
         noun + R"( shown';
  }
  inputs.forEach(function(i){i.addEventListener('input',apply);});
  selects.concat(boxes).forEach(function(c){c.addEventListener('change',apply);});
  apply();
})();
</script>
)";
}

namespace {

constexpr const char* kAccessStyle =
    R"(tr.privileged td{background:#fff0f0}tr.privileged td.privilege{font-weight:bold;color:#a00}
.badge{display:inline-block;margin-left:.5em;padding:0 .4em;border-radius:3px;background:#a00;color:#fff;font-size:.8em}
)";

constexpr const char* kFilters = R"(<div class="filters">
<label>User <input type="search" id="f-user" data-field="user" list="users" placeholder="any user" autocomplete="off"></label>
<label>Account <input type="search" id="f-account" data-field="account" list="accounts" placeholder="any account" autocomplete="off"></label>
<label>Permission set <input type="search" id="f-permission-set" data-field="permissionSet" list="permission-sets" placeholder="any permission set" autocomplete="off"></label>
<label><input type="checkbox" id="f-privileged" data-class="privileged"> privileged only</label>
</div>
<div id="count" aria-live="polite"></div>
<table id="access"><thead><tr><th>User</th><th>Account</th><th>Permission set</th><th>Via</th><th>Privilege</th></tr></thead><tbody>
)";

bool Privileged(const AccessEntry& e) { return IsPrivileged(e.privilege); }

void Datalist(std::ostringstream& o, const char* id, const std::set<std::string>& values) {
  o << "<datalist id=\"" << id << "\">";
  for (const auto& v : values) o << "<option value=\"" << HtmlEscape(v) << "\">";
  o << "</datalist>\n";
}

/// Who may use which application: its own table, after the accounts'.
void ApplicationsTable(std::ostringstream& o, const std::vector<ApplicationAccessEntry>& apps) {
  if (apps.empty()) return;
  o << "<h2>Applications</h2>\n<p>" << apps.size()
    << " application access paths. One row per user and application.</p>\n"
       "<table id=\"applications\"><thead><tr><th>User</th><th>Application</th><th>Via</th></tr></thead><tbody>\n";
  for (const auto& e : apps) {
    std::string via;
    for (const auto& v : e.via) via += (via.empty() ? "" : ", ") + v;
    o << "<tr><td>" << HtmlEscape(e.user) << "</td><td>" << HtmlEscape(e.application) << "</td><td>" << HtmlEscape(via)
      << "</td></tr>\n";
  }
  o << "</tbody></table>\n";
}

}  // namespace

std::string RenderAccessHtml(const std::vector<AccessEntry>& entries, const std::string& source,
                             const std::vector<ApplicationAccessEntry>& applications) {
  std::set<std::string> users, accounts, permission_sets;
  size_t privileged = 0;
  for (const auto& e : entries) {
    users.insert(e.user);
    accounts.insert(e.account_name.empty() ? e.account_id : e.account_name);
    permission_sets.insert(e.permission_set);
    if (Privileged(e)) ++privileged;
  }
  std::ostringstream o;
  o << ReportHead("Gatehouse access report", kAccessStyle) << "<p>Source: " << HtmlEscape(source) << ". "
    << entries.size() << " access paths: " << users.size() << " users, " << accounts.size() << " accounts, "
    << privileged
    << " privileged (admin-equivalent or permissions management). One row per user, account and permission set.</p>\n";
  Datalist(o, "users", users);
  Datalist(o, "accounts", accounts);
  Datalist(o, "permission-sets", permission_sets);
  o << kFilters;
  for (const auto& e : entries) {
    bool priv = Privileged(e);
    std::string via;
    for (const auto& v : e.via) via += (via.empty() ? "" : ", ") + v;
    std::string account = e.account_name.empty() ? e.account_id : e.account_name + " (" + e.account_id + ")";
    o << "<tr" << (priv ? " class=\"privileged\"" : "") << " data-user=\"" << HtmlEscape(e.user) << "\" data-account=\""
      << HtmlEscape(account) << "\" data-permission-set=\"" << HtmlEscape(e.permission_set) << "\" data-privilege=\""
      << HtmlEscape(e.privilege) << "\"><td>" << HtmlEscape(e.user) << "</td><td>" << HtmlEscape(account) << "</td><td>"
      << HtmlEscape(e.permission_set) << "</td><td>" << HtmlEscape(via) << "</td><td class=\"privilege\">"
      << HtmlEscape(e.privilege)
      << (priv ? "<span class=\"badge\" title=\"admin-equivalent or permissions management\">privileged</span>" : "")
      << "</td></tr>\n";
  }
  o << "</tbody></table>\n";
  ApplicationsTable(o, applications);
  o << FilterScript("access", "rows") << "</body></html>\n";
  return o.str();
}

}  // namespace gatehouse
