#include "compiler/evidence.h"

#include <algorithm>
#include <cstdio>

#include "compiler/text.h"

namespace gatehouse {

namespace {

constexpr char kSsoRolePrefix[] = "AWSReservedSSO_";

const std::string& FirstOf(const std::string& a, const std::string& b) { return a.empty() ? b : a; }

/// A portal call (`Federate`, `GetRoleCredentials`): the user by id (new
/// records) or by name (records older than mid-2025).
UsageVerdict PortalUsage(const TrailRecord& r, const UsageDirectory& dir, GrantKey* key) {
  std::string user = !r.on_behalf_user_id.empty() ? dir.UserById(r.on_behalf_user_id) : dir.UserByName(r.user_name);
  const std::string& account = FirstOf(r.detail_account_id, r.request_account_id);
  std::string set = dir.PermissionSet(FirstOf(r.detail_role_name, r.request_role_name));
  if (user.empty() || set.empty() || !dir.HasAccount(account)) return UsageVerdict::kUnmatched;
  *key = {user, account, set};
  return UsageVerdict::kUsage;
}

/// A member account's `AssumeRoleWithSAML` of an Identity Center role.
UsageVerdict SamlUsage(const TrailRecord& r, const UsageDirectory& dir, GrantKey* key) {
  std::string set_name = SsoRoleSet(r.role_arn);
  if (set_name.empty()) return UsageVerdict::kNotUsage;  // another role: not a grant of ours
  std::string user = dir.UserByName(FirstOf(r.role_session_name, r.user_name));
  std::string set = dir.PermissionSet(set_name);
  if (user.empty() || set.empty() || !dir.HasAccount(r.recipient_account_id)) return UsageVerdict::kUnmatched;
  *key = {user, r.recipient_account_id, set};
  return UsageVerdict::kUsage;
}

/// "2026-11-30T09:12:44Z" from an event time as recorded; "" when it is not one.
std::string NormalTime(const std::string& t) {
  int64_t epoch = 0;
  return ParseUtcTime(t, &epoch) ? FormatUtcTime(epoch) : "";
}

int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

UsageDirectory::UsageDirectory(const DirectoryState& state, const DirectoryState& live) {
  for (const auto& [name, u] : state.users) by_lower_name_[AsciiLower(name)] = name;
  for (const auto& [name, u] : live.users) {
    auto it = by_lower_name_.find(AsciiLower(name));
    if (it != by_lower_name_.end() && !u.id.empty()) by_id_[u.id] = it->second;
  }
  for (const auto& [name, ps] : state.permission_sets) sets_[AsciiLower(name)] = name;
  for (const auto& [id, a] : state.accounts) accounts_.insert(id);
}

std::string UsageDirectory::UserById(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? "" : it->second;
}

std::string UsageDirectory::UserByName(const std::string& name) const {
  auto it = by_lower_name_.find(AsciiLower(name));
  return it == by_lower_name_.end() ? "" : it->second;
}

std::string UsageDirectory::PermissionSet(const std::string& name) const {
  auto it = sets_.find(AsciiLower(name));
  return it == sets_.end() ? "" : it->second;
}

bool MayBeUsage(std::string_view source) { return source == "sso.amazonaws.com" || source == "sts.amazonaws.com"; }

UsageVerdict ExtractUsage(const TrailRecord& r, const UsageDirectory& dir, GrantKey* key) {
  if (!r.error_code.empty() || !MayBeUsage(r.event_source)) return UsageVerdict::kNotUsage;
  if (r.event_source == "sso.amazonaws.com" && (r.event_name == "Federate" || r.event_name == "GetRoleCredentials"))
    return PortalUsage(r, dir, key);
  if (r.event_source == "sts.amazonaws.com" && r.event_name == "AssumeRoleWithSAML") return SamlUsage(r, dir, key);
  return UsageVerdict::kNotUsage;
}

std::string SsoRoleSet(const std::string& role) {
  std::string name = role.substr(role.rfind('/') == std::string::npos ? 0 : role.rfind('/') + 1);
  if (name.rfind(kSsoRolePrefix, 0) != 0) return "";
  size_t last = name.rfind('_');
  size_t start = sizeof(kSsoRolePrefix) - 1;
  if (last == std::string::npos || last <= start || last + 1 == name.size()) return "";
  return name.substr(start, last - start);
}

bool TimeWindow::Contains(const std::string& t) const { return !t.empty() && from <= t && t <= to; }

void UsageCollector::Add(const TrailRecord& r) {
  ++records_read_;
  if (!dir_) return;
  GrantKey key;
  UsageVerdict v = ExtractUsage(r, *dir_, &key);
  if (v == UsageVerdict::kNotUsage) return;
  std::string time = NormalTime(r.event_time);
  if (!window_.Contains(time)) return;
  events_.push_back({r.event_id, std::move(time), v == UsageVerdict::kUsage, std::move(key)});
}

void UsageCollector::Merge(UsageCollector&& other) {
  records_read_ += other.records_read_;
  events_.insert(events_.end(), std::make_move_iterator(other.events_.begin()),
                 std::make_move_iterator(other.events_.end()));
  other.events_.clear();
  writes_.insert(writes_.end(), std::make_move_iterator(other.writes_.begin()),
                 std::make_move_iterator(other.writes_.end()));
  other.writes_.clear();
}

void UsageCollector::AddWrite(const std::string& event_time, std::string record_json) {
  if (window_.Contains(NormalTime(event_time))) writes_.push_back(std::move(record_json));
}

UsageTally UsageCollector::Tally(const std::set<GrantKey>& known) && {
  std::sort(events_.begin(), events_.end(),
            [](const UsageEvent& a, const UsageEvent& b) { return a.event_id < b.event_id; });
  UsageTally t;
  for (size_t i = 0; i < events_.size(); ++i) {
    const UsageEvent& e = events_[i];
    // A record without an id cannot be a duplicate of another.
    if (i > 0 && !e.event_id.empty() && e.event_id == events_[i - 1].event_id) continue;
    if (!e.matched || !known.count(e.key)) {
      ++t.unmatched;
      continue;
    }
    ++t.usage_events;
    GrantUsage& g = t.grants[e.key];
    ++g.uses;
    g.last_used = std::max(g.last_used, e.time);
  }
  return t;
}

bool ParseUtcTime(const std::string& s, int64_t* epoch) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  int64_t offset = 0;
  if (s.size() > 10) {
    int m = 0;
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        std::sscanf(s.c_str() + 11, "%2d:%2d:%2d%n", &h, &mi, &se, &m) != 3 || m != 8)
      return false;
    size_t p = 19;
    if (p < s.size() && s[p] == '.')
      for (++p; p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]));) ++p;
    std::string zone = s.substr(p);
    int oh = 0, om = 0;
    if (zone == "Z" || zone == "z")
      offset = 0;
    else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
             std::sscanf(zone.c_str() + 1, "%2d:%2d", &oh, &om) == 2)
      offset = (zone[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    else
      return false;
    if (h > 23 || mi > 59 || se > 60) return false;
  }
  *epoch =
      DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se - offset;
  return true;
}

std::string FormatUtcTime(int64_t epoch) {
  int64_t days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400;
  int64_t secs = epoch - days * 86400;
  // civil_from_days (H. Hinnant)
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

bool ParseDuration(const std::string& s, int64_t* seconds) {
  if (s.size() < 2 || s.size() > 8) return false;
  char unit = s.back();
  std::string num = s.substr(0, s.size() - 1);
  if (!std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  if (unit != 'd' && unit != 'h') return false;
  *seconds = std::stoll(num) * (unit == 'd' ? 86400 : 3600);
  return *seconds > 0;
}

}  // namespace gatehouse
