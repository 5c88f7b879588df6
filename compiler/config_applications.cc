#include "compiler/config_sections.h"

#include "compiler/config_fields.h"

namespace gatehouse {

namespace {

/// The shape of an application ARN (sso-admin's ApplicationArn pattern).
bool LooksLikeApplicationArn(const std::string& v) {
  return v.rfind("arn:aws", 0) == 0 && v.find(":sso::") != std::string::npos &&
         v.find(":application/") != std::string::npos && v.find("/apl-") != std::string::npos;
}

}  // namespace

/// One item of `applications:`: {name | arn, assignment_required}.
void ParseApplication(const YamlNode& n, const SectionContext& cx) {
  Diagnostics* d = cx.diags;
  Fields f(n, "an application", {"name", "arn", "assignment_required"}, d);
  ApplicationDecl a;
  a.span = n.span;
  const YamlNode* name = f.Get("name");
  const YamlNode* arn = f.Get("arn");
  if (name && arn) {
    d->Error(KeySpanOf(*f.KeyNode("arn")), "an application is named by 'name' or by 'arn', not both",
             "keep one: the name it has in Identity Center, or its ARN");
    return;
  }
  if (!name && !arn) {
    d->Error(n.span, "application needs a 'name' or an 'arn'", "add name: <the application's name in Identity Center>");
    return;
  }
  if (name) {
    if (!GetString(name, "name", &a.name, d, true, &n.span)) return;
    CheckLength(*name, "application name", a.name, 1, 100, d);
    a.ref_span = name->span;
  } else {
    if (!GetString(arn, "arn", &a.arn, d, true, &n.span)) return;
    if (!LooksLikeApplicationArn(a.arn)) {
      d->Error(arn->span, "'" + a.arn + "' is not an application ARN",
               "it looks like arn:aws:sso::123456789012:application/ssoins-<16>/apl-<16>");
      return;
    }
    a.ref_span = arn->span;
  }
  if (const YamlNode* r = f.Get("assignment_required")) {
    bool v = false;
    if (GetBool(r, "assignment_required", &v, d)) a.assignment_required = v;
    a.required_span = r->span;
  }
  cx.config->applications.push_back(a);
}

}  // namespace gatehouse
