#pragma once
/// The access review (EVIDENCE.md "gatehouse review"): every effective grant
/// joined with its usage (compiler/evidence.h) and its provenance from git,
/// with a recommendation; the assignments nobody used. Pure: the usage tally
/// and the git history come in as values and a callback.

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/access.h"
#include "compiler/config.h"
#include "compiler/evidence.h"

namespace gatehouse {

/// The commit that made a line what it is.
struct Provenance {
  std::string commit;
  std::string date;  ///< RFC 3339 UTC
  std::string author;
  std::string subject;
};

/// The newest commit that touched lines [first, last] of `file` (relative to
/// the config directory), or nullopt when unknown (not committed, not tracked).
using LineProvenance = std::function<std::optional<Provenance>(const std::string& file, int first, int last)>;

struct ReviewEntry {
  AccessEntry access;
  std::string last_used;  ///< "" = never in the window
  long uses = 0;
  std::optional<Provenance> granted;
  std::string recommendation;  ///< keep | remove | too-new; "" when no events were read
};

/// A user's use of an application. Usage is not measured: CloudTrail's portal
/// events name an account and a permission set, never an application
/// (EVIDENCE.md), so there is no last_used and no recommendation.
struct ApplicationReviewEntry {
  ApplicationAccessEntry access;
  std::optional<Provenance> granted;
};

/// An assignment (principal x set x account) no holder used in the window.
struct UnusedAssignment {
  std::string principal;  ///< "group:Name" or "user:name"
  std::string permission_set;
  std::string account_id;
  std::string account_name;
  long members = 0;  ///< holders: the group's members, 1 for a user
};

struct EvidenceSummary {
  std::vector<std::string> sources;  ///< as given ("lookup", "trail/")
  long records_read = 0;
  long usage_events = 0;
  long unmatched = 0;
  long files_skipped = 0;
  std::vector<SkippedFile> skipped;
};

struct ReviewSummary {
  long grants = 0, used = 0, remove = 0, too_new = 0;
};

struct Review {
  TimeWindow window;
  bool has_events = false;  ///< a source of events was given (recommendations are set)
  EvidenceSummary evidence;
  std::vector<ReviewEntry> entries;
  std::vector<ApplicationReviewEntry> applications;
  std::vector<UnusedAssignment> unused_assignments;
  ReviewSummary summary;
  std::vector<std::string> notes;  ///< e.g. why `granted` is null
};

/// What a review joins.
struct ReviewInputs {
  const Config* config = nullptr;                           ///< for the lines of assignments and members
  const DirectoryState* state = nullptr;                    ///< the compiled config
  std::vector<AccessEntry> entries;                         ///< the effective grants, filtered
  std::vector<ApplicationAccessEntry> application_entries;  ///< who may use which application, filtered
  bool filtered = false;                                    ///< entries were narrowed by a filter
  const UsageTally* tally = nullptr;                        ///< nullptr: no source of events
  LineProvenance provenance;                                ///< nullptr: not in a git work tree
  TimeWindow window;
};

/// Builds the review; `evidence` and `notes` are left for the caller.
Review BuildReview(ReviewInputs in);

/// The grants a review covers, for UsageCollector::Tally (usage of anything else is unmatched).
std::set<GrantKey> GrantKeys(const std::vector<AccessEntry>& entries);

}  // namespace gatehouse
