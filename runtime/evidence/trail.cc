#include "runtime/evidence/trail.h"

#include <libdeflate.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

namespace gatehouse {

namespace {

namespace fs = std::filesystem;
namespace dom = simdjson::dom;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// A CloudTrail log file by name; digests (CloudTrail-Digest) and insights are not event logs.
bool IsTrailFile(const fs::path& p) {
  std::string name = p.filename().string();
  if (!EndsWith(name, ".json") && !EndsWith(name, ".json.gz")) return false;
  for (const auto& part : p)
    if (part == "CloudTrail-Digest" || part == "CloudTrail-Insight") return false;
  return name.find("CloudTrail-Digest") == std::string::npos && name.find("CloudTrail-Insight") == std::string::npos;
}

/// A string value, or "" for null, numbers and anything else.
void Str(dom::element v, std::string* out) {
  std::string_view s;
  if (v.get_string().get(s) == simdjson::SUCCESS)
    out->assign(s);
  else
    out->clear();
}

void ReadIdentity(dom::element v, TrailRecord* r) {
  dom::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return;
  for (auto [k, value] : o) {
    if (k == "userName") {
      Str(value, &r->user_name);
    } else if (k == "onBehalfOf") {
      dom::element id;
      if (value["userId"].get(id) == simdjson::SUCCESS) Str(id, &r->on_behalf_user_id);
    }
  }
}

void ReadRequest(dom::element v, TrailRecord* r) {
  dom::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return;
  for (auto [k, value] : o) {
    if (k == "accountId")
      Str(value, &r->request_account_id);
    else if (k == "roleName")
      Str(value, &r->request_role_name);
    else if (k == "roleArn")
      Str(value, &r->role_arn);
    else if (k == "roleSessionName")
      Str(value, &r->role_session_name);
  }
}

void ReadDetails(dom::element v, TrailRecord* r) {
  dom::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return;
  for (auto [k, value] : o) {
    if (k == "account_id")
      Str(value, &r->detail_account_id);
    else if (k == "role_name")
      Str(value, &r->detail_role_name);
  }
}

/// One record object into `r` (every field reset first).
void ReadRecord(dom::object o, TrailRecord* r) {
  for (std::string* s :
       {&r->event_id, &r->event_time, &r->event_source, &r->event_name, &r->error_code, &r->recipient_account_id,
        &r->user_name, &r->on_behalf_user_id, &r->detail_account_id, &r->detail_role_name, &r->request_account_id,
        &r->request_role_name, &r->role_arn, &r->role_session_name})
    s->clear();
  for (auto [k, v] : o) {
    if (k == "eventID")
      Str(v, &r->event_id);
    else if (k == "eventTime")
      Str(v, &r->event_time);
    else if (k == "eventSource")
      Str(v, &r->event_source);
    else if (k == "eventName")
      Str(v, &r->event_name);
    else if (k == "errorCode")
      Str(v, &r->error_code);
    else if (k == "recipientAccountId")
      Str(v, &r->recipient_account_id);
    else if (k == "userIdentity")
      ReadIdentity(v, r);
    else if (k == "requestParameters")
      ReadRequest(v, r);
    else if (k == "serviceEventDetails")
      ReadDetails(v, r);
  }
}

/// What one worker reuses from file to file.
struct Worker {
  libdeflate_decompressor* inflater = libdeflate_alloc_decompressor();
  dom::parser parser;
  std::string raw;   ///< the file as read
  std::string text;  ///< the JSON, with simdjson's padding after `size`
  size_t size = 0;
  TrailRecord record;
  ~Worker() { libdeflate_free_decompressor(inflater); }
};

bool ReadWhole(const std::string& path, std::string* out, std::string* err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return *err = "cannot open", false;
  in.seekg(0, std::ios::end);
  out->resize(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  if (!in.read(out->data(), static_cast<std::streamsize>(out->size()))) return *err = "cannot read", false;
  return true;
}

/// Inflates every gzip member of `w->raw` into `w->text`. The trailer's size is the
/// first guess; DEFLATE expands at most ~1032:1, which bounds the buffer whatever the
/// trailer of a corrupt file says.
bool Gunzip(Worker* w, std::string* err) {
  const std::string& in = w->raw;
  if (in.size() < 18) return *err = "not valid gzip (too short)", false;
  uint32_t isize = 0;
  for (int i = 0; i < 4; ++i)
    isize |= static_cast<uint32_t>(static_cast<unsigned char>(in[in.size() - 4 + i])) << (8 * i);
  const size_t limit = in.size() * 1032 + 4096;
  size_t guess = isize > limit ? in.size() * 8 : std::max<size_t>(isize, in.size() * 4);
  w->size = 0;
  for (size_t pos = 0; pos < in.size();) {
    size_t used = 0, produced = 0;
    if (w->text.size() < w->size + guess + simdjson::SIMDJSON_PADDING)
      w->text.resize(w->size + guess + simdjson::SIMDJSON_PADDING);
    libdeflate_result rc = libdeflate_gzip_decompress_ex(w->inflater, in.data() + pos, in.size() - pos,
                                                         w->text.data() + w->size, guess, &used, &produced);
    if (rc == LIBDEFLATE_INSUFFICIENT_SPACE && guess < limit) {
      guess = std::min(guess * 2, limit);
      continue;
    }
    if (rc != LIBDEFLATE_SUCCESS) return *err = "not valid gzip", false;
    pos += used;
    w->size += produced;
  }
  return true;
}

/// A record of an event name `into` keeps (drift attribution's writes), as JSON text.
void KeepWrite(dom::element rec, dom::object o, UsageCollector* into) {
  std::string_view name, time;
  if (o["eventName"].get_string().get(name) != simdjson::SUCCESS || !into->WantsWrite(name)) return;
  if (o["eventTime"].get_string().get(time) != simdjson::SUCCESS) return;
  into->AddWrite(std::string(time), simdjson::to_string(rec));
}

/// Parses `w->text` and adds each record to `into`; false with `err` on invalid JSON.
/// The DOM parser picks the best kernel for the CPU at run time.
bool ParseRecords(Worker* w, UsageCollector* into, std::string* err) {
  dom::element doc;
  if (auto e = w->parser.parse(w->text.data(), w->size, false).get(doc); e != simdjson::SUCCESS)
    return *err = std::string("invalid JSON: ") + simdjson::error_message(e), false;
  dom::array records;
  if (doc["Records"].get_array().get(records) != simdjson::SUCCESS) return *err = "no \"Records\" list", false;
  for (dom::element rec : records) {
    dom::object o;
    std::string_view source;
    if (rec.get_object().get(o) != simdjson::SUCCESS) continue;
    if (into->KeepsWrites()) KeepWrite(rec, o, into);
    if (o["eventSource"].get_string().get(source) == simdjson::SUCCESS && !MayBeUsage(source)) {
      into->AddOther();  // another service's call: its fields are not read
      continue;
    }
    ReadRecord(o, &w->record);
    into->Add(w->record);
  }
  return true;
}

/// One file into `into`: all of its records, or none with `err`.
bool ScanFile(const std::string& path, Worker* w, UsageCollector* into, std::string* err) {
  if (!ReadWhole(path, &w->raw, err)) return false;
  bool gzip = w->raw.size() >= 2 && static_cast<unsigned char>(w->raw[0]) == 0x1f &&
              static_cast<unsigned char>(w->raw[1]) == 0x8b;
  if (gzip || EndsWith(path, ".gz")) {
    if (!Gunzip(w, err)) return false;
  } else {
    w->size = w->raw.size();
    w->text.resize(w->size + simdjson::SIMDJSON_PADDING);
    std::copy(w->raw.begin(), w->raw.end(), w->text.begin());
  }
  UsageCollector file = into->Fork();
  if (!ParseRecords(w, &file, err)) return false;
  into->Merge(std::move(file));
  return true;
}

}  // namespace

bool ListTrailFiles(const std::string& path, std::vector<std::string>* files, std::string* err) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st))
    return *err = "cannot read CloudTrail source '" + path + "': no such file or directory", false;
  if (!fs::is_directory(st)) {
    files->push_back(path);
    return true;
  }
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec) && IsTrailFile(it->path())) files->push_back(it->path().string());
  if (ec) return *err = "cannot walk CloudTrail source '" + path + "': " + ec.message(), false;
  std::sort(files->begin(), files->end());
  return true;
}

