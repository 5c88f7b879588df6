// `gatehouse import` writes target.yaml (compiler/config_writer.h): every value
// must read back as the same string, whatever characters a path or URL holds.
#include <catch2/catch.hpp>

#include <string>

#include "compiler/config_writer.h"
#include "compiler/yaml_tree.h"

using namespace gatehouse;

namespace {

/// The scalar at target.<key> (or target.users_and_groups.scim.<key>) of `yaml`.
std::string ReadBack(const std::string& yaml, const std::string& key, bool scim = false) {
  YamlNode root;
  Diagnostics diags;
  REQUIRE(ParseYaml("target.yaml", yaml, YamlLimits{}, &root, &diags));
  const YamlNode* t = root.Find("target");
  REQUIRE(t);
  if (scim) t = t->Find("users_and_groups")->Find("scim");
  const YamlNode* v = t->Find(key);
  REQUIRE(v);
  REQUIRE(v->IsScalar());
  return v->value;
}

}  // namespace

TEST_CASE("import's target.yaml: ordinary ids, ARNs and URLs stay plain", "[import]") {
  TargetConfig t;
  t.type = "aws";
  t.region = "eu-west-1";
  t.instance_arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef";
  t.identity_store_id = "d-1234567890";
  t.endpoint_url = "http://127.0.0.1:4566";
  std::string y = RenderTargetYaml(t);
  CHECK(y.find("region: eu-west-1\n") != std::string::npos);
  CHECK(y.find("instance_arn: arn:aws:sso:::instance/ssoins-1234567890abcdef\n") != std::string::npos);
  CHECK(ReadBack(y, "endpoint_url") == "http://127.0.0.1:4566");
}

TEST_CASE("import's target.yaml: a path or URL YAML would misread is quoted", "[import]") {
  for (const std::string path : {"dir #1/directory.json", "a: b.json", "- dash.json", "yes", "123", "#x",
                                 "x:", "'quoted'.json", "tab\there.json"}) {
    TargetConfig t;
    t.type = "local";
    t.path = path;
    INFO(path);
    CHECK(ReadBack(RenderTargetYaml(t), "path") == path);
  }
  TargetConfig t;
  t.type = "aws";
  t.region = "eu-west-1";
  t.scim_url = "https://scim.example.com/v2/?a=1 #frag";
  t.scim_token_env = "SCIM_TOKEN";
  CHECK(ReadBack(RenderTargetYaml(t), "url", true) == t.scim_url);
}
