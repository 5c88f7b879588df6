#include "operations/review.h"

#include "operations/open_target.h"
#include "runtime/evidence/git_blame.h"
#include "runtime/evidence/trail.h"
#include "runtime/targets.h"

namespace gatehouse {

namespace {

/// Why applications have no last_used (EVIDENCE.md names no application event).
constexpr char kApplicationUsageNote[] =
    "usage of applications is not measured: CloudTrail's portal events (Federate, GetRoleCredentials) name an "
    "account and a permission set, not an application; their last_used, uses and recommendation are unknown";

/// The window `--since` long ending at `--as-of` (default now).
bool WindowOf(const ReviewRequest& req, TimeWindow* w, Problem* p) {
  int64_t span = 0, end = 0;
  if (!ParseDuration(req.since, &span)) {
    *p = {"--since '" + req.since + "' is not a duration", "a whole number of days or hours: 90d, 36h"};
    return false;
  }
  const std::string& as_of = req.as_of.empty() ? req.now : req.as_of;
  if (!ParseUtcTime(as_of, &end)) {
    *p = {"--as-of '" + as_of + "' is not a time", "RFC 3339 (2026-12-02T09:00:00Z) or a date (2026-12-02)"};
    return false;
  }
  *w = {FormatUtcTime(end - span), FormatUtcTime(end)};
  return true;
}

/// The sources as given (the flag's, else the config's, else none), `none` left out.
std::vector<std::string> SourcesOf(const ReviewRequest& req, const Config& c) {
  std::vector<std::string> given = req.cloudtrail;
  if (given.empty())
    for (const auto& s : c.settings.evidence_cloudtrail) given.push_back(s.value);
  std::vector<std::string> out;
  for (const auto& s : given)
    if (s != "none") out.push_back(s);
  return out;
}

/// A path of settings.evidence is relative to the config directory; a flag's to the working directory.
std::string PathOf(const ReviewRequest& req, const std::string& source) {
  if (!req.cloudtrail.empty() || source.empty() || source[0] == '/') return source;
  return req.config.dir + "/" + source;
}

/// The live directory, for the user ids of portal records.
bool ReadLive(AccessResult& access, DirectoryState* live, Problem* p) {
  PlanResult& planning = access.planning;
  if (planning.planning_ran) return *live = planning.live, true;
  std::unique_ptr<Target> target = OpenConfiguredTarget(planning.checked.target, &p->message);
  if (!target) return false;
  if (target->Read(planning.compiled.desired.accounts, live, &p->message)) return true;
  p->message = "cannot read the live directory for user ids: " + p->message;
  return false;
}

/// Usage records of the window from CloudTrail LookupEvents where the target
/// lives: the portal's Federate and GetRoleCredentials (CLOUDTRAIL-NOTES.md; the
/// member accounts' AssumeRoleWithSAML is not in the management account's
/// history). A denied or failed lookup is one warning; the review goes on.
void LookUp(const TargetSpec& target, const TimeWindow& w, UsageCollector* c, std::vector<std::string>* warnings) {
  int64_t from = 0, to = 0;
  ParseUtcTime(w.from, &from);
  ParseUtcTime(w.to, &to);
  EventQuery query{{"Federate", "GetRoleCredentials"}, from, to};
  TrailRecord record;
  EventLookupResult looked = LookupTargetEvents(target, query, [&](const std::string& json) {
    if (ParseTrailRecord(json, &record)) c->Add(record);
  });
  if (!looked.ok)
    warnings->push_back(std::string(looked.denied ? "CloudTrail LookupEvents was denied" : "CloudTrail lookup failed") +
                        " (" + looked.error + "); usage from lookup is not shown");
}

/// Reads every source into `c`; what was read goes to `ev`.
bool Collect(const ReviewRequest& req, const TargetSpec& target, const TimeWindow& w, UsageCollector* c,
             ReviewResult* r) {
  EvidenceSummary* ev = &r->review.evidence;
  for (const auto& source : ev->sources) {
    if (source == "lookup") {
      LookUp(target, w, c, &r->warnings);
      continue;
    }
    std::vector<std::string> files;
    if (!ListTrailFiles(PathOf(req, source), &files, &r->problem.message)) return false;
    TrailScanStats stats;
    ScanTrailFiles(files, req.threads, c, &stats);
    ev->files_skipped += static_cast<long>(stats.skipped.size());
    ev->skipped.insert(ev->skipped.end(), stats.skipped.begin(), stats.skipped.end());
  }
  ev->records_read = c->records_read();
  return true;
}

/// Usage of the grants in the window; false with `p` when a source cannot be read.
bool Usage(const ReviewRequest& req, ReviewResult* r, const TimeWindow& w, UsageTally* tally) {
  DirectoryState live;
  if (!ReadLive(r->access, &live, &r->problem)) return false;
  const DirectoryState& state = r->access.planning.compiled.desired;
  UsageDirectory dir(state, live);
  UsageCollector c(&dir, w);
  if (!Collect(req, r->access.planning.checked.target, w, &c, r)) return false;
  *tally = std::move(c).Tally(GrantKeys(r->access.entries));
  r->review.evidence.usage_events = tally->usage_events;
  r->review.evidence.unmatched = tally->unmatched;
  for (const auto& s : r->review.evidence.skipped) r->warnings.push_back("skipped " + s.path + ": " + s.reason);
  return true;
}

ReviewStage StageOf(AccessStage s) {
  switch (s) {
    case AccessStage::kConfigInvalid: return ReviewStage::kConfigInvalid;
    case AccessStage::kPlanFailed: return ReviewStage::kPlanFailed;
    case AccessStage::kCompileInvalid: return ReviewStage::kCompileInvalid;
    case AccessStage::kFailed: return ReviewStage::kFailed;
    case AccessStage::kDone: break;
  }
  return ReviewStage::kDone;
}

}  // namespace

ReviewResult RunReview(const ReviewRequest& req) {
  ReviewResult r;
  r.access = RunAccess(AccessRequest{req.config, false, {}});
  if ((r.stage = StageOf(r.access.stage)) != ReviewStage::kDone) return r.problem = r.access.problem, r;
  r.stage = ReviewStage::kFailed;
  const DirectoryState& state = r.access.planning.compiled.desired;
  ReviewInputs in{&r.access.planning.checked.config, &state, {}, {}, false, nullptr, nullptr, {}};
  if (!WindowOf(req, &in.window, &r.problem)) return r;
  if (std::string err = CheckAccessFilter(state, req.filter, r.access.source); !err.empty())
    return r.problem.message = err, r;
  r.review.evidence.sources = SourcesOf(req, r.access.planning.checked.config);
  UsageTally tally;
  if (!r.review.evidence.sources.empty()) {
    if (!Usage(req, &r, in.window, &tally)) return r;
    in.tally = &tally;
  }
  GitBlame git(req.config.dir);
  if (git.in_repo())
    in.provenance = [&git](const std::string& f, int first, int last) { return git.Lines(f, first, last); };
  in.entries = FilterAccess(r.access.entries, req.filter);
  in.application_entries = FilterApplicationAccess(r.access.application_entries, req.filter);
  in.filtered = !req.filter.user.empty() || !req.filter.account.empty() || !req.filter.permission_set.empty();
  EvidenceSummary evidence = std::move(r.review.evidence);
  r.review = BuildReview(std::move(in));
  r.review.evidence = std::move(evidence);
  if (!git.in_repo()) r.review.notes.push_back(req.config.dir + " is not in a git work tree: granted is unknown");
  if (!r.review.applications.empty()) r.review.notes.push_back(kApplicationUsageNote);
  r.stage = ReviewStage::kDone;
  return r;
}

}  // namespace gatehouse
