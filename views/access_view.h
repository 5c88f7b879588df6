#pragma once
/// Renderings of the access matrix: text, CSV, JSON (PRODUCT.md §7), Markdown,
/// HTML (access_html.h).

#include <string>
#include <vector>

#include "compiler/access.h"
#include "views/view_table.h"

namespace gatehouse {

/// What an access view shows.
struct AccessView {
  const std::vector<AccessEntry>* entries = nullptr;
  std::string source;  ///< what was read: "configuration" or "live directory"
  /// Who may use which application; each format adds them only when there are some.
  const std::vector<ApplicationAccessEntry>* applications = nullptr;
};

/// text (default), csv, json, markdown, html.
std::vector<std::string> AccessFormats();
Renderer<AccessView> PickAccessView(const std::string& format);

}  // namespace gatehouse
