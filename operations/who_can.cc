#include "operations/who_can.h"

#include "operations/classifier.h"

namespace gatehouse {

WhoCanReport RunWhoCan(const WhoCanRequest& req) {
  WhoCanReport report;
  // The action first: a typo is an error before a large config is loaded.
  std::string canonical;
  if (!iam::ResolveAction(req.query.action, &canonical, &report.problem.message, &report.problem.help)) {
    report.stage = AccessStage::kFailed;
    return report;
  }
  report.planning.checked = CheckConfig(req.config);
  if (!report.planning.checked.ok()) return report;
  DirectoryState state;
  if (!ReportedState(req.config.today, req.live, &report.planning, &report.stage, &state)) return report;
  report.source = req.live ? "live directory" : "configuration";
  CustomerPolicyDocuments documents = CustomerPolicyDocumentsOf(report.planning.checked.config);
  PrivilegeClassifier classify = req.classify ? DefaultClassifier(documents) : nullptr;
  WhoCanError error;
  if (!WhoCan(state, documents, req.query, &report.answer, &error, classify)) {
    report.stage = AccessStage::kFailed;
    report.problem = Problem{error.message, error.help};
    return report;
  }
  report.stage = AccessStage::kDone;
  return report;
}

}  // namespace gatehouse
