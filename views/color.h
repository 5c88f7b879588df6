#pragma once
/// The one place ANSI colour codes are written. Every coloured view asks here,
/// with `on` false when colour is off (--no-color, NO_COLOR, not a terminal),
/// so an uncoloured rendering has no escape codes at all.

#include "compiler/plan.h"

namespace gatehouse {

enum class Color { kGreen, kYellow, kRed, kMagenta, kBold, kBoldRed, kBoldYellow, kBoldCyan, kReset };

/// The escape sequence for `c`, or "" when `on` is false.
const char* Ansi(Color c, bool on);

/// The colour of a plan action: create green, update yellow, delete red, replace magenta.
Color ActionColor(Action a);

}  // namespace gatehouse
