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

/// A CSV field, quoted when needed. A leading = + - @ would make a spreadsheet run
/// the cell as a formula, so such a field gets a leading apostrophe.
std::string CsvField(const std::string& s);
/// "name (id)", or the id alone when the name is empty or the id.
std::string AccountLabel(const std::string& name, const std::string& id);
/// The same for an access entry's account.
std::string AccountLabel(const AccessEntry& e);

/// text (default), csv, json, markdown, html.
std::vector<std::string> AccessFormats();
/// The renderer of `format`. It writes to the stream as it goes: the JSON of a
/// large organization's 1.7 million grants is never held in memory whole.
StreamRenderer<AccessView> PickAccessView(const std::string& format);
/// The rendering of `format` as one string (tests, small outputs).
std::string RenderAccessView(const std::string& format, const AccessView& view);

}  // namespace gatehouse
