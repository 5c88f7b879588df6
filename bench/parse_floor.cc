// The parse floor of bench/run: what reading a config (and a live directory)
// costs when nothing is done with it. Single-threaded: every *.yaml / *.yml
// file below CONFIG_DIR (recursively, sorted by path, hidden folders skipped,
// as Gatehouse reads a config) is parsed with YAML::LoadFile and the tree is
// dropped unwalked; then DIRECTORY_JSON, if given, is read and parsed with
// nlohmann::json::parse. Gatehouse's commands are timed as a ratio to this.
//
// Build: g++ -O2 -std=c++20 bench/parse_floor.cc -lyaml-cpp -o parse_floor
// Usage: parse_floor CONFIG_DIR [DIRECTORY_JSON]
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: parse_floor CONFIG_DIR [DIRECTORY_JSON]\n");
    return 2;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(argv[1]); it != fs::recursive_directory_iterator(); ++it) {
    const auto name = it->path().filename().string();
    if (it->is_directory() && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    const auto ext = it->path().extension();
    if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  size_t docs = 0;
  for (const auto& f : files) {
    YAML::Node root = YAML::LoadFile(f.string());
    docs += root.IsDefined() ? 1 : 0;
  }
  size_t json_items = 0;
  if (argc == 3) {
    std::ifstream in(argv[2], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "parse_floor: cannot read %s\n", argv[2]);
      return 1;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(ss.str());
    json_items = j.size();
  }
  std::printf("%zu YAML files (%zu documents), %zu top-level JSON keys\n", files.size(), docs, json_items);
  return 0;
}