void ScanTrailFiles(const std::vector<std::string>& files, int threads, UsageCollector* collector,
                    TrailScanStats* stats) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(1, files.size())));
  std::vector<std::string> errors(files.size());
  std::vector<UsageCollector> partial(static_cast<size_t>(threads), collector->Fork());
  std::atomic<size_t> next{0};
  auto work = [&](UsageCollector* into) {
    Worker w;
    for (size_t i; (i = next.fetch_add(1)) < files.size();) {
      try {
        if (!ScanFile(files[i], &w, into, &errors[i]) && errors[i].empty()) errors[i] = "unreadable";
      } catch (const std::exception& e) {  // e.g. out of memory on one huge file: that file only
        errors[i] = std::string("cannot read: ") + e.what();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, &partial[static_cast<size_t>(t)]);
  work(&partial[0]);
  for (auto& t : pool) t.join();
  for (auto& p : partial) collector->Merge(std::move(p));
  for (size_t i = 0; i < files.size(); ++i) {
    if (errors[i].empty())
      ++stats->files_read;
    else
      stats->skipped.push_back({files[i], errors[i]});
  }
}

bool ParseTrailRecord(std::string_view json, TrailRecord* out) {
  thread_local dom::parser parser;
  dom::object o;
  if (parser.parse(json.data(), json.size()).get_object().get(o) != simdjson::SUCCESS) return false;
  ReadRecord(o, out);
  return true;
}

long AddTrailRecords(const std::vector<std::string>& records, UsageCollector* collector) {
  long bad = 0;
  TrailRecord r;
  for (const auto& json : records) {
    if (ParseTrailRecord(json, &r))
      collector->Add(r);
    else
      ++bad;
  }
  return bad;
}

}  // namespace gatehouse
