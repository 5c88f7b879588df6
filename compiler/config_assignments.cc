#include "compiler/config_sections.h"

#include <algorithm>
#include <cctype>

#include "compiler/config_fields.h"

namespace gatehouse {

namespace {

/// `assignments:` items and their account selectors.
class AssignmentParser {
 public:
  explicit AssignmentParser(const SectionContext& cx) : c_(cx.config), d_(cx.diags) {}

  void AssignmentItem(const YamlNode& n) {
    Fields f(n, "an assignment", {"group", "user", "permission_set", "accounts", "expires", "reason"}, d_);
    AssignmentDecl a;
    a.span = n.span;
    const YamlNode* g = f.Get("group");
    const YamlNode* u = f.Get("user");
    if (g && u) {
      d_->Error(f.KeyNode("user")->span, "an assignment names either a group or a user, not both",
                "split it into two assignments");
      return;
    }
    if (!g && !u) {
      d_->Error(n.span, "assignment needs a 'group' or a 'user'", "add group: <name>");
      return;
    }
    a.principal_type = g ? PrincipalType::kGroup : PrincipalType::kUser;
    if (!GetString(g ? g : u, g ? "group" : "user", &a.principal.value, d_, true, &n.span)) return;
    a.principal.span = (g ? g : u)->span;
    const YamlNode* ps = f.Get("permission_set");
    if (!GetString(ps, "permission_set", &a.permission_set.value, d_, true, &n.span)) return;
    a.permission_set.span = ps->span;
    const YamlNode* acc = f.Get("accounts");
    if (!acc) {
      d_->Error(n.span, "assignment needs 'accounts'",
                "a list of account names or ids, or a selector such as {environment: production}");
      return;
    }
    if (!ParseSelector(*acc, &a.accounts)) return;
    if (const YamlNode* e = f.Get("expires")) {
      std::string v;
      if (GetString(e, "expires", &v, d_)) {
        if (!IsIsoDate(v))
          d_->Error(e->span, "expires '" + v + "' is not a date", "write it as YYYY-MM-DD, e.g. 2027-01-31");
        else
          a.expires = Located<std::string>{v, e->span};
      }
    }
    GetString(f.Get("reason"), "reason", &a.reason, d_);
    c_->assignments.push_back(a);
  }

  bool ParseSelector(const YamlNode& n, AccountSelector* s) {
    s->span = n.span;
    if (n.IsSequence()) {
      s->is_list = true;
      GetStringList(&n, "'accounts'", &s->refs, d_);
      for (const auto& item : n.items)
        if (item.IsScalar() && item.plain && !item.value.empty() &&
            std::all_of(item.value.begin(), item.value.end(), ::isdigit))
          d_->Error(item.span, "account id " + item.value + " must be quoted",
                    "write \"" + item.value + "\"; YAML reads an unquoted id as a number and drops leading zeros");
      if (s->refs.empty()) d_->Error(n.span, "'accounts' is an empty list", "name at least one account");
      return true;
    }
    if (n.IsScalar()) {  // a single account written without brackets
      s->is_list = true;
      if (n.plain && std::all_of(n.value.begin(), n.value.end(), ::isdigit))
        d_->Error(n.span, "account id " + n.value + " must be quoted", "write \"" + n.value + "\"");
      s->refs.push_back({n.value, n.span});
      return true;
    }
    if (!n.IsMap()) {
      d_->Error(n.span, "'accounts' must be a list of accounts or a selector map, not " + n.Describe(), "");
      return false;
    }
    Fields f(n, "an account selector", {"environment", "ou", "tags", "name", "all"}, d_);
    if (n.entries.empty()) {
      d_->Error(n.span, "the account selector is empty", "use all: true to select every account");
      return false;
    }
    std::string v;
    if (GetString(f.Get("environment"), "environment", &v, d_)) s->environment = v;
    if (const YamlNode* ou = f.Get("ou"); GetString(ou, "ou", &v, d_)) {
      if (v.rfind("Root/", 0) == 0) v = v.substr(5);
      if (v.find("***") != std::string::npos || v.find("//") != std::string::npos)
        d_->Error(ou->span, "ou pattern '" + v + "' is not a valid glob",
                  "use * for one level and ** for any depth, e.g. Workloads/**");
      s->ou = v;
    }
    ParseTags(f.Get("tags"), "selector tags", &s->tags, d_);
    if (GetString(f.Get("name"), "name", &v, d_)) s->name = v;
    if (const YamlNode* all = f.Get("all")) {
      GetBool(all, "all", &s->all, d_);
      if (!s->all) d_->Error(all->span, "all: false selects nothing", "remove it, or use all: true");
    }
    return true;
  }

 private:
  Config* c_;
  Diagnostics* d_;
};

}  // namespace

void ParseAssignment(const YamlNode& item, const SectionContext& cx) { AssignmentParser(cx).AssignmentItem(item); }

}  // namespace gatehouse
