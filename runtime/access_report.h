#pragma once
/// Renderings of the access matrix: text, CSV, JSON (PRODUCT.md §7), Markdown, HTML.

#include <string>
#include <vector>

#include "compiler/access.h"

namespace gatehouse {

struct AccessFilter {
  std::string user, account, permission_set;  ///< empty = any; account matches name or id
};

std::vector<AccessEntry> FilterAccess(std::vector<AccessEntry> entries, const AccessFilter& f);

/// `format` is text, csv, json, markdown or html; `source` says what was read.
std::string RenderAccess(const std::vector<AccessEntry>& entries, const std::string& format, const std::string& source);

}  // namespace gatehouse
