#pragma once
/// The access matrix as one self-contained HTML page (no external assets),
/// filterable by user, account and permission set; privileged rows marked.
#include <string>
#include <vector>

#include "compiler/access.h"

namespace gatehouse {
std::string RenderAccessHtml(const std::vector<AccessEntry>& entries, const std::string& source,
                             const std::vector<ApplicationAccessEntry>& applications = {});
std::string HtmlEscape(const std::string& s);
/// A report page's head: no external assets, a Content-Security-Policy that forbids every fetch, the
/// shared table and filter style plus `style`, and the title as the heading.
std::string ReportHead(const std::string& title, const std::string& style);
/// The script of a report's `.filters` over the rows of table `#table`; the count line says "N of M <noun> shown".
std::string FilterScript(const std::string& table, const std::string& noun);
}  // namespace gatehouse
