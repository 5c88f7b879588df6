#pragma once
/// A problem an operation reports that is not about a line of the config
/// (a target that cannot be opened, a stale plan, a refused apply): the CLI
/// prints it as "error: <message>" and, when set, "help: <help>".

#include <string>

namespace gatehouse {

struct Problem {
  std::string message;
  std::string help;
  bool empty() const { return message.empty(); }
};

}  // namespace gatehouse
