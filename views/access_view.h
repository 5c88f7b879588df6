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
};

/// A CSV field, quoted when needed; a leading = + - @ is defused with an apostrophe.
std::string CsvField(const std::string& s);
/// "payments-prod (111111111111)", or the id alone when the account has no other name.
std::string AccountLabel(const AccessEntry& e);

/// text (default), csv, json, markdown, html.
std::vector<std::string> AccessFormats();
Renderer<AccessView> PickAccessView(const std::string& format);

}  // namespace gatehouse
