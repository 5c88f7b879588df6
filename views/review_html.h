#pragma once
/// An access review as one self-contained HTML page (no external assets):
/// filters by user, account, permission set and recommendation, and "unused only".
#include <string>

#include "compiler/review.h"

namespace gatehouse {
std::string RenderReviewHtml(const Review& review);
}  // namespace gatehouse
