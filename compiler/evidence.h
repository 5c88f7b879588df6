#pragma once
/// Usage evidence from CloudTrail records (EVIDENCE.md "Usage events"): which
/// record is a use of which grant (user x account x permission set), pure. The
/// records come from anywhere (trail files, LookupEvents): a reader fills a
/// `TrailRecord` with the few fields read here, `ExtractUsage` classifies it,
/// and `UsageTally` counts each event id once within the window.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "compiler/model.h"

namespace gatehouse {

/// The fields of one CloudTrail record that usage extraction reads ("" when absent).
struct TrailRecord {
  std::string event_id;
  std::string event_time;  ///< as recorded, "2026-11-30T09:12:44Z"
  std::string event_source;
  std::string event_name;
  std::string error_code;  ///< set on failed calls
  std::string recipient_account_id;
  std::string user_name;           ///< userIdentity.userName (older portal records, SAMLUser)
  std::string on_behalf_user_id;   ///< userIdentity.onBehalfOf.userId (portal records since mid-2025)
  std::string detail_account_id;   ///< serviceEventDetails.account_id
  std::string detail_role_name;    ///< serviceEventDetails.role_name
  std::string request_account_id;  ///< requestParameters.accountId
  std::string request_role_name;   ///< requestParameters.roleName
  std::string role_arn;            ///< requestParameters.roleArn
  std::string role_session_name;   ///< requestParameters.roleSessionName
};

/// A grant as usage names it.
struct GrantKey {
  std::string user;  ///< user_name as the directory spells it
  std::string account_id;
  std::string permission_set;
  auto operator<=>(const GrantKey&) const = default;
};

/// What usage is matched against: the live directory's user ids, the user names,
/// the accounts and permission sets. Built once; read concurrently.
class UsageDirectory {
 public:
  /// `live` gives the user ids (may be empty); `state` the names, accounts and sets.
  UsageDirectory(const DirectoryState& state, const DirectoryState& live);
  /// The user name of a user id or (case-insensitively) of a user name; "" when unknown.
  std::string UserById(const std::string& id) const;
  std::string UserByName(const std::string& name) const;
  bool HasAccount(const std::string& id) const { return accounts_.count(id) != 0; }
  /// The set's name as declared (case-insensitive lookup); "" when unknown.
  std::string PermissionSet(const std::string& name) const;

 private:
  std::unordered_map<std::string, std::string> by_id_, by_lower_name_, sets_;
  std::set<std::string> accounts_;
};

enum class UsageVerdict {
  kNotUsage,   ///< not a usage event (other calls, failures, other roles)
  kUsage,      ///< a use of `*key`
  kUnmatched,  ///< usage-shaped, but its user, account or set is unknown
};

/// Whether a record of this eventSource can be usage at all (sso, sts): readers
/// skip the others without reading their fields.
bool MayBeUsage(std::string_view event_source);

/// Classifies one record (EVIDENCE.md "Usage events"); fills `key` on kUsage.
UsageVerdict ExtractUsage(const TrailRecord& r, const UsageDirectory& dir, GrantKey* key);

/// The permission set of an Identity Center role (a role name or role ARN):
/// `AWSReservedSSO_<set>_<suffix>` -> set (split at the last `_`); "" otherwise.
std::string SsoRoleSet(const std::string& role_name_or_arn);

/// `[from, to]` as RFC 3339 UTC strings "YYYY-MM-DDTHH:MM:SSZ", inclusive.
struct TimeWindow {
  std::string from, to;
  bool Contains(const std::string& event_time) const;
};

/// A record that passed extraction, kept until duplicates are removed.
struct UsageEvent {
  std::string event_id;
  std::string time;  ///< normalised "YYYY-MM-DDTHH:MM:SSZ"
  bool matched = false;
  GrantKey key;  ///< when matched
};

struct GrantUsage {
  std::string last_used;  ///< RFC 3339 UTC
  long uses = 0;
};

/// Usage counted once per event id.
struct UsageTally {
  long usage_events = 0;  ///< distinct matched usage events in the window
  long unmatched = 0;     ///< distinct usage-shaped events that matched no grant
  std::map<GrantKey, GrantUsage> grants;
};

/// Collects usage from records of any source; one per thread, merged at the end.
/// It can also keep the write events drift attribution reads (`KeepWrites`),
/// so one pass over the trail files serves both.
class UsageCollector {
 public:
  /// `dir` null: no usage is collected (records are only counted).
  UsageCollector(const UsageDirectory* dir, TimeWindow window) : dir_(dir), window_(std::move(window)) {}
  /// Looks at one record: counted in `records_read`; kept when it is usage-shaped and in the window.
  void Add(const TrailRecord& r);
  /// Keeps, as JSON text, the records of these event names in the window (`AddWrite`).
  void KeepWrites(const std::vector<std::string>& event_names) {
    write_names_ = {event_names.begin(), event_names.end()};
  }
  bool KeepsWrites() const { return !write_names_.empty(); }
  bool WantsWrite(std::string_view event_name) const { return write_names_.count(event_name) != 0; }
  /// A record of a wanted event name (the reader counts it with `Add`/`AddOther`); kept when in the window.
  void AddWrite(const std::string& event_time, std::string record_json);
  /// The kept write records, in no particular order (duplicates included: the
  /// reader of a record knows its event id).
  std::vector<std::string> TakeWrites() && { return std::move(writes_); }
  /// Counts a record that MayBeUsage ruled out, unread.
  void AddOther() { ++records_read_; }
  void Merge(UsageCollector&& other);
  /// An empty collector with the same directory and window (one per worker, or per file).
  UsageCollector Fork() const {
    UsageCollector c(dir_, window_);
    c.write_names_ = write_names_;
    return c;
  }
  /// Drops duplicate event ids and counts; grants without a key in `known` are unmatched.
  UsageTally Tally(const std::set<GrantKey>& known) &&;
  long records_read() const { return records_read_; }
  /// The window events are kept in (a LookupEvents query asks for just this span).
  const TimeWindow& window() const { return window_; }

 private:
  const UsageDirectory* dir_;
  TimeWindow window_;
  long records_read_ = 0;
  std::vector<UsageEvent> events_;
  std::set<std::string, std::less<>> write_names_;
  std::vector<std::string> writes_;
};

/// A log file that could not be read, and why (reported, never fatal).
struct SkippedFile {
  std::string path;
  std::string reason;
};

/// Seconds since the epoch of "YYYY-MM-DD" or RFC 3339 ("...THH:MM:SS[.fff](Z|+hh:mm)");
/// false when `s` is neither.
bool ParseUtcTime(const std::string& s, int64_t* epoch);
/// "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatUtcTime(int64_t epoch);
/// "90d", "12h" -> seconds; false otherwise.
bool ParseDuration(const std::string& s, int64_t* seconds);

}  // namespace gatehouse
