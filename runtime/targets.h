#pragma once
/// The target registry: the one place that knows every backend. A config's
/// `target:` names the main target (`local` or `aws`); with
/// `users_and_groups.scim` the main target is wrapped in the SCIM decorator
/// (runtime/scim/composite_target.h), which keeps users, groups and
/// memberships in the SCIM service.

#include <memory>
#include <string>

#include "runtime/event_lookup.h"
#include "runtime/target.h"

namespace gatehouse {

/// Opens the target `spec` names; `aws` and SCIM read credentials, tokens and
/// the region from the process environment. Null with `err` (never a secret)
/// when the spec is incomplete or the target cannot be reached.
std::unique_ptr<Target> OpenTarget(const TargetSpec& spec, std::string* err);

/// CloudTrail LookupEvents where an `aws` target spec lives (its account,
/// region, endpoint and credentials): every record `query` finds goes to
/// `visit` as JSON text (EVIDENCE.md, `--cloudtrail lookup`). Within 2
/// requests/s, throttling retried. Other targets: not ok, `error` says why.
EventLookupResult LookupTargetEvents(const TargetSpec& spec, const EventQuery& query, const EventVisitor& visit);

}  // namespace gatehouse
