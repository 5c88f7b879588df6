#include "views/who_can_view.h"

#include <sstream>

namespace gatehouse {

namespace {

struct WhoCanRow {
  const char* format;
  WhoCanRenderer render;
};

constexpr WhoCanRow kWhoCanViews[] = {
    {"text", RenderWhoCanText},
    {"json", RenderWhoCanJson},
    {"csv", RenderWhoCanCsv},
    {"markdown", RenderWhoCanMarkdown},
};

}  // namespace

std::vector<std::string> WhoCanFormats() {
  std::vector<std::string> names;
  for (const auto& row : kWhoCanViews) names.push_back(row.format);
  return names;
}

WhoCanRenderer PickWhoCanView(const std::string& format) {
  for (const auto& row : kWhoCanViews)
    if (format == row.format) return row.render;
  return kWhoCanViews[0].render;
}

std::string WhoCanSummary(const WhoCanView& view) {
  const WhoCanResult& r = *view.result;
  std::ostringstream s;
  s << r.grants.size() << " grant(s): " << r.summary.users << " user(s), " << r.summary.accounts << " account(s), "
    << r.summary.permission_sets << " permission set(s), in the " << view.source << ".";
  if (!r.unknown.empty()) s << " " << r.unknown.size() << " permission set(s) unknown.";
  return s.str();
}

std::string WhoCanBecause(const WhoCanSetAnswer& set, const char* sep) {
  std::string s;
  for (const iam::GrantReason& b : set.because) {
    s += (s.empty() ? "" : sep) + b.policy + "#" + b.statement;
    if (b.conditional) s += " (condition)";
  }
  return s;
}

}  // namespace gatehouse
