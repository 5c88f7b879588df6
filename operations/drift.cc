#include "operations/drift.h"

#include <algorithm>

#include "compiler/evidence.h"
#include "runtime/clock.h"
#include "runtime/targets.h"

namespace gatehouse {

namespace {

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
  if (!ParseDuration(req.since, &since)) {
    result.problem = {"--since " + req.since + " is not a duration", "use days or hours, e.g. 30d or 12h"};
    return result;
  }
  if (!req.as_of.empty() && !ParseUtcTime(req.as_of, &to)) {
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
  a.from = FormatUtcTime(to - since);
  a.to = FormatUtcTime(to);
  Attribute(result.planning, to - since, to, &a);
  return result;
}

}  // namespace gatehouse
