#include "views/color.h"

namespace gatehouse {

const char* Ansi(Color c, bool on) {
  if (!on) return "";
  switch (c) {
    case Color::kGreen: return "\033[32m";
    case Color::kYellow: return "\033[33m";
    case Color::kRed: return "\033[31m";
    case Color::kMagenta: return "\033[35m";
    case Color::kBold: return "\033[1m";
    case Color::kBoldRed: return "\033[1;31m";
    case Color::kBoldYellow: return "\033[1;33m";
    case Color::kBoldCyan: return "\033[1;36m";
    case Color::kReset: return "\033[0m";
  }
  return "";
}

Color ActionColor(Action a) {
  switch (a) {
    case Action::kCreate: return Color::kGreen;
    case Action::kUpdate: return Color::kYellow;
    case Action::kDelete: return Color::kRed;
  }
  return Color::kReset;
}

}  // namespace gatehouse
