#pragma once
// Small readers shared by the engine's own input files (experiments, calibrations), which have no
// describe(): checked integers, missing keys, names that become file names, files named relative
// to the file that names them. Every error is an InputError at the node concerned.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "sim/config/config_yaml.hpp"
#include "sim/errors.hpp"

namespace sim::spec_input {

inline std::int64_t int_in_range(const config::Document& map, std::string_view key,
                                 const std::string& path, std::int64_t min, std::int64_t max) {
  const config::Document node = map.child(key);
  const std::int64_t v = node.as_int(path);
  if (v < min || v > max) {
    throw InputError(node.location(), path,
                     "out of range: expected " + std::to_string(min) +
                         " <= value <= " + std::to_string(max) + ", got " + std::to_string(v));
  }
  return v;
}

[[noreturn]] inline void missing(const config::Document& map, const std::string& map_path,
                                 std::string_view key, std::string_view why = "") {
  std::string msg = "missing required key '" + std::string(key) + "'";
  if (!why.empty()) msg += " (" + std::string(why) + ")";
  throw InputError(map.location(), config::join_path(map_path, key), msg);
}

// The map under a file's one top-level key (`experiment:`, `calibration:`): no other key beside
// it, present, and a map.
inline config::Document top_level_map(const config::Document& doc, const std::string& key) {
  config::check_known_keys(doc, "", {key});
  if (!doc.has(key)) missing(doc, "", key);
  const config::Document map = doc.child(key);
  if (!map.is_map()) throw InputError(map.location(), key, "expected a map");
  return map;
}

// Names that become file and group names: letters, digits, '-' and '_'.
inline bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

inline std::filesystem::path canonical_of(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::path c = std::filesystem::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

inline std::string read_file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A regular file named at `node`, relative to the file `from` that names it.
inline std::filesystem::path named_file(const std::filesystem::path& from,
                                        const config::Document& node, const std::string& path) {
  const std::filesystem::path file = (from.parent_path() / node.as_string(path)).lexically_normal();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw InputError(node.location(), path, "file not found: " + file.string());
  }
  return file;
}

}  // namespace sim::spec_input
