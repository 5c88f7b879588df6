#include "runtime/source_dir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace gatehouse {

DirectorySourceReader::DirectorySourceReader(std::string root, std::string display_prefix)
    : root_(std::move(root)), prefix_(std::move(display_prefix)) {
  std::error_code ec;
  canonical_root_ = fs::weakly_canonical(fs::absolute(root_), ec).string();
}

bool DirectorySourceReader::Inside(const std::string& canonical) const {
  return canonical == canonical_root_ || canonical.rfind(canonical_root_ + "/", 0) == 0;
}

namespace {
bool IsYaml(const std::string& name) {
  auto ends = [&](const std::string& suf) {
    return name.size() > suf.size() && name.compare(name.size() - suf.size(), suf.size(), suf) == 0;
  };
  return ends(".yaml") || ends(".yml");
}
}  // namespace

void DirectorySourceReader::Walk(const std::string& rel_dir, std::set<std::string>* visited,
                                 std::vector<std::string>* out, Diagnostics* diags) {
  fs::path dir = rel_dir.empty() ? fs::path(root_) : fs::path(root_) / rel_dir;
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    if (name.empty() || name[0] == '.') continue;  // hidden files and folders
    std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
    fs::path p = fs::path(root_) / rel;
    std::error_code sec;
    auto lst = fs::symlink_status(p, sec);
    bool is_link = fs::is_symlink(lst);
    if (is_link) {
      std::error_code cec;
      fs::path target = fs::canonical(p, cec);
      if (cec) {
        if (cec == std::errc::too_many_symbolic_link_levels)
          diags->Error(SourceSpan{prefix_ + rel, 1, 1, 1}, "symlink loop at '" + rel + "'", "fix or remove the link");
        else if (IsYaml(name))
          diags->Error(SourceSpan{prefix_ + rel, 1, 1, 1}, "symlink '" + rel + "' points to nothing", "");
        continue;
      }
      if (!Inside(target.string())) {
        if (IsYaml(name) || fs::is_directory(target))
          diags->Error(SourceSpan{prefix_ + rel, 1, 1, 1}, "symlink '" + rel + "' points outside the config directory",
                       "Gatehouse follows symlinks only inside the config directory");
        continue;
      }
    }
    std::error_code dec;
    if (fs::is_directory(p, dec)) {
      std::string canon = fs::canonical(p, dec).string();
      if (dec || !visited->insert(canon).second) {
        if (!dec)
          diags->Error(SourceSpan{prefix_ + rel, 1, 1, 1}, "symlink loop at '" + rel + "'",
                       "the folder is reached twice through links");
        continue;
      }
      Walk(rel, visited, out, diags);
    } else if (IsYaml(name)) {
      out->push_back(rel);
    }
  }
}

std::vector<std::string> DirectorySourceReader::ListYamlFiles(Diagnostics* diags) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) {
    diags->Error(SourceSpan{root_, 0, 0, 1}, "config directory '" + root_ + "' does not exist",
                 "pass the directory that holds your YAML files");
    return out;
  }
  std::set<std::string> visited = {canonical_root_};
  Walk("", &visited, &out, diags);
  std::sort(out.begin(), out.end());
  return out;
}

bool DirectorySourceReader::Read(const std::string& path, std::string* text, std::string* err) {
  fs::path p = fs::path(root_) / path;
  std::error_code ec;
  fs::path canon = fs::canonical(p, ec);
  if (ec) {
    *err = ec == std::errc::too_many_symbolic_link_levels ? "symlink loop" : "no such file";
    return false;
  }
  if (!Inside(canon.string())) {
    *err = "it is outside the config directory";
    return false;
  }
  if (!fs::is_regular_file(canon, ec)) {
    *err = "not a regular file";
    return false;
  }
  auto size = fs::file_size(canon, ec);
  if (!ec && size > kMaxFileBytes) {
    *err =
        "file is " + std::to_string(size >> 20) + " MiB; the limit is " + std::to_string(kMaxFileBytes >> 20) + " MiB";
    return false;
  }
  std::ifstream in(canon, std::ios::binary);
  if (!in) {
    *err = "cannot open file";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
  if (text->size() > kMaxFileBytes) {
    *err = "file is larger than the limit of " + std::to_string(kMaxFileBytes >> 20) + " MiB";
    return false;
  }
  return true;
}

}  // namespace gatehouse
