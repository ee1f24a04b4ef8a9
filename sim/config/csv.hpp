#pragma once
// A small reader for the plain CSV data files govsim ships (no quoted fields). Errors name the
// file, line and column so a broken data file is as easy to fix as a broken scenario.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

class CsvTable {
 public:
  // Guangzhou's divisions file is under 1 MiB; a data file above this is refused.
  static constexpr std::uintmax_t kMaxBytes = 256ull << 20;
  // Throws InputError naming the file for anything but a regular, readable, well-formed CSV file.
  static CsvTable load(const std::filesystem::path& file);

  std::size_t rows() const { return rows_.size(); }
  std::size_t columns() const { return header_.size(); }
  const std::vector<std::string>& header() const { return header_; }
  // Column index by header name; throws InputError naming the file if absent.
  std::size_t column(std::string_view name) const;
  const std::string& text(std::size_t row, std::size_t col) const { return rows_[row][col]; }
  double number(std::size_t row, std::size_t col) const;
  // Line number in the file of a data row (header is line 1).
  int line(std::size_t row) const { return static_cast<int>(row) + 2; }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace sim
