#include "compiler/review.h"

#include <algorithm>
#include <map>

#include "compiler/selector.h"
#include "compiler/text.h"

namespace gatehouse {

namespace {

/// The later of two provenances (nullopt when either is unknown).
std::optional<Provenance> Later(const std::optional<Provenance>& a, const std::optional<Provenance>& b) {
  if (!a || !b) return std::nullopt;
  return a->date >= b->date ? a : b;
}

/// The earlier of two; an unknown one gives way to a known one.
std::optional<Provenance> Earlier(const std::optional<Provenance>& a, const std::optional<Provenance>& b) {
  if (!a) return b;
  if (!b) return a;
  return a->date <= b->date ? a : b;
}

/// The lines an assignment entry spans: its first line to the last line of the values it holds.
std::pair<int, int> EntryLines(const AssignmentDecl& d) {
  int last = std::max({d.span.line, d.principal.span.line, d.permission_set.span.line, d.accounts.span.line});
  for (const auto& r : d.accounts.refs) last = std::max(last, r.span.line);
  if (d.expires) last = std::max(last, d.expires->span.line);
  return {d.span.line, last};
}

bool SelectsAccount(const AssignmentDecl& d, const Account& a) {
  if (!d.accounts.is_list) return SelectorMatches(d.accounts, a);
  for (const auto& r : d.accounts.refs)
    if (r.value == a.id || AsciiLower(r.value) == AsciiLower(a.name)) return true;
  return false;
}

/// Joins grants with the config's lines and asks git about them.
class ProvenanceFinder {
 public:
  explicit ProvenanceFinder(const ReviewInputs& in) : in_(in) {}

  /// The commit that made `e` true: for each path, the later of the member line
  /// and the assignment entry; of the paths, the earliest (the grant held since).
  std::optional<Provenance> Grant(const AccessEntry& e) {
    auto account = in_.state->accounts.find(e.account_id);
    if (account == in_.state->accounts.end()) return std::nullopt;
    return Paths(e.user, e.via, [&](const AssignmentDecl& d) {
      return d.permission_set.value == e.permission_set && !d.application && SelectsAccount(d, account->second);
    });
  }

  /// The same for an application; the path "everyone" is the line that says
  /// the application requires no assignment (unknown when the config leaves it alone).
  std::optional<Provenance> Grant(const ApplicationAccessEntry& e) {
    auto app = in_.state->applications.find(e.application);
    if (e.via == std::vector<std::string>{"everyone"}) return Everyone(e.application);
    const std::string arn = app == in_.state->applications.end() ? "" : app->second.arn;
    return Paths(e.user, e.via, [&](const AssignmentDecl& d) {
      return d.application && (d.application->value == e.application || (!arn.empty() && d.application->value == arn));
    });
  }

 private:
  template <typename Match>
  std::optional<Provenance> Paths(const std::string& user, const std::vector<std::string>& via, Match match) {
    std::optional<Provenance> best;
    for (const auto& v : via) {
      bool direct = v == "direct";
      std::optional<Provenance> path = Assignment(direct, direct ? user : v, match);
      if (path && !direct) path = Member(v, user, *path);
      best = Earlier(best, path);
    }
    return best;
  }

  std::optional<Provenance> Lines(const SourceSpan& s, int first, int last) {
    if (!s.known() || s.file.empty()) return std::nullopt;
    return in_.provenance(s.file, first, last);
  }

  /// The earliest assignment entry of `principal` that `match`es.
  template <typename Match>
  std::optional<Provenance> Assignment(bool user, const std::string& principal, Match match) {
    std::optional<Provenance> best;
    for (const auto& d : in_.config->assignments) {
      if ((d.principal_type == PrincipalType::kUser) != user) continue;
      if (AsciiLower(d.principal.value) != AsciiLower(principal) || !match(d)) continue;
      auto [first, last] = EntryLines(d);
      best = Earlier(best, Lines(d.span, first, last));
    }
    return best;
  }

