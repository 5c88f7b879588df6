#pragma once
/// CloudTrail LookupEvents (EVIDENCE.md, source `lookup`; CLOUDTRAIL-NOTES.md
/// "LookupEvents") over the JSON client: SigV4 for `cloudtrail` in the
/// target's region, at most 2 requests per second (the family's quota in
/// json_client.cc, adaptive), throttling retried with the shared backoff.

#include "runtime/aws/json_client.h"
#include "runtime/event_lookup.h"
#include "runtime/net/environment.h"
#include "runtime/target.h"

namespace gatehouse::aws {

/// CloudTrail keeps 90 days for LookupEvents.
constexpr int64_t kLookupRetentionSeconds = 90 * 86400;

/// For each event name of `query`, one LookupEvents query (the EventName
/// attribute, StartTime/EndTime, 50 a page, NextToken to the end); each
/// record's `CloudTrailEvent` goes to `visit`. A start older than the 90 days
/// is moved to their beginning. Stops at the first call that fails for good.
EventLookupResult LookupEvents(JsonClient& client, const EventQuery& query, const EventVisitor& visit);

/// The same through a client of its own for an `aws` target spec: its region,
/// endpoint and credentials (the credential chain, as the target resolves it).
EventLookupResult LookupEvents(const TargetSpec& spec, const net::Environment& env, const EventQuery& query,
                               const EventVisitor& visit);

}  // namespace gatehouse::aws
