#pragma once
/// `drift`: the plan read the other way: what differs in the live directory
/// from the configuration (what apply would change back).

#include "operations/plan.h"

namespace gatehouse {

struct DriftResult {
  PlanResult planning;
  bool drift() const { return planning.ok() && !planning.plan.empty(); }
};

DriftResult RunDrift(const ConfigRequest& req);

}  // namespace gatehouse
