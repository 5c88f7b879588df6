#include "compiler/iam/managed_policies.h"

#include <algorithm>

#include <catch2/catch.hpp>

namespace gatehouse::iam {
namespace {

TEST_CASE("managed policies are found by name, path or ARN") {
  const ManagedPolicy* admin = FindManagedPolicyInfo("AdministratorAccess");
  REQUIRE(admin != nullptr);
  CHECK(admin->arn == "arn:aws:iam::aws:policy/AdministratorAccess");
  CHECK(FindManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess") == &admin->document);

  const ManagedPolicy* view = FindManagedPolicyInfo("job-function/ViewOnlyAccess");
  REQUIRE(view != nullptr);
  CHECK(view->name == "ViewOnlyAccess");
  CHECK(FindManagedPolicyInfo("ViewOnlyAccess") == view);
  CHECK(FindManagedPolicyInfo("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess") == view);
  CHECK(FindManagedPolicyInfo("arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess") == view);
  CHECK(FindManagedPolicy("AdministratorAccess")->at("Statement").is_array());
}

TEST_CASE("unknown or misspelled managed policies are not found") {
  CHECK(FindManagedPolicy("AdministratorAcess") == nullptr);
  CHECK(FindManagedPolicy("administratoraccess") == nullptr);
  CHECK(FindManagedPolicy("arn:aws:iam::aws:policy/ViewOnlyAccess") == nullptr);
  CHECK(FindManagedPolicy("other-path/ViewOnlyAccess") == nullptr);
  CHECK(FindManagedPolicy("arn:aws:iam::123456789012:policy/AdministratorAccess") == nullptr);
  CHECK(ManagedPolicyArnExists("arn:aws:iam::aws:policy/ReadOnlyAccess"));
  CHECK_FALSE(ManagedPolicyArnExists("arn:aws:iam::aws:policy/ReadOnly"));
  CHECK_FALSE(ManagedPolicyArnExists("ReadOnlyAccess"));
}

TEST_CASE("managed policy names are listed sorted") {
  std::vector<std::string> names = ManagedPolicyNames();
  CHECK(names.size() > 1000);
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(std::binary_search(names.begin(), names.end(), "PowerUserAccess"));
}

}  // namespace
}  // namespace gatehouse::iam
