#include "runtime/access_html.h"

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

std::string RenderAccessHtml(const std::vector<AccessEntry>& entries, const std::string& source) {
  std::ostringstream o;
  o << R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Gatehouse access report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}
th{background:#f3f3f3}tr.privileged td{background:#fff0f0}tr.privileged td.privilege{font-weight:bold;color:#a00}
.filters input{margin-right:1em;padding:4px}#count{margin:1em 0;color:#555}
</style></head><body>
<h1>Gatehouse access report</h1>
<p>Source: )" << HtmlEscape(source) << R"(. One row per user, account and permission set.</p>
<div class="filters">
<label>User <input id="f-user" data-col="0" placeholder="filter"></label>
<label>Account <input id="f-account" data-col="1" placeholder="filter"></label>
<label>Permission set <input id="f-ps" data-col="2" placeholder="filter"></label>
<label><input type="checkbox" id="f-priv"> privileged only</label>
</div>
<div id="count"></div>
<table id="access"><thead><tr><th>User</th><th>Account</th><th>Permission set</th><th>Via</th><th>Privilege</th></tr></thead><tbody>
)";
  for (const auto& e : entries) {
    bool priv = e.privilege == "admin" || e.privilege == "permissions-management";
    std::string via;
    for (const auto& v : e.via) via += (via.empty() ? "" : ", ") + v;
    o << "<tr" << (priv ? " class=\"privileged\"" : "") << "><td>" << HtmlEscape(e.user) << "</td><td>"
      << HtmlEscape(e.account_name) << " (" << HtmlEscape(e.account_id) << ")</td><td>" << HtmlEscape(e.permission_set)
      << "</td><td>" << HtmlEscape(via) << "</td><td class=\"privilege\">" << HtmlEscape(e.privilege) << "</td></tr>\n";
  }
  o << R"(</tbody></table>
<script>
(function(){
  var inputs=[].slice.call(document.querySelectorAll('.filters input[data-col]'));
  var priv=document.getElementById('f-priv');
  var rows=[].slice.call(document.querySelectorAll('#access tbody tr'));
  function apply(){
    var shown=0;
    rows.forEach(function(r){
      var ok=inputs.every(function(i){var v=i.value.trim().toLowerCase();
        return !v||r.cells[+i.dataset.col].textContent.toLowerCase().indexOf(v)>=0;});
      if(priv.checked&&!r.classList.contains('privileged'))ok=false;
      r.style.display=ok?'':'none'; if(ok)shown++;
    });
    document.getElementById('count').textContent=shown+' of '+rows.length+' rows';
  }
  inputs.forEach(function(i){i.addEventListener('input',apply);});
  priv.addEventListener('change',apply);
  apply();
})();
</script></body></html>
)";
  return o.str();
}

}  // namespace gatehouse
