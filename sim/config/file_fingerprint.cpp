#include "sim/config/file_fingerprint.hpp"

#include <array>
#include <cstdint>
#include <fstream>

#include <fmt/format.h>

#include "sim/errors.hpp"

namespace sim {
namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;  // FNV-1a 64-bit offset basis
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv1a(std::uint64_t hash, const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= kFnvPrime;
  }
  return hash;
}

}  // namespace

std::string text_fingerprint(std::string_view text) {
  return fmt::format("fnv1a64={:016x}", fnv1a(kFnvOffset, text.data(), text.size()));
}

std::string file_fingerprint(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw InputError(
        fmt::format("{}: not a regular file (data files must be files, not devices "
                    "or pipes)",
                    file.string()));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot be read", file.string()));
  std::uint64_t hash = kFnvOffset;
  std::uint64_t bytes = 0;
  std::array<char, 1 << 16> buf;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    hash = fnv1a(hash, buf.data(), got);
    bytes += got;
  }
  if (in.bad()) throw InputError(fmt::format("{}: reading failed", file.string()));
  return fmt::format("bytes={} fnv1a64={:016x}", bytes, hash);
}

}  // namespace sim
