#include "compiler/iam/managed_policies.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "compiler/iam/embedded_data.h"

namespace gatehouse::iam {
namespace {

constexpr std::string_view kArnPolicyPart = ":iam::aws:policy/";

struct Library {
  std::vector<ManagedPolicy> policies;  // sorted by name
  std::unordered_map<std::string, std::size_t> by_name;
  std::unordered_map<std::string, std::size_t> by_path_name;
};

[[noreturn]] void Corrupt(const char* what) {
  std::fprintf(stderr, "gatehouse: built-in managed policy data is corrupt: %s\n", what);
  std::abort();
}

Library Load() {
  nlohmann::json doc = nlohmann::json::parse(EmbeddedManagedPoliciesJson(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("policies") || !doc["policies"].is_object()) {
    Corrupt("not a JSON object with `policies`");
  }
  Library lib;
  for (auto it = doc["policies"].begin(); it != doc["policies"].end(); ++it) {
    nlohmann::json& entry = it.value();
    if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string()) Corrupt(it.key().c_str());
    ManagedPolicy policy;
    policy.name = it.key();
    policy.path_name = entry[0].get<std::string>();
    policy.arn = "arn:aws" + std::string(kArnPolicyPart) + policy.path_name;
    policy.document = std::move(entry[1]);
    lib.policies.push_back(std::move(policy));
  }
  std::sort(lib.policies.begin(), lib.policies.end(),
            [](const ManagedPolicy& a, const ManagedPolicy& b) { return a.name < b.name; });
  for (std::size_t i = 0; i < lib.policies.size(); ++i) {
    lib.by_name.emplace(lib.policies[i].name, i);
    lib.by_path_name.emplace(lib.policies[i].path_name, i);
  }
  return lib;
}

const Library& TheLibrary() {
  // Immutable after the thread-safe first initialisation.
  static const Library lib = Load();
  return lib;
}

/// "arn:<partition>:iam::aws:policy/<path-name>" -> path-name; "" if not that shape.
std::string_view ArnPathName(std::string_view arn) {
  if (arn.rfind("arn:", 0) != 0) return {};
  std::size_t partition_end = arn.find(':', 4);
  if (partition_end == std::string_view::npos || partition_end == 4) return {};
  std::string_view partition = arn.substr(4, partition_end - 4);
  if (partition.rfind("aws", 0) != 0) return {};
  std::string_view rest = arn.substr(partition_end);
  if (rest.rfind(kArnPolicyPart, 0) != 0) return {};
  return rest.substr(kArnPolicyPart.size());
}

const ManagedPolicy* ByPathName(std::string_view path_name) {
  const Library& lib = TheLibrary();
  auto it = lib.by_path_name.find(std::string(path_name));
  return it == lib.by_path_name.end() ? nullptr : &lib.policies[it->second];
}

}  // namespace

const ManagedPolicy* FindManagedPolicyInfo(std::string_view name_or_arn) {
  if (name_or_arn.rfind("arn:", 0) == 0) {
    std::string_view path_name = ArnPathName(name_or_arn);
    return path_name.empty() ? nullptr : ByPathName(path_name);
  }
  if (name_or_arn.find('/') != std::string_view::npos) return ByPathName(name_or_arn);
  const Library& lib = TheLibrary();
  auto it = lib.by_name.find(std::string(name_or_arn));
  return it == lib.by_name.end() ? nullptr : &lib.policies[it->second];
}

const nlohmann::json* FindManagedPolicy(std::string_view name_or_arn) {
  const ManagedPolicy* policy = FindManagedPolicyInfo(name_or_arn);
  return policy == nullptr ? nullptr : &policy->document;
}

bool ManagedPolicyArnExists(std::string_view arn) {
  std::string_view path_name = ArnPathName(arn);
  return !path_name.empty() && ByPathName(path_name) != nullptr;
}

std::vector<std::string> ManagedPolicyNames() {
  std::vector<std::string> names;
  for (const ManagedPolicy& p : TheLibrary().policies) names.push_back(p.name);
  return names;
}

const std::vector<ManagedPolicy>& AllManagedPolicies() { return TheLibrary().policies; }

}  // namespace gatehouse::iam
