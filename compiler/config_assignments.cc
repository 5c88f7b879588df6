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
    Fields f(n, "an assignment", {"group", "user", "permission_set", "accounts", "application", "expires", "reason"},
             d_);
    AssignmentDecl a;
    a.span = n.span;
    if (!Principal(f, n, &a) || !Grant(f, n, &a)) return;
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

  /// `group` or `user`.
  bool Principal(const Fields& f, const YamlNode& n, AssignmentDecl* a) {
    const YamlNode* g = f.Get("group");
    const YamlNode* u = f.Get("user");
    if (g && u) {
      d_->Error(f.KeyNode("user")->span, "an assignment names either a group or a user, not both",
                "split it into two assignments");
      return false;
    }
    if (!g && !u) {
      d_->Error(n.span, "assignment needs a 'group' or a 'user'", "add group: <name>");
      return false;
    }
    a->principal_type = g ? PrincipalType::kGroup : PrincipalType::kUser;
    if (!GetString(g ? g : u, g ? "group" : "user", &a->principal.value, d_, true, &n.span)) return false;
    a->principal.span = (g ? g : u)->span;
    return true;
  }

  /// `permission_set` + `accounts`, or `application`: never both.
  bool Grant(const Fields& f, const YamlNode& n, AssignmentDecl* a) {
    if (const YamlNode* app = f.Get("application")) {
      for (const char* other : {"permission_set", "accounts"})
        if (f.Get(other)) {
          d_->Error(KeySpanOf(*f.KeyNode(other)),
                    std::string("an assignment grants an application or a permission set on accounts, not both; '") +
                        other + "' cannot go with 'application'",
                    "split it into two assignments");
          return false;
        }
      std::string v;
      if (!GetString(app, "application", &v, d_, true, &n.span)) return false;
      a->application = Located<std::string>{v, app->span};
      return true;
    }
    const YamlNode* ps = f.Get("permission_set");
    if (!ps) {
      d_->Error(n.span, "assignment needs a 'permission_set' (with 'accounts') or an 'application'",
                "add permission_set: <name> and accounts: [...], or application: <name>");
      return false;
    }
    if (!GetString(ps, "permission_set", &a->permission_set.value, d_, true, &n.span)) return false;
    a->permission_set.span = ps->span;
    const YamlNode* acc = f.Get("accounts");
    if (!acc) {
      d_->Error(n.span, "assignment needs 'accounts'",
                "a list of account names or ids, or a selector such as {environment: production}");
      return false;
    }
    return ParseSelector(*acc, &a->accounts);
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
