#include "compiler/selector.h"

#include <string_view>
#include <vector>

namespace gatehouse {

namespace {

bool SegmentMatch(std::string_view p, size_t i, std::string_view t, size_t j) {
  while (i < p.size()) {
    if (p[i] == '*') {
      for (size_t k = j; k <= t.size(); ++k)
        if (SegmentMatch(p, i + 1, t, k)) return true;
      return false;
    }
    if (j >= t.size()) return false;
    if (p[i] != '?' && p[i] != t[j]) return false;
    ++i;
    ++j;
  }
  return j == t.size();
}

/// The non-empty `/`-separated segments of `s` (views into it: no copies).
std::vector<std::string_view> SplitPath(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('/', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool OuMatch(const std::vector<std::string_view>& p, size_t i, const std::vector<std::string_view>& t, size_t j) {
  if (i == p.size()) return j == t.size();
  if (p[i] == "**") {
    // A trailing `**` means "below": at least one level. Elsewhere it may match none.
    size_t min = i + 1 == p.size() ? 1 : 0;
    for (size_t k = j + min; k <= t.size(); ++k)
      if (OuMatch(p, i + 1, t, k)) return true;
    return false;
  }
  if (j == t.size()) return false;
  return SegmentMatch(p[i], 0, t[j], 0) && OuMatch(p, i + 1, t, j + 1);
}

}  // namespace

bool GlobMatch(const std::string& pattern, const std::string& text) { return SegmentMatch(pattern, 0, text, 0); }

bool OuGlobMatch(const std::string& pattern, const std::string& ou) {
  return OuMatch(SplitPath(pattern), 0, SplitPath(ou), 0);
}

bool SelectorMatches(const AccountSelector& s, const Account& a) {
  if (s.environment && *s.environment != a.environment) return false;
  if (s.ou && !OuGlobMatch(*s.ou, a.ou)) return false;
  for (const auto& [k, v] : s.tags) {
    auto it = a.tags.find(k);
    if (it == a.tags.end() || it->second != v) return false;
  }
  if (s.name && !GlobMatch(*s.name, a.name)) return false;
  return true;
}

}  // namespace gatehouse
