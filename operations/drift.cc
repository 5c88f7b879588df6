#include "operations/drift.h"

namespace gatehouse {

DriftResult RunDrift(const ConfigRequest& req) {
  PlanRequest plan_req;
  plan_req.config = req;
  return DriftResult{RunPlan(plan_req)};
}

}  // namespace gatehouse
