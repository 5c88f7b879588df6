// libFuzzer target: AWS JSON 1.1 responses (identitystore, sso-admin,
// organizations) through the AWS target's response handling (runtime/aws):
// error parsing and retries in JsonClient, paging, the bulk read, the lock's
// wait for requests left in progress, and create-or-adopt. The input is a whole
// conversation: one segment per HTTP response (fuzz/replay_transport.h).

#include <cstddef>
#include <cstdint>
#include <memory>

#include "replay_transport.h"
#include "runtime/aws/aws_target.h"

namespace {

class FixedCredentials : public gatehouse::net::CredentialProvider {
 public:
  bool Get(gatehouse::net::Credentials* out, std::string*) override {
    out->access_key_id = "AKIDFUZZ";
    out->secret_access_key = "fuzz-secret";
    return true;
  }
};

gatehouse::Operation Op(gatehouse::ObjectKind kind, gatehouse::Action action, gatehouse::Object value) {
  gatehouse::Operation op;
  op.kind = kind;
  op.action = action;
  op.after = std::move(value);
  return op;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gatehouse;
  TargetSpec spec;
  spec.type = "aws";
  spec.region = "us-east-1";
  spec.instance_arn = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6";
  spec.identity_store_id = "d-90677b1a2b";
  spec.endpoint_url = "http://127.0.0.1:1";
  spec.discover_accounts = size % 2 == 0;
  aws::JsonClientOptions client;
  client.region = spec.region;
  client.endpoint_url = spec.endpoint_url;
  client.requests_per_second = 1e9;
  client.max_attempts = 3;
  aws::AwsTargetOptions options;
  options.read_parallelism = 1;
  options.poll_initial = std::chrono::milliseconds(0);
  options.poll_timeout = std::chrono::seconds(2);
  options.conflict_attempts = 2;
  aws::AwsTarget target(spec, fuzz::InstantEnvironment(), std::make_unique<fuzz::ReplayTransport>(data, size),
                        std::make_unique<FixedCredentials>(), client, options);
  std::string err;
  target.Lock(&err);
  DirectoryState state;
  std::map<std::string, Account> hint{{"222222222222", Account{}}};
  target.Read(hint, &state, &err);
  User u;
  u.user_name = "alice";
  target.Apply(Op(ObjectKind::kUser, Action::kCreate, u));
  Group g;
  g.name = "Admins";
  target.Apply(Op(ObjectKind::kGroup, Action::kCreate, g));
  target.Apply(Op(ObjectKind::kMembership, Action::kCreate, Membership{"Admins", "alice"}));
  PermissionSet ps;
  ps.name = "Admin";
  ps.managed_policies = {"arn:aws:iam::aws:policy/ReadOnlyAccess"};
  target.Apply(Op(ObjectKind::kPermissionSet, Action::kCreate, ps));
  target.Administrator();
  return 0;
}
