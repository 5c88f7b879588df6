#include "compiler/config_loader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>

#include "compiler/config_fields.h"
#include "compiler/config_sections.h"

namespace gatehouse {

long ParseIsoDuration(const std::string& s) {
  if (s.size() > 32) return -1;  // std::regex recurses per character: bound the input
  static const std::regex re(R"(P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?)");
  std::smatch m;
  if (!std::regex_match(s, m, re) || s == "P" || s == "PT") return -1;
  auto num = [&](int i) -> long { return m[i].matched ? std::stol(m[i].str().substr(0, 9)) : 0; };
  return num(1) * 86400 + num(2) * 3600 + num(3) * 60 + num(4);
}

bool IsIsoDate(const std::string& s) {
  static const std::regex re(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return false;
  int y = std::stoi(m[1]), mo = std::stoi(m[2]), day = std::stoi(m[3]);
  if (mo < 1 || mo > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 1 : 0);
  return day <= max;
}

std::string ManagedPolicyArn(const std::string& ref) {
  if (ref.rfind("arn:", 0) == 0) return ref;
  return "arn:aws:iam::aws:policy/" + ref;
}

namespace {

nlohmann::json ToJson(const YamlNode& n) {
  switch (n.kind) {
    case YamlNode::Kind::kNull: return nullptr;
    case YamlNode::Kind::kScalar: {
      if (n.plain) {
        if (n.value == "true") return true;
        if (n.value == "false") return false;
        static const std::regex int_re(R"(-?\d{1,15})");
        if (std::regex_match(n.value, int_re)) return std::stoll(n.value);
      }
      return n.value;
    }
    case YamlNode::Kind::kSequence: {
      auto a = nlohmann::json::array();
      for (const auto& i : n.items) a.push_back(ToJson(i));
      return a;
    }
    case YamlNode::Kind::kMap: {
      auto o = nlohmann::json::object();
      for (const auto& [k, v] : n.entries) o[k.value] = ToJson(v);
      return o;
    }
  }
  return nullptr;
}

}  // namespace

std::string YamlToCanonicalJson(const YamlNode& node) { return ToJson(node).dump(); }

bool ClaimSingleton(const YamlNode& key, const std::string& name, SourceSpan* first, Diagnostics* d) {
  if (first->known()) {
    Diagnostic dg;
    dg.message = "'" + name + "' is already declared in " + first->file + ":" + std::to_string(first->line);
    dg.span = KeySpanOf(key);
    dg.help = "'" + name + "' may be written in one file only; merge the two";
    dg.notes.push_back("first declared at " + first->file + ":" + std::to_string(first->line) + ":" +
                       std::to_string(first->column));
    d->Add(dg);
    return false;
  }
  *first = KeySpanOf(key);
  return true;
}

namespace {

template <class F>
void EachItem(const YamlNode& v, const std::string& section, Diagnostics* d, F f) {
  if (v.IsNull()) return;
  if (!ExpectList(v, "'" + section + "'", d)) return;
  for (const auto& item : v.items) {
    if (!item.IsMap()) {
      d->Error(item.span, "each item of '" + section + "' must be a map, not " + item.Describe(), "");
      continue;
    }
    f(item);
  }
}

}  // namespace

void ParseConfigTree(const YamlNode& root, const std::string& file, SourceReader& reader, Config* config,
                     SourceFiles* sources, Diagnostics* diags) {
  if (root.IsNull()) return;  // empty or comment-only file
  if (!root.IsMap()) {
    diags->Error(root.span, "a config file must be a map of sections, not " + root.Describe(),
                 "start with one of: target, settings, accounts, users, groups, permission_sets, "
                 "assignments, applications, policy");
    return;
  }
  static const std::vector<std::string> kSections = {
      "target", "settings", "accounts", "users", "groups", "permission_sets", "assignments", "applications", "policy"};
  Fields f(root, "the config", kSections, diags);
  const SectionContext cx{file, reader, config, sources, diags};
  auto each = [&](const YamlNode& v, const char* section, void (*parse)(const YamlNode&, const SectionContext&)) {
    EachItem(v, section, diags, [&](const YamlNode& i) { parse(i, cx); });
  };
  for (const auto& [k, v] : root.entries) {
    if (!k.IsScalar()) continue;
    const std::string& s = k.value;
    if (s == "target")
      ParseTarget(k, v, cx);
    else if (s == "settings")
      ParseSettings(k, v, cx);
    else if (s == "policy")
      ParsePolicy(k, v, cx);
    else if (s == "accounts")
      each(v, "accounts", ParseAccount);
    else if (s == "users")
      each(v, "users", ParseUser);
    else if (s == "groups")
      each(v, "groups", ParseGroup);
    else if (s == "permission_sets")
      each(v, "permission_sets", ParsePermissionSet);
    else if (s == "assignments")
      each(v, "assignments", ParseAssignment);
    else if (s == "applications")
      each(v, "applications", ParseApplication);
  }
}

namespace {
// Bounds on one config, whatever the SourceReader (docs/reliability.md): a hostile
// or mistaken directory (a checkout of node_modules, a generated dump) gets a clear
// error instead of exhausting memory. The directory reader refuses a single file
// over 32 MiB before reading it; these hold for every reader. 32 MiB: `gatehouse
// import` writes all users to one users.yaml, ~140 bytes each, so 100,000 users
// (within Identity Center's quotas) make a ~14 MiB file.
constexpr size_t kMaxConfigFiles = 10000;
constexpr size_t kMaxFileBytes = size_t{32} << 20;
constexpr size_t kMaxTotalBytes = size_t{64} << 20;
}  // namespace

namespace {

struct ReadFile {
  std::string name, text;
};

/// Reads every file in order, within the size limits; false when the total is over.
bool ReadAll(SourceReader& reader, const std::vector<std::string>& files, std::vector<ReadFile>* out,
             Diagnostics* diags) {
  size_t total = 0;
  for (const auto& file : files) {
    std::string text, err;
    if (!reader.Read(file, &text, &err)) {
      diags->Error(SourceSpan{file, 1, 1, 1}, err, "");
      continue;
    }
    if (text.size() > kMaxFileBytes) {
      diags->Error(SourceSpan{file, 1, 1, 1},
                   "file is larger than the limit of " + std::to_string(kMaxFileBytes >> 20) + " MiB", "");
      continue;
    }
    total += text.size();
    if (total > kMaxTotalBytes) {
      diags->Error(SourceSpan{file, 1, 1, 1}, "the config's files total more than the limit of 64 MiB",
                   "point Gatehouse at the folder that holds only the config");
      return false;
    }
    out->push_back({file, std::move(text)});
  }
  return true;
}

/// Parses the files' YAML on up to one thread per core (large files in pieces,
/// yaml_split.cc): each file into its own tree and diagnostics, in file order.
std::vector<YamlParse> ParseAll(const std::vector<ReadFile>& files) {
  std::vector<YamlSource> sources;
  for (const auto& f : files) sources.push_back({&f.name, &f.text});
  return ParseYamlFiles(sources, YamlLimits{});
}

}  // namespace

bool LoadConfig(SourceReader& reader, Config* config, SourceFiles* sources, Diagnostics* diags) {
  std::vector<std::string> files = reader.ListYamlFiles(diags);
  if (files.size() > kMaxConfigFiles) {
    diags->Error(SourceSpan{files[kMaxConfigFiles], 1, 1, 1},
                 "the config has " + std::to_string(files.size()) + " YAML files; the limit is " +
                     std::to_string(kMaxConfigFiles),
                 "point Gatehouse at the folder that holds only the config");
    return false;
  }
  std::vector<ReadFile> read;
  if (!ReadAll(reader, files, &read, diags)) return false;
  std::vector<YamlParse> parsed = ParseAll(read);
  for (size_t i = 0; i < read.size(); ++i) {
    for (auto& d : parsed[i].diags.items()) diags->Add(std::move(d));
    if (parsed[i].ok) ParseConfigTree(parsed[i].root, read[i].name, reader, config, sources, diags);
    sources->Add(read[i].name, std::move(read[i].text));
    parsed[i].root = YamlNode();  // free each tree once used
  }
  return !diags->HasErrors();
}

}  // namespace gatehouse
