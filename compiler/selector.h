#pragma once
/// Account selectors of assignments (`{environment: production, ou: Workloads/**}`)
/// and the glob matching they, ignore lists and lint exceptions share.

#include <string>

#include "compiler/config.h"
#include "compiler/model.h"

namespace gatehouse {

/// Whether an account matches a selector (explicit lists are resolved elsewhere).
bool SelectorMatches(const AccountSelector& s, const Account& a);
/// `*` within one level, `**` any depth (at the end: one level or more), `?` one character.
bool OuGlobMatch(const std::string& pattern, const std::string& ou);
/// `*` any run of characters, `?` one character.
bool GlobMatch(const std::string& pattern, const std::string& text);

}  // namespace gatehouse
