// Limits on hostile configs that the corpus (tests/corpus/bad) cannot hold as
// committed files: file count, file size and total size for any SourceReader,
// a very long string, and YAML merge keys (docs/reliability.md).

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "compiler/check.h"
#include "compiler/config_loader.h"
#include "compiler/diagnostics.h"
#include "compiler/memory_reader.h"

using namespace gatehouse;

namespace {

std::string Check(std::map<std::string, std::string> files, bool* ok = nullptr) {
  MemoryReader reader(std::move(files));
  Config config;
  SourceFiles sources;
  Diagnostics diags;
  bool passed = CheckConfig(reader, &config, &sources, &diags);
  if (ok) *ok = passed;
  std::string out;
  for (const auto& d : diags.items()) out += d.span.file + ":" + std::to_string(d.span.line) + ": " + d.message + "\n";
  return out;
}

std::string Name(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "f%05d.yaml", i);
  return buf;
}

}  // namespace

TEST_CASE("a config of 10,000 files loads; 10,001 is refused before reading any", "[hostile]") {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 10000; ++i) files[Name(i)] = "# empty\n";
  bool ok = false;
  CHECK(Check(files, &ok).empty());
  CHECK(ok);
  files[Name(10000)] = "# one too many\n";
  std::string out = Check(files, &ok);
  CHECK_FALSE(ok);
  CHECK(out == "f10000.yaml:1: the config has 10001 YAML files; the limit is 10000\n");
}

TEST_CASE("a file over 32 MiB is refused whatever the reader", "[hostile]") {
  bool ok = true;
  std::string big = "# " + std::string((32u << 20), 'x') + "\n";
  std::string out = Check({{"big.yaml", big}, {"ok.yaml", "users: []\n"}}, &ok);
  CHECK_FALSE(ok);
  CHECK(out == "big.yaml:1: file is larger than the limit of 32 MiB\n");
}

TEST_CASE("files totalling over 64 MiB are refused at the file that crosses the limit", "[hostile]") {
  std::map<std::string, std::string> files;
  std::string seven = "# " + std::string((7u << 20), 'x') + "\n";
  for (int i = 0; i < 10; ++i) files[Name(i)] = seven;  // 70 MiB
  bool ok = true;
  std::string out = Check(files, &ok);
  CHECK_FALSE(ok);
  CHECK(out == "f00009.yaml:1: the config's files total more than the limit of 64 MiB\n");
}

TEST_CASE("a megabyte-long key or value is one clean error", "[hostile]") {
  bool ok = true;
  // YAML allows implicit keys of at most 1024 characters: a syntax error at line 1.
  CHECK(Check({{"a.yaml", std::string(1 << 20, 'k') + ": 1\n"}}, &ok) == "a.yaml:1: invalid YAML: illegal map value\n");
  CHECK_FALSE(ok);
  std::string out = Check({{"a.yaml", "users:\n  - {user_name: \"" + std::string(1 << 20, 'u') + "\"}\n"}}, &ok);
  CHECK_FALSE(ok);
  CHECK(out.rfind("a.yaml:2: ", 0) == 0);
}

TEST_CASE("a YAML merge key is not merged: '<<' is an unknown field", "[hostile]") {
  bool ok = true;
  std::string out = Check({{"a.yaml",
                            "users:\n  - &base {user_name: alice, email: a@example.com}\n"
                            "  - <<: *base\n    user_name: bob\n"}},
                          &ok);
  CHECK_FALSE(ok);
  CHECK(out.find("a.yaml:3: unknown field '<<'") == 0);
}

TEST_CASE("a deeply nested inline_policy_file is a nesting error, not a stack overflow", "[hostile]") {
  std::string deep =
      "{\"Version\": \"2012-10-17\", \"Statement\": " + std::string(10000, '[') + std::string(10000, ']') + "}";
  bool ok = true;
  std::string out =
      Check({{"a.yaml", "permission_sets:\n  - name: P\n    inline_policy_file: p.json\n"}, {"p.json", deep}}, &ok);
  CHECK_FALSE(ok);
  CHECK(out.find("p.json:1:") != std::string::npos);
}

// std::regex in libstdc++ recurses once per character it repeats: a long value
// checked against a pattern overflowed the stack (found by the config-file
// fuzzer under ASan: a 38 KB email). Each such value is now bounded or checked
// by hand, and is one clean error.
TEST_CASE("a megabyte-long value where a pattern is checked is one clean error", "[hostile]") {
  const std::string mega(1 << 20, '[');
  const std::string digits(1 << 20, '1');
  struct Case {
    std::string yaml, error;
  };
  const std::vector<Case> cases = {
      {"users:\n  - {user_name: a, email: \"a@exa" + mega + "\"}\n", "is not an email address"},
      {"permission_sets:\n  - {name: S, session_duration: \"P" + digits + "D\"}\n", "is not an ISO-8601 duration"},
      {"permission_sets:\n  - {name: S, managed_policies: [\"arn:aws:iam::aws:policy/" + std::string(1 << 20, 'a') +
           "\"]}\n",
       "is not an AWS managed policy name or ARN"},
      {"target: {type: aws, region: \"eu-" + std::string(1 << 20, 'a') + "-1\"}\n", "is not an AWS region name"},
  };
  for (const auto& c : cases) {
    bool ok = true;
    std::string out = Check({{"config.yaml", c.yaml}}, &ok);
    INFO(out.substr(0, 300));
    CHECK_FALSE(ok);
    CHECK(out.find(c.error) != std::string::npos);
  }
}

TEST_CASE("an inline_policy_file with a number too large for a double is an error at the number", "[hostile]") {
  bool ok = true;
  std::string out = Check({{"config.yaml", "permission_sets:\n  - {name: S, inline_policy_file: p.json}\n"},
                           {"p.json", "{\"Version\": \"2012-10-17\",\n \"Statement\": [1e999999]}"}},
                          &ok);
  CHECK_FALSE(ok);
  CHECK(out == "p.json:2: invalid JSON policy: number overflow parsing '1e999999'\n");
}