  /// The later of `assignment` and the line naming `user` in `group`'s members
  /// (an identity provider's groups have no member lines: the assignment alone).
  std::optional<Provenance> Member(const std::string& group, const std::string& user, const Provenance& assignment) {
    for (const auto& g : in_.config->groups) {
      if (g.group.name != group) continue;
      for (const auto& m : g.members)
        if (AsciiLower(m.value) == AsciiLower(user)) return Later(Lines(m.span, m.span.line, m.span.line), assignment);
    }
    return assignment;
  }

  /// The declaration of `application` when it says `assignment_required: false`.
  std::optional<Provenance> Everyone(const std::string& application) {
    auto app = in_.state->applications.find(application);
    for (const auto& d : in_.config->applications) {
      if (d.assignment_required != false) continue;
      if (d.name == application || (app != in_.state->applications.end() && !d.arn.empty() && d.arn == app->second.arn))
        return Lines(d.span, d.span.line, std::max(d.span.line, d.required_span.line));
    }
    return std::nullopt;
  }

  const ReviewInputs& in_;
};

std::string Recommend(const ReviewEntry& r, const TimeWindow& window) {
  if (r.uses > 0) return "keep";
  if (r.granted && r.granted->date >= window.from) return "too-new";
  return "remove";
}

/// Holders (user names) of an expanded assignment.
std::vector<std::string> Holders(const DirectoryState& s, const Assignment& a) {
  if (a.principal_type == PrincipalType::kUser) return {a.principal};
  std::vector<std::string> out;
  for (auto it = s.memberships.lower_bound({a.principal, ""}); it != s.memberships.end() && it->group == a.principal;
       ++it)
    out.push_back(it->user);
  return out;
}

std::vector<UnusedAssignment> Unused(const ReviewInputs& in, const std::set<GrantKey>& shown) {
  std::vector<UnusedAssignment> out;
  for (const auto& a : in.state->assignments) {
    std::vector<std::string> holders = Holders(*in.state, a);
    bool used = false, in_view = !in.filtered;
    for (const auto& h : holders) {
      GrantKey k{h, a.account_id, a.permission_set};
      used = used || in.tally->grants.count(k);
      in_view = in_view || shown.count(k);
    }
    if (used || !in_view) continue;
    auto acc = in.state->accounts.find(a.account_id);
    std::string kind = a.principal_type == PrincipalType::kUser ? "user:" : "group:";
    out.push_back({kind + a.principal, a.permission_set, a.account_id,
                   acc == in.state->accounts.end() ? "" : acc->second.name, static_cast<long>(holders.size())});
  }
  return out;
}

}  // namespace

std::set<GrantKey> GrantKeys(const std::vector<AccessEntry>& entries) {
  std::set<GrantKey> keys;
  for (const auto& e : entries) keys.insert({e.user, e.account_id, e.permission_set});
  return keys;
}

Review BuildReview(ReviewInputs in) {
  Review r;
  r.window = in.window;
  r.has_events = in.tally != nullptr;
  ProvenanceFinder finder(in);
  std::set<GrantKey> shown = GrantKeys(in.entries);
  for (auto& e : in.entries) {
    ReviewEntry re;
    if (in.tally) {
      auto it = in.tally->grants.find({e.user, e.account_id, e.permission_set});
      if (it != in.tally->grants.end()) re.last_used = it->second.last_used, re.uses = it->second.uses;
    }
    if (in.provenance) re.granted = finder.Grant(e);
    if (in.tally) re.recommendation = Recommend(re, in.window);
    ++r.summary.grants;
    r.summary.used += re.uses > 0;
    r.summary.remove += re.recommendation == "remove";
    r.summary.too_new += re.recommendation == "too-new";
    re.access = std::move(e);
    r.entries.push_back(std::move(re));
  }
  for (auto& e : in.application_entries) {
    ApplicationReviewEntry re;
    if (in.provenance) re.granted = finder.Grant(e);
    re.access = std::move(e);
    r.applications.push_back(std::move(re));
  }
  if (in.tally) r.unused_assignments = Unused(in, shown);
  return r;
}

}  // namespace gatehouse
