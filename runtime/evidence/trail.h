#pragma once
/// CloudTrail records from log files and from JSON strings, into a
/// UsageCollector (compiler/evidence.h): usage for `review`, and, when the
/// collector asks (`KeepWrites`), the write records of `drift` attribution.
/// `--cloudtrail PATH` (EVIDENCE.md):
/// a file, or a directory walked recursively, of `*.json` / `*.json.gz` files,
/// each `{"Records": [...]}`; digest and insight files are skipped; a file that
/// is not gzip or JSON is reported by path and skipped, never fatal. Files are
/// read in parallel, one at a time per worker, so memory is bounded by the
/// largest file, not the trail.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/evidence.h"

namespace gatehouse {

struct TrailScanStats {
  long files_read = 0;  ///< log files parsed (skipped ones not included)
  std::vector<SkippedFile> skipped;
};

/// The log files under `path` (a file or a directory), sorted; digests and
/// insight files left out. False with `err` when `path` does not exist.
bool ListTrailFiles(const std::string& path, std::vector<std::string>* files, std::string* err);

/// Reads every file of `files` with `threads` workers (0 = one per core) and
/// adds each record to `collector`. Files that fail are in `stats->skipped`.
void ScanTrailFiles(const std::vector<std::string>& files, int threads, UsageCollector* collector,
                    TrailScanStats* stats);

/// The fields usage extraction reads from one record as JSON text (a LookupEvents
/// `CloudTrailEvent`). False when `json` is not a JSON object.
bool ParseTrailRecord(std::string_view json, TrailRecord* out);

/// Adds records given as JSON strings (e.g. LookupEvents `CloudTrailEvent`s) to
/// `collector`; returns how many could not be parsed (and were skipped).
long AddTrailRecords(const std::vector<std::string>& records, UsageCollector* collector);

}  // namespace gatehouse
