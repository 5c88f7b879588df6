// libFuzzer target: CloudTrail records as `review` reads them (EVIDENCE.md).
// The first byte of the input picks the source, the rest is its content:
//   '0' (byte % 4 == 0)  a plain trail file `t.json`
//   '1' (1)              a file `t.json.gz` of these bytes (a corrupt gzip, mostly)
//   '2' (2)              the rest gzip-compressed into `t.json.gz`, one gzip member
//                        per segment (split at the line `#--`), so mutations of the
//                        JSON reach the gzip path
//   '3' (3)              LookupEvents: a conversation of HTTP answers
//                        (replay_transport.h) to two event-name lookups, each
//                        `CloudTrailEvent` parsed as review.cc does
// Files go through ListTrailFiles + ScanTrailFiles (runtime/evidence/trail.cc:
// reading, gzip, simdjson, the record fields); records of either source are
// classified by UsageCollector and tallied.

#include <libdeflate.h>
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "replay_transport.h"
#include "runtime/aws/cloudtrail.h"
#include "runtime/evidence/trail.h"

namespace {

using namespace gatehouse;

class FixedCredentials : public net::CredentialProvider {
 public:
  bool Get(net::Credentials* out, std::string*) override {
    out->access_key_id = "AKIDFUZZ";
    out->secret_access_key = "fuzz-secret";
    return true;
  }
};

/// The directory the seeds' trails name (tests/e2e/review_trail.py, examples/gen-startup-trail.py).
DirectoryState Directory(bool live) {
  DirectoryState s;
  for (const char* name : {"alice", "bob", "carol", "dave", "maya", "priya"}) {
    User u;
    u.user_name = name;
    if (live) u.id = std::string("u-") + name;
    s.users[name] = u;
  }
  for (const char* id : {"111111111111", "222222222222", "210987654321", "210987654322", "210987654323"})
    s.accounts[id].id = id;
  for (const char* set : {"Prod_Admin", "ReadOnly", "ProdOperator", "Developer"}) s.permission_sets[set].name = set;
  return s;
}

/// A folder of this process for the trail file, emptied before each input.
const std::string& TrailDir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/gh-fuzz-trail-XXXXXX";
    const char* d = mkdtemp(tmpl);
    return std::string(d ? d : "/tmp");
  }();
  return dir;
}

/// Gzip members of each segment of `text` (split at replay_transport's separator).
std::string GzipSegments(std::string_view text) {
  static libdeflate_compressor* deflater = libdeflate_alloc_compressor(1);
  std::string out;
  for (;;) {
    size_t end = text.find(fuzz::kSegmentSeparator);
    std::string_view seg = text.substr(0, end);
    std::string member(libdeflate_gzip_compress_bound(deflater, seg.size()), '\0');
    member.resize(libdeflate_gzip_compress(deflater, seg.data(), seg.size(), member.data(), member.size()));
    out += member;
    if (end == std::string_view::npos) return out;
    text.remove_prefix(end + fuzz::kSegmentSeparator.size());
  }
}

void ScanFile(const std::string& name, std::string_view bytes, UsageCollector* c) {
  std::string dir = TrailDir();
  std::remove((dir + "/t.json").c_str());
  std::remove((dir + "/t.json.gz").c_str());
  if (FILE* f = std::fopen((dir + "/" + name).c_str(), "wb")) {
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  std::vector<std::string> files;
  std::string err;
  if (!ListTrailFiles(dir, &files, &err)) return;
  TrailScanStats stats;
  ScanTrailFiles(files, 1, c, &stats);
}

void Lookup(const uint8_t* data, size_t size, UsageCollector* c) {
  aws::JsonClientOptions options;
  options.region = "us-east-1";
  options.endpoint_url = "http://127.0.0.1:1";
  options.requests_per_second = 1e9;
  options.max_attempts = 3;
  fuzz::ReplayTransport http(data, size);
  FixedCredentials creds;
  aws::JsonClient client(options, &http, &creds, fuzz::InstantEnvironment());
  EventQuery query{{"Federate", "AssumeRoleWithSAML"}, 1'790'000'000, 1'800'000'000};
  TrailRecord record;
  aws::LookupEvents(client, query, [&](const std::string& json) {
    if (ParseTrailRecord(json, &record)) c->Add(record);
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const DirectoryState state = Directory(false), live = Directory(true);
  static const UsageDirectory dir(state, live);
  UsageCollector c(&dir, TimeWindow{"2026-09-02T00:00:00Z", "2026-12-01T00:00:00Z"});
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: ScanFile("t.json", rest, &c); break;
    case 1: ScanFile("t.json.gz", rest, &c); break;
    case 2: ScanFile("t.json.gz", GzipSegments(rest), &c); break;
    default: Lookup(data + 1, size - 1, &c); break;
  }
  std::set<GrantKey> known{{"alice", "111111111111", "Prod_Admin"}, {"maya", "210987654321", "ProdOperator"}};
  std::move(c).Tally(known);
  return 0;
}
