// The live fingerprint is hashed as it is written, piece by piece: it must equal
// the hash of the whole document (what plan files written before hold), and the
// incremental SHA-256 must equal the one-shot one however the data is split.
#include <catch2/catch.hpp>

#include "compiler/sha256.h"
#include "compiler/state_json.h"

using namespace gatehouse;

namespace {

DirectoryState SampleState(bool with_applications) {
  DirectoryState s;
  s.users["alice"] = User{"alice", "Alice Doe", "Alice", "Doe", "alice@example.com", "u-1"};
  s.users["bob"] = User{"bob", "Bob \"B\" Roe", "Bob", "Roe", "", "u-2"};
  s.groups["Admins"] = Group{"Admins", "Café admins", "g-1"};
  s.memberships.insert({"Admins", "alice"});
  PermissionSet ps;
  ps.name = "Admin";
  ps.arn = "arn:aws:sso:::permissionSet/ssoins-1/ps-1";
  ps.managed_policies = {"arn:aws:iam::aws:policy/AdministratorAccess"};
  s.permission_sets[ps.name] = ps;
  s.assignments.insert({PrincipalType::kGroup, "Admins", "Admin", "111111111111"});
  s.assignments.insert({PrincipalType::kUser, "bob", "Admin", "222222222222"});
  if (with_applications) {
    s.applications["Grafana"] = Application{"Grafana", true, "arn:aws:sso::1:application/ssoins-1/apl-1"};
    s.application_assignments.insert({PrincipalType::kGroup, "Admins", "Grafana"});
  }
  return s;
}

}  // namespace

TEST_CASE("fingerprint: streamed hash equals the hash of the whole state document") {
  for (bool apps : {false, true}) {
    DirectoryState s = SampleState(apps);
    CHECK(StateFingerprint(s) == "sha256:" + Sha256Hex(StateToJson(s).dump()));
  }
  CHECK(StateFingerprint(DirectoryState{}) == "sha256:" + Sha256Hex(StateToJson(DirectoryState{}).dump()));
  // Different states, different fingerprints.
  CHECK(StateFingerprint(SampleState(false)) != StateFingerprint(SampleState(true)));
}

TEST_CASE("sha256: known answers, and any split of the input gives the same digest") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>('a' + i % 26);
  const std::string whole = Sha256Hex(data);
  for (size_t step : {1, 3, 55, 56, 63, 64, 65, 127, 200}) {
    Sha256 sha;
    for (size_t off = 0; off < data.size(); off += step) sha.Update(std::string_view(data).substr(off, step));
    CHECK(sha.Hex() == whole);
  }
}
