#pragma once
// A data file's fingerprint (size and 64-bit FNV-1a hash of its bytes), stored with each run so
// that resuming an experiment after its data files changed is refused, not silently mixed.
// FNV-1a detects edits; it is not a defence against a forger.
#include <filesystem>
#include <string>
#include <string_view>

namespace sim {

// "bytes=N fnv1a64=HEX". Throws InputError naming the file when it is not a regular file or
// cannot be read.
std::string file_fingerprint(const std::filesystem::path& file);

// "fnv1a64=HEX" of a text (e.g. an experiment's expanded runs, to recognise its shards).
std::string text_fingerprint(std::string_view text);

}  // namespace sim
