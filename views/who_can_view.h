#pragma once
/// Renderings of a who-can answer (WHO-CAN.md): text (grouped by user, privileged
/// grants first), JSON (schemas/who-can.schema.json), CSV (one row per grant) and
/// Markdown. An answer over a large organization holds millions of grants, so the
/// renderers write to a stream instead of building the text.

#include <ostream>
#include <string>
#include <vector>

#include "compiler/who_can.h"

namespace gatehouse {

/// What a who-can view shows.
struct WhoCanView {
  const WhoCanResult* result = nullptr;
  std::string source;  ///< what was read: "configuration" or "live directory"
};

using WhoCanRenderer = void (*)(const WhoCanView&, std::ostream&);

/// text (default), json, csv, markdown.
std::vector<std::string> WhoCanFormats();
WhoCanRenderer PickWhoCanView(const std::string& format);

// One per format (who_can_json.cc, who_can_csv.cc, who_can_markdown.cc, who_can_text.cc).
void RenderWhoCanJson(const WhoCanView& view, std::ostream& out);
void RenderWhoCanCsv(const WhoCanView& view, std::ostream& out);
void RenderWhoCanMarkdown(const WhoCanView& view, std::ostream& out);
void RenderWhoCanText(const WhoCanView& view, std::ostream& out);

/// "a (grants, users, accounts, permission sets) summary sentence", shared by text and Markdown.
std::string WhoCanSummary(const WhoCanView& view);
/// A grant's statements as "policy#statement" separated by `sep` (text, CSV, Markdown).
std::string WhoCanBecause(const WhoCanSetAnswer& set, const char* sep);

}  // namespace gatehouse
