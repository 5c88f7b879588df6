#include "runtime/evidence/git_blame.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>

extern char** environ;  // NOLINT: POSIX, for posix_spawnp

namespace gatehouse {

namespace {

/// Runs `git -C dir ARGS...`, its stdout into `out`, stderr discarded. True when it exits 0.
bool RunGit(const std::string& dir, const std::vector<std::string>& args, std::string* out) {
  std::vector<std::string> argv_s = {"git", "-C", dir};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0) return false;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "git", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc == 0) {
    char buf[65536];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out->append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (rc != 0) return false;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool IsSha(const std::string& s) {
  return s.size() == 40 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

GitBlame::GitBlame(std::string dir) : dir_(std::move(dir)) {
  std::string out;
  in_repo_ = RunGit(dir_, {"rev-parse", "--is-inside-work-tree"}, &out) && out.rfind("true", 0) == 0;
}

const GitBlame::FileBlame& GitBlame::Blame(const std::string& file) {
  auto [it, fresh] = files_.try_emplace(file);
  if (!fresh) return it->second;
  std::string out;
  if (!RunGit(dir_, {"blame", "--porcelain", "--", file}, &out)) return it->second;
  std::istringstream in(out);
  int current = -1;
  Provenance* meta = nullptr;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '\t') continue;
    std::string key = line.substr(0, line.find(' '));
    std::string value = line.size() > key.size() ? line.substr(key.size() + 1) : "";
    if (IsSha(key)) {
      bool committed = key.find_first_not_of('0') != std::string::npos;
      auto [c, added] = commit_index_.try_emplace(key, static_cast<int>(commits_.size()));
      if (added) commits_.push_back({key, "", "", ""});
      current = committed ? c->second : -1;
      meta = &commits_[static_cast<size_t>(c->second)];
      size_t final_line = static_cast<size_t>(std::stoul(value.substr(value.find(' ') + 1)));
      if (it->second.line_commit.size() <= final_line) it->second.line_commit.resize(final_line + 1, -1);
      it->second.line_commit[final_line] = current;
    } else if (meta && key == "author") {
      meta->author = value;
    } else if (meta && key == "committer-time") {
      meta->date = FormatUtcTime(std::stoll(value));
    } else if (meta && key == "summary") {
      meta->subject = value;
    }
  }
  return it->second;
}

std::optional<Provenance> GitBlame::Lines(const std::string& file, int first, int last) {
  if (!in_repo_ || first <= 0) return std::nullopt;
  const FileBlame& b = Blame(file);
  std::optional<Provenance> newest;
  for (int l = first; l <= last; ++l) {
    if (static_cast<size_t>(l) >= b.line_commit.size() || b.line_commit[static_cast<size_t>(l)] < 0)
      return std::nullopt;
    const Provenance& p = commits_[static_cast<size_t>(b.line_commit[static_cast<size_t>(l)])];
    if (!newest || p.date > newest->date) newest = p;
  }
  return newest;
}

}  // namespace gatehouse
