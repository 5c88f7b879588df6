#pragma once
/// What `access` is narrowed to, and the check that each name in it exists.

#include <string>
#include <vector>

#include "compiler/access.h"
#include "compiler/model.h"

namespace gatehouse {

/// Matching ignores case, as Identity Store does for user names; an empty field matches anything.
struct AccessFilter {
  std::string user;
  std::string account;  ///< account name or 12-digit id
  std::string permission_set;
};

std::vector<AccessEntry> FilterAccess(std::vector<AccessEntry> entries, const AccessFilter& f);
/// Applications have no account or permission set: a filter on either leaves none.
std::vector<ApplicationAccessEntry> FilterApplicationAccess(std::vector<ApplicationAccessEntry> entries,
                                                            const AccessFilter& f);

/// "" when every name in `f` exists in `s`; otherwise an error message for the
/// first unknown one, with a "did you mean" suggestion when one is close.
std::string CheckAccessFilter(const DirectoryState& s, const AccessFilter& f, const std::string& source);

}  // namespace gatehouse
