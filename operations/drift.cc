#include "operations/drift.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <tuple>

#include "compiler/evidence.h"
#include "runtime/clock.h"
#include "runtime/evidence/trail.h"
#include "runtime/targets.h"

namespace gatehouse {

namespace {

constexpr char kWithoutWho[] = "; the drift is shown without who made it";

/// False with `problem` when a --cloudtrail source is neither `lookup`, `none`
/// nor a trail file or directory that exists.
bool CheckSources(const std::vector<std::string>& sources, Problem* problem) {
  for (const auto& s : sources) {
    if (s == "lookup" || s == "none") continue;
    std::error_code ec;
    if (s.find("://") == std::string::npos && std::filesystem::exists(s, ec)) continue;
    *problem = {"--cloudtrail " + s + ": not `lookup`, `none` or a trail file or directory that exists",
                "read an organization trail from a local copy of its bucket, e.g. `aws s3 sync s3://BUCKET/AWSLogs "
                "trail/` then `--cloudtrail trail/`"};
    return false;
  }
  return true;
}

/// Which sources drift reads, as given: the flags (none wins), else
/// settings.evidence.cloudtrail, else lookup on the aws target.
std::vector<std::string> Sources(const DriftRequest& req, const CheckedConfig& checked) {
  std::vector<std::string> given = req.cloudtrail;
  if (given.empty())
    for (const auto& s : checked.config.settings.evidence_cloudtrail) given.push_back(s.value);
  if (given.empty() && checked.target.type == "aws") given = {"lookup"};
  if (std::find(given.begin(), given.end(), "none") != given.end()) return {};
  return given;
}

/// A path of settings.evidence is relative to the config directory; a flag's to the working directory.
std::string PathOf(const DriftRequest& req, const std::string& source) {
  if (!req.cloudtrail.empty() || source.empty() || source[0] == '/') return source;
  return req.config.dir + "/" + source;
}

/// Looks up the write events that can explain the plan's changes; false (and a warning) when it fails.
bool LookUp(const PlanResult& planning, int64_t from, int64_t to, std::vector<WriteEvent>* events,
            DriftAttribution* out) {
  EventQuery query{AttributionEventNames(planning.plan), from, to};
  EventLookupResult looked = LookupTargetEvents(planning.checked.target, query, [&](const std::string& record) {
    WriteEvent e;
    if (ParseWriteEvent(record, &e)) events->push_back(std::move(e));
  });
  out->requests += looked.requests;
  out->records += looked.records;
  if (looked.ok) return true;
  out->warnings.push_back(
      std::string(looked.denied ? "CloudTrail LookupEvents was denied (" : "CloudTrail lookup failed (") +
      looked.error + ")" + kWithoutWho);
  return false;
}

/// The write events of the window in the trail files under `path` (the same
/// reader as `review`); a corrupt file is one warning line and skipped.
bool ReadTrail(const std::string& path, const DriftRequest& req, const Plan& plan, std::vector<WriteEvent>* events,
               DriftAttribution* out) {
  std::vector<std::string> files;
  std::string err;
  if (!ListTrailFiles(PathOf(req, path), &files, &err)) {
    out->warnings.push_back(err + kWithoutWho);
    return false;
  }
  UsageCollector collector(nullptr, TimeWindow{out->from, out->to});
  collector.KeepWrites(AttributionEventNames(plan));
  TrailScanStats stats;
  ScanTrailFiles(files, req.threads, &collector, &stats);
  out->records += static_cast<size_t>(collector.records_read());
  out->files_skipped += stats.skipped.size();
  for (const auto& s : stats.skipped) out->warnings.push_back("skipped " + s.path + ": " + s.reason);
  std::vector<WriteEvent> read;
  for (const auto& json : std::move(collector).TakeWrites()) {
    WriteEvent e;
    if (ParseWriteEvent(json, &e)) read.push_back(std::move(e));
  }
  // Newest first, as LookupEvents lists them, whatever worker read which file:
  // events of the same second then explain a change the same way every run.
  std::sort(read.begin(), read.end(), [](const WriteEvent& a, const WriteEvent& b) {
    return std::tie(b.who.time, a.who.event_id) < std::tie(a.who.time, b.who.event_id);
  });
  events->insert(events->end(), std::make_move_iterator(read.begin()), std::make_move_iterator(read.end()));
  return true;
}

/// Reads every source and matches the write events to the plan's changes.
void Attribute(const DriftRequest& req, const PlanResult& planning, int64_t from, int64_t to, DriftAttribution* out) {
  if (planning.checked.target.type != "aws") {
    out->warnings.push_back("attribution matches CloudTrail events by the AWS target's ids; the " +
                            planning.checked.target.type + " target has none" + kWithoutWho);
    return;
  }
  std::vector<WriteEvent> events;
  bool any = false;
  for (const auto& source : out->sources)
    any |= source == "lookup" ? LookUp(planning, from, to, &events, out)
                              : ReadTrail(source, req, planning.plan, &events, out);
  if (!any) return;
  DropDuplicateEvents(&events);
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
  a.sources = Sources(req, result.planning.checked);
  if (a.sources.empty()) return result;
  a.from = FormatUtcTime(to - since);
  a.to = FormatUtcTime(to);
  Attribute(req, result.planning, to - since, to, &a);
  return result;
}

}  // namespace gatehouse
