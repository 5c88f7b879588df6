#pragma once
/// Renderings of an access review (EVIDENCE.md): text, JSON
/// (schemas/review.schema.json), CSV, Markdown, HTML (review_html.h).

#include <string>
#include <vector>

#include "compiler/review.h"
#include "views/view_table.h"

namespace gatehouse {

struct ReviewView {
  const Review* review = nullptr;
  std::vector<std::string> warnings;  ///< shown in text and Markdown (skipped files)
};

/// text (default), json, csv, markdown, html.
std::vector<std::string> ReviewFormats();
Renderer<ReviewView> PickReviewView(const std::string& format);

/// "direct", "group:Name" or (applications) "everyone", as the JSON says.
std::string ReviewVia(const std::string& via);
/// "3f2c1a2 2026-06-01 Jane Roe: subject" (without the subject: terminals are narrow), or "unknown".
std::string GrantedLabel(const std::optional<Provenance>& granted, bool subject = true);
/// "never" or the time; "-" for each when no events were read.
std::string LastUsedLabel(const Review& r, const ReviewEntry& e);
/// "48 grants: 30 used, 15 to remove, 3 too new" (without events: "48 grants").
std::string ReviewSummaryLine(const Review& r);
/// "trail/ (1200 records, 310 usage events, 4 unmatched, 0 files skipped)" or "none".
std::string EvidenceLine(const Review& r);

}  // namespace gatehouse
