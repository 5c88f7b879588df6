#include "operations/access_changes.h"

#include <string>

#include "compiler/lint/set_analysis.h"
#include "operations/classifier.h"

namespace gatehouse {

std::vector<AccessChange> ChangedAccess(const DirectoryState& live, const DirectoryState& desired,
                                        const CustomerPolicyDocuments& documents) {
  // AccessChanges expands only the users whose memberships or assignments differ.
  std::vector<AccessChange> out = AccessChanges(live, desired, DefaultClassifier(documents));
  std::vector<AccessChange> reclassified = PrivilegeChanges(
      live, desired, [&documents](const PermissionSet& ps) { return lint::ProfilePermissionSet(ps, documents); });
  if (reclassified.empty()) return out;
  out.insert(out.end(), reclassified.begin(), reclassified.end());
  SortAccessChanges(&out);
  return out;
}

}  // namespace gatehouse
