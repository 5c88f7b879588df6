#include "operations/drift.h"

#include <algorithm>
#include <ctime>

#include "runtime/clock.h"
#include "runtime/targets.h"

namespace gatehouse {

namespace {

// TODO(merge): compiler/evidence.h (review) has ParseDuration / ParseUtcTime /
// FormatUtcTime; use those once both land.
bool SinceSeconds(const std::string& s, int64_t* out) {
  if (s.size() < 2 || (s.back() != 'd' && s.back() != 'h')) return false;
  for (size_t i = 0; i + 1 < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  *out = std::stoll(s.substr(0, s.size() - 1)) * (s.back() == 'd' ? 86400 : 3600);
  return s.size() < 12;
}

/// "2026-12-02", "2026-12-02T10:00:00Z" (UTC) -> epoch seconds.
bool AsOfSeconds(const std::string& s, int64_t* out) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), s.size() == 10 ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr || !(*end == '\0' || (*end == 'Z' && end[1] == '\0'))) return false;
  *out = timegm(&tm);
  return true;
}

std::string Rfc3339(int64_t epoch) {
  std::time_t t = epoch;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// False with `problem` when a --cloudtrail source is not one drift reads.
bool CheckSources(const std::vector<std::string>& sources, Problem* problem) {
  for (const auto& s : sources) {
    if (s != "lookup" && s != "none") {
      *problem = {"--cloudtrail " + s + ": drift reads `lookup` or `none`",
                  "CloudTrail log files are read by `gatehouse review --cloudtrail PATH`"};
      return false;
    }
  }
  return true;
}

/// Which sources drift reads: the flags (none wins), else lookup on the aws target.
std::vector<std::string> Sources(const DriftRequest& req, const TargetSpec& target) {
  if (std::find(req.cloudtrail.begin(), req.cloudtrail.end(), "none") != req.cloudtrail.end()) return {};
  if (req.cloudtrail.empty() && target.type == "aws") return {"lookup"};
  return req.cloudtrail;
}

/// Looks up the write events that can explain the plan's changes and matches them.
void Attribute(const PlanResult& planning, int64_t from, int64_t to, DriftAttribution* out) {
  EventQuery query{AttributionEventNames(planning.plan), from, to};
  std::vector<WriteEvent> events;
  EventLookupResult looked = LookupTargetEvents(planning.checked.target, query, [&](const std::string& record) {
    WriteEvent e;
    if (ParseWriteEvent(record, &e)) events.push_back(std::move(e));
  });
  out->requests += looked.requests;
  out->records += looked.records;
  if (!looked.ok) {
    out->warnings.push_back(
        looked.denied
            ? "CloudTrail LookupEvents was denied (" + looked.error + "); the drift is shown without who made it"
            : "CloudTrail lookup failed (" + looked.error + "); the drift is shown without who made it");
    return;
  }
  out->read = true;
  out->changes = AttributeChanges(planning.plan, planning.live, events, out->from, out->to);
}

}  // namespace

DriftResult RunDrift(const DriftRequest& req) {
  DriftResult result;
  int64_t since = 0, to = UnixNow();
  if (!SinceSeconds(req.since, &since)) {
    result.problem = {"--since " + req.since + " is not a duration", "use days or hours, e.g. 30d or 12h"};
    return result;
  }
  if (!req.as_of.empty() && !AsOfSeconds(req.as_of, &to)) {
    result.problem = {"--as-of " + req.as_of + " is not a time",
                      "use a date or RFC 3339 UTC, e.g. 2026-12-02T00:00:00Z"};
    return result;
  }
  if (!CheckSources(req.cloudtrail, &result.problem)) return result;
  PlanRequest plan_req;
  plan_req.config = req.config;
  result.planning = RunPlan(plan_req);
  if (!result.drift()) return result;
  DriftAttribution& a = result.attribution;
  a.sources = Sources(req, result.planning.checked.target);
  if (a.sources.empty()) return result;
  a.from = Rfc3339(to - since);
  a.to = Rfc3339(to);
  Attribute(result.planning, to - since, to, &a);
  return result;
}

}  // namespace gatehouse
