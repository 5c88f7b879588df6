#pragma once
/// How a view is chosen: each output (plan, drift, lint, access) has a table of
/// {format name, renderer}; the CLI offers the names as --format's values and
/// picks the renderer once. Adding a format is one row in one table.

#include <ostream>
#include <string>
#include <vector>

namespace gatehouse {

template <typename Input>
using Renderer = std::string (*)(const Input&);

/// A renderer that writes as it goes, for outputs too large to hold as one string.
template <typename Input>
using StreamRenderer = void (*)(const Input&, std::ostream&);

template <typename Input, typename R = Renderer<Input>>
struct ViewRow {
  const char* format;
  R render;
};

/// The format names of a table, in order (the first is the default).
template <typename Input, typename R, size_t N>
std::vector<std::string> FormatNames(const ViewRow<Input, R> (&table)[N]) {
  std::vector<std::string> names;
  for (const auto& row : table) names.push_back(row.format);
  return names;
}

/// The renderer for `format`; the table's first (default) row for an unknown name,
/// which the CLI's --format check rules out.
template <typename Input, typename R, size_t N>
R PickRenderer(const ViewRow<Input, R> (&table)[N], const std::string& format) {
  for (const auto& row : table)
    if (format == row.format) return row.render;
  return table[0].render;
}

}  // namespace gatehouse
