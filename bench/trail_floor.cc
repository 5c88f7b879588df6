// The floor of the `review` trail benchmark: what any reader of a CloudTrail
// trail must do, and nothing else. Walks DIR for *.json.gz (sorted), and for each
// file, one at a time on ONE thread: read it, inflate it (libdeflate, whole
// buffer) and parse it with simdjson's DOM parser (the whole document, every
// value validated). No record is looked at.
//
//   g++ -O2 -std=c++17 bench/trail_floor.cc -o trail_floor -lsimdjson -ldeflate
//   trail_floor DIR     -> prints "files N, bytes inflated M"
#include <libdeflate.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: trail_floor DIR\n");
    return 2;
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1]))
    if (e.is_regular_file() && e.path().string().size() > 8 &&
        e.path().string().compare(e.path().string().size() - 8, 8, ".json.gz") == 0)
      files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  simdjson::dom::parser parser;
  std::string raw, text;
  size_t inflated = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    in.seekg(0, std::ios::end);
    raw.resize(static_cast<size_t>(in.tellg()));
    in.seekg(0);
    in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
    uint32_t isize = 0;
    for (int i = 0; i < 4; ++i) isize |= uint32_t(static_cast<unsigned char>(raw[raw.size() - 4 + i])) << (8 * i);
    text.resize(isize + simdjson::SIMDJSON_PADDING);
    size_t out = 0;
    if (libdeflate_gzip_decompress(d, raw.data(), raw.size(), text.data(), isize, &out) != LIBDEFLATE_SUCCESS) {
      std::fprintf(stderr, "%s: not gzip\n", f.c_str());
      return 1;
    }
    simdjson::dom::element doc;
    if (parser.parse(text.data(), out, false).get(doc) != simdjson::SUCCESS) {
      std::fprintf(stderr, "%s: not JSON\n", f.c_str());
      return 1;
    }
    inflated += out;
  }
  libdeflate_free_decompressor(d);
  std::printf("files %zu, bytes inflated %zu\n", files.size(), inflated);
  return 0;
}
