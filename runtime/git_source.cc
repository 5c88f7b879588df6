#include "runtime/git_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>

namespace gatehouse {

namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs a shell command; its stdout (trimmed) into `out`. True on exit status 0.
bool Run(const std::string& command, std::string* out) {
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return false;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  int status = pclose(p);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (out) *out = text;
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

GitSnapshot::~GitSnapshot() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool GitSnapshot::Export(const std::string& dir, const std::string& ref, std::string* err, std::string* help) {
  std::string git = "git -C " + ShellQuote(dir);
  std::string prefix;
  if (!Run(git + " rev-parse --show-prefix", &prefix)) {
    *err = "--changed-from needs the config directory " + dir + " to be inside a git work tree";
    *help = "use --only KIND:NAME to name the objects by hand, or run a full plan";
    return false;
  }
  if (ref.empty() || ref[0] == '-' ||
      !Run(git + " rev-parse --verify --quiet " + ShellQuote(ref + "^{commit}"), nullptr)) {
    *err = "git revision '" + ref + "' is not known in " + dir;
    *help = "in CI, fetch the base (actions/checkout with fetch-depth: 0, or git fetch origin BASE)";
    return false;
  }
  std::string tree = ref + "^{commit}:" + prefix;
  if (!Run(git + " rev-parse --verify --quiet " + ShellQuote(tree), nullptr)) {
    *err = "the config directory " + (prefix.empty() ? std::string(".") : prefix) + " does not exist at " + ref;
    *help = "plan it in full (without --changed-from) the first time";
    return false;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "gatehouse-base-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    *err = "cannot create a temporary directory for the config at " + ref;
    return false;
  }
  path_ = tmpl;
  if (!Run(git + " archive --format=tar " + ShellQuote(tree) + " | tar -x -C " + ShellQuote(path_), nullptr)) {
    *err = "cannot unpack the config at " + ref + " (git archive | tar failed)";
    return false;
  }
  return true;
}

}  // namespace gatehouse
