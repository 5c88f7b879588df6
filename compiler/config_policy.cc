#include "compiler/config_sections.h"

#include <algorithm>

#include "compiler/config_fields.h"
#include "compiler/rule_ids.h"

namespace gatehouse {

namespace {

/// `policy:` — break-glass groups, rule levels and parameters, exceptions.
class PolicyParser {
 public:
  explicit PolicyParser(const SectionContext& cx) : c_(cx.config), d_(cx.diags) {}

  void Policy(const YamlNode& key, const YamlNode& v) {
    if (!ClaimSingleton(key, "policy", &c_->policy.span, d_)) return;
    c_->has_policy = true;
    if (v.IsNull() || !ExpectMap(v, "'policy'", d_)) return;
    Fields f(v, "policy", {"break_glass_groups", "rules", "exceptions"}, d_);
    GetStringList(f.Get("break_glass_groups"), "'break_glass_groups'", &c_->policy.break_glass_groups, d_);
    if (const YamlNode* r = f.Get("rules"); r && !r->IsNull() && ExpectMap(*r, "'rules'", d_))
      for (const auto& [k, val] : r->entries) RuleEntry(k, val);
    if (const YamlNode* ex = f.Get("exceptions"); ex && !ex->IsNull() && ExpectList(*ex, "'exceptions'", d_))
      for (const auto& item : ex->items)
        if (ExpectMap(item, "an exception", d_)) ExceptionItem(item);
  }

  /// `policy.rules.ID: LEVEL` or `ID: {level: LEVEL, param: ...}`; lint checks the parameters.
  void RuleEntry(const YamlNode& k, const YamlNode& val) {
    const auto& ids = KnownRuleIds();
    if (std::find(ids.begin(), ids.end(), k.value) == ids.end()) {
      std::string suggestion = DidYouMean(k.value, ids);
      d_->Error(KeySpanOf(k), "unknown rule '" + k.value + "'" + (suggestion.empty() ? "" : "; " + suggestion),
                "'gatehouse lint --explain RULE' describes a rule");
      return;
    }
    RuleConfig rc;
    rc.span = KeySpanOf(k);
    rc.node = val;
    if (val.IsScalar()) {
      rc.level = val.value;
    } else if (val.IsMap()) {
      if (const YamlNode* lv = val.Find("level")) GetString(lv, "level", &rc.level, d_);
    } else {
      d_->Error(val.span, "a rule takes a level (error, warning, note, off) or a map with 'level' and parameters", "");
      return;
    }
    if (!rc.level.empty() && rc.level != "error" && rc.level != "warning" && rc.level != "note" && rc.level != "off") {
      const YamlNode* at = val.IsScalar() ? &val : val.Find("level");
      d_->Error(at->span, "rule level must be error, warning, note or off, not '" + rc.level + "'",
                DidYouMean(rc.level, {"error", "warning", "note", "off"}));
    }
    c_->policy.rules[k.value] = rc;
  }

  void ExceptionItem(const YamlNode& item) {
    Fields fe(item, "an exception", {"rule", "target", "reason", "expires"}, d_);
    RuleException e;
    e.span = item.span;
    bool ok = GetString(fe.Get("rule"), "rule", &e.rule, d_, true, &item.span);
    if (ok) {
      e.rule_span = fe.Get("rule")->span;
      const auto& ids = KnownRuleIds();
      if (std::find(ids.begin(), ids.end(), e.rule) == ids.end()) {
        std::string suggestion = DidYouMean(e.rule, ids);
        d_->Error(e.rule_span, "unknown rule '" + e.rule + "'" + (suggestion.empty() ? "" : "; " + suggestion), "");
        ok = false;
      }
    }
    ok &= GetString(fe.Get("target"), "target", &e.target, d_, true, &item.span);
    if (!GetString(fe.Get("reason"), "reason", &e.reason, d_) || e.reason.empty()) {
      d_->Error(item.span, "an exception needs a 'reason'", "say why the finding is accepted and who approved it");
      ok = false;
    }
    const YamlNode* exp = fe.Get("expires");
    if (!GetString(exp, "expires", &e.expires, d_)) {
      d_->Error(item.span, "an exception needs an 'expires' date", "add expires: YYYY-MM-DD");
      ok = false;
    } else if (!IsIsoDate(e.expires)) {
      d_->Error(exp->span, "expires '" + e.expires + "' is not a date", "write it as YYYY-MM-DD");
      ok = false;
    } else {
      e.expires_span = exp->span;
    }
    if (ok) c_->policy.exceptions.push_back(e);
  }

 private:
  Config* c_;
  Diagnostics* d_;
};

}  // namespace

void ParsePolicy(const YamlNode& key, const YamlNode& value, const SectionContext& cx) {
  PolicyParser(cx).Policy(key, value);
}

}  // namespace gatehouse
