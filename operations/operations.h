#pragma once
/// The operations layer: one function per command, a request in and a result
/// out. Operations own the rules (check once, stale-plan refusal, delete guard,
/// the lock, the audit log, the executor) and never print: the CLI (cli/)
/// picks a view (views/) for the result.
///
///   RunValidate  validate.h   load + validate + compile, no live directory
///   RunLintOperation lint.h   the least-privilege rules
///   RunPlan      plan.h       what apply would change
///   RunApply     apply.h      plan (or a saved plan) and run it, under the lock
///   RunDrift     drift.h      the plan read as drift, attributed from CloudTrail on AWS
///   RunImport    import.h     a config from the live directory
///   RunAccess    access.h     the access matrix, of the config or the live directory
///   RunWhoCan    who_can.h    who can perform an action, across Identity Center
///   RunReview    review.h     every grant with its usage (CloudTrail), provenance (git), recommendation
///
/// A new command is a request/result pair here, with its views in views/.

#include "operations/access.h"
#include "operations/apply.h"
#include "operations/drift.h"
#include "operations/import.h"
#include "operations/lint.h"
#include "operations/plan.h"
#include "operations/review.h"
#include "operations/validate.h"
#include "operations/who_can.h"
