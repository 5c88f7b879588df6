// libFuzzer target: SCIM 2.0 responses through the SCIM target's response
// handling (runtime/scim): list paging, members or per-group user filters,
// error bodies, 409 adoption, retries. The input is a whole conversation: one
// segment per HTTP response (fuzz/replay_transport.h).

#include <cstddef>
#include <cstdint>
#include <memory>

#include "replay_transport.h"
#include "runtime/scim/scim_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  scim::ScimOptions options;
  options.base_url = "http://127.0.0.1:1/scim/v2";
  options.token = "fuzz-token";
  options.token_env = "FUZZ_TOKEN";
  options.page_size = 2;
  options.max_attempts = 2;
  scim::ScimTarget target(options, std::make_unique<fuzz::ReplayTransport>(data, size), fuzz::InstantEnvironment());
  std::string err;
  DirectoryState state;
  target.Read({}, &state, &err);
  auto apply = [&](ObjectKind kind, Action action, Object value) {
    Operation op;
    op.kind = kind;
    op.action = action;
    (action == Action::kDelete ? op.before : op.after) = std::move(value);
    target.Apply(op);
  };
  User u;
  u.user_name = "alice";
  u.email = "alice@example.com";
  apply(ObjectKind::kUser, Action::kCreate, u);
  Group g;
  g.name = "Admins";
  apply(ObjectKind::kGroup, Action::kCreate, g);
  apply(ObjectKind::kMembership, Action::kCreate, Membership{"Admins", "alice"});
  apply(ObjectKind::kMembership, Action::kDelete, Membership{"Admins", "alice"});
  apply(ObjectKind::kUser, Action::kDelete, u);
  return 0;
}
