#include "sim/file_fingerprint.hpp"

#include <array>
#include <cstdint>
#include <fstream>

#include <fmt/format.h>

#include "sim/errors.hpp"

namespace sim {

std::string file_fingerprint(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw InputError(
        fmt::format("{}: not a regular file (data files must be files, not devices "
                    "or pipes)",
                    file.string()));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot be read", file.string()));
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a 64-bit offset basis
  std::uint64_t bytes = 0;
  std::array<char, 1 << 16> buf;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    for (std::size_t i = 0; i < got; ++i) {
      hash ^= static_cast<unsigned char>(buf[i]);
      hash *= 0x100000001b3ULL;  // FNV-1a 64-bit prime
    }
    bytes += got;
  }
  if (in.bad()) throw InputError(fmt::format("{}: reading failed", file.string()));
  return fmt::format("bytes={} fnv1a64={:016x}", bytes, hash);
}

}  // namespace sim
