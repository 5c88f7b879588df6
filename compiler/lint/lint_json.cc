// The lint JSON contract (PRODUCT.md §7) and SARIF 2.1.0.
#include <map>

#include <nlohmann/json.hpp>

#include "compiler/lint/lint_output.h"
#include "compiler/lint/rule_catalog.h"
#include "compiler/sha256.h"

namespace gatehouse::lint {

using nlohmann::json;

namespace {

json FindingJson(const Diagnostic& d, const std::string& rule, const std::string& target) {
  return json{{"rule", rule},        {"level", SeverityName(d.severity)}, {"message", d.message}, {"file", d.span.file},
              {"line", d.span.line}, {"column", d.span.column},           {"target", target}};
}

}  // namespace

std::string RenderLintJson(const LintResult& result) {
  json findings = json::array();
  for (const Diagnostic& d : result.config_errors.items()) findings.push_back(FindingJson(d, ConfigErrorRule().id, ""));
  for (const Finding& f : result.findings)
    if (!f.suppressed) findings.push_back(FindingJson(f.diag, f.diag.code, f.target));
  json out{{"format_version", "1"}, {"findings", findings}};
  return out.dump(2) + "\n";
}

std::string LineHash(const std::string& rule, const std::string& target, const std::string& line_text) {
  std::string normalized;
  for (char c : line_text) {
    bool space = c == ' ' || c == '\t' || c == '\r';
    if (space && (normalized.empty() || normalized.back() == ' ')) continue;
    normalized += space ? ' ' : c;
  }
  while (!normalized.empty() && normalized.back() == ' ') normalized.pop_back();
  return Sha256Hex(rule + '\0' + target + '\0' + normalized).substr(0, 32);
}

namespace {

const char* SarifLevel(const std::string& level) { return level == "off" ? "none" : level.c_str(); }

json RuleJson(const RuleInfo& r) {
  std::string markdown =
      "**" + r.id + "**: " + r.rationale + "\n\n**Fix:** " + r.help + "\n\n**Exception target:** " + r.target;
  if (!r.bad_example.empty())
    markdown += "\n\nBad:\n\n```yaml\n" + r.bad_example + "\n```\n\nGood:\n\n```yaml\n" + r.good_example + "\n```";
  bool broad = r.id == "credentials-exposure" || r.id == "permissions-management" || r.id == "environment-separation";
  return json{
      {"id", r.id},
      {"name", r.name},
      {"shortDescription", {{"text", r.rationale.substr(0, r.rationale.find(';'))}}},
      {"fullDescription", {{"text", r.rationale}}},
      {"help", {{"text", r.help + " (" + r.rationale + ")"}, {"markdown", markdown}}},
      {"defaultConfiguration", {{"level", SarifLevel(r.default_level)}}},
      {"properties",
       {{"tags", r.tags}, {"security-severity", r.security_severity}, {"precision", broad ? "medium" : "high"}}}};
}

std::string UriEscape(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string RenderLintSarif(const LintResult& result, const SourceFiles& sources, const SarifOptions& options) {
  std::vector<const RuleInfo*> rules;
  if (!result.config_errors.items().empty()) rules.push_back(&ConfigErrorRule());
  for (const RuleInfo& r : LintRules()) rules.push_back(&r);
  std::map<std::string, size_t> index;
  json rules_json = json::array();
  for (size_t i = 0; i < rules.size(); ++i) {
    index[rules[i]->id] = i;
    rules_json.push_back(RuleJson(*rules[i]));
  }
  json results = json::array();
  std::map<std::string, int> seen_hashes;
  auto add = [&](const Diagnostic& d, const std::string& rule, const std::string& target, const Finding* f) {
    json r{{"ruleId", rule},
           {"ruleIndex", index[rule]},
           {"level", SeverityName(d.severity)},
           {"message", {{"text", d.message + (d.help.empty() ? "" : " (help: " + d.help + ")")}}}};
    if (!d.span.file.empty()) {
      json physical{
          {"artifactLocation", {{"uri", UriEscape(options.uri_prefix + d.span.file)}, {"uriBaseId", "%SRCROOT%"}}}};
      if (d.span.known())
        physical["region"] = {{"startLine", d.span.line}, {"startColumn", std::max(1, d.span.column)}};
      r["locations"] = json::array({{{"physicalLocation", physical}}});
    }
    std::string hash = LineHash(rule, target, sources.Line(d.span.file, d.span.line));
    r["partialFingerprints"] = {{"primaryLocationLineHash", hash + ":" + std::to_string(++seen_hashes[hash])}};
    if (f && f->suppressed)
      r["suppressions"] = json::array({{{"kind", "external"}, {"justification", f->suppression_reason}}});
    results.push_back(std::move(r));
  };
  for (const Diagnostic& d : result.config_errors.items()) add(d, ConfigErrorRule().id, "", nullptr);
  for (const Finding& f : result.findings) add(f.diag, f.diag.code, f.target, &f);
  json run{{"tool",
            {{"driver",
              {{"name", "gatehouse"},
               {"version", options.tool_version},
               {"informationUri", "https://github.com/gatehouse/gatehouse/blob/main/docs/rules.md"},
               {"rules", rules_json}}}}},
           {"results", results},
           {"columnKind", "unicodeCodePoints"}};
  if (!options.root_uri.empty()) run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", options.root_uri}}}};
  json log{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({run})}};
  return log.dump(2) + "\n";
}

}  // namespace gatehouse::lint
