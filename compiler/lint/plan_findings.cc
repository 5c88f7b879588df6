#include "compiler/lint/plan_findings.h"

#include <sstream>

namespace gatehouse::lint {

namespace {

std::vector<std::string> Parts(const std::string& target) {
  std::vector<std::string> out;
  std::istringstream in(target);
  for (std::string p; std::getline(in, p, '/');) out.push_back(p);
  return out;
}

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0 &&
         (s.size() == tail.size() || s[s.size() - tail.size() - 1] == '/');
}

}  // namespace

PlanTouches::PlanTouches(const Plan& plan, const std::map<std::string, Account>& accounts) {
  for (const Operation& op : plan.operations) {
    const Object& v = op.value();
    if (const auto* u = std::get_if<User>(&v)) changed_.insert(u->user_name);
    if (const auto* g = std::get_if<Group>(&v)) changed_.insert(g->name);
    if (const auto* ps = std::get_if<PermissionSet>(&v)) changed_.insert(ps->name);
    if (const auto* m = std::get_if<Membership>(&v)) changed_.insert({m->group, m->user});
    if (const auto* app = std::get_if<Application>(&v)) changed_.insert(app->name);
    if (const auto* aa = std::get_if<ApplicationAssignment>(&v))
      assignments_.insert(aa->principal + "/application:" + aa->application);
    const auto* a = std::get_if<Assignment>(&v);
    if (!a) continue;
    involved_.insert({a->principal, a->permission_set, a->account_id});
    assignments_.insert(a->principal + "/" + a->permission_set + "/" + a->account_id);
    auto acc = accounts.find(a->account_id);
    if (acc == accounts.end()) continue;
    involved_.insert(acc->second.name);
    assignments_.insert(a->principal + "/" + a->permission_set + "/" + acc->second.name);
  }
}

bool PlanTouches::About(const std::string& target) const {
  std::vector<std::string> parts = Parts(target);
  if (parts.size() <= 1) return changed_.count(target) || involved_.count(target);
  for (const std::string& key : assignments_)
    if (EndsWith(target, key)) return true;
  for (const std::string& p : parts)
    if (changed_.count(p)) return true;
  return false;
}

PlanFindings SplitFindings(std::vector<Finding> findings, const Plan& plan,
                           const std::map<std::string, Account>& accounts) {
  PlanTouches touches(plan, accounts);
  PlanFindings out;
  for (Finding& f : findings) {
    if (f.suppressed) continue;
    (touches.About(f.target) ? out.about_plan : out.rest).push_back(std::move(f.diag));
  }
  return out;
}

}  // namespace gatehouse::lint
