#include "sim/config/csv.hpp"

#include <charconv>
#include <fstream>

#include "sim/errors.hpp"

namespace sim {
namespace {
std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    out.emplace_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}
}  // namespace

CsvTable CsvTable::load(const std::filesystem::path& file) {
  CsvTable t;
  t.file_ = file.string();
  // Data files are read whole: a device or pipe would never end, and a huge file is a mistake.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw InputError({t.file_, 0, 0}, "", "not a regular file (data files must be files)");
  if (std::filesystem::file_size(file, ec) > kMaxBytes)
    throw InputError({t.file_, 0, 0}, "",
                     "larger than " + std::to_string(kMaxBytes >> 20) + " MiB: not a data file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({t.file_, 0, 0}, "", "cannot open data file");
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find('\0') != std::string::npos) {
      throw InputError({t.file_, lineno, 0}, "", "binary data in a CSV file");
    }
    if (lineno == 1) {
      if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
      t.header_ = split(line);
      continue;
    }
    if (line.empty()) continue;
    auto fields = split(line);
    if (fields.size() != t.header_.size()) {
      throw InputError({t.file_, lineno, 0}, "",
                       "expected " + std::to_string(t.header_.size()) + " fields, found " +
                           std::to_string(fields.size()));
    }
    t.rows_.push_back(std::move(fields));
  }
  if (t.header_.empty()) throw InputError({t.file_, 0, 0}, "", "empty data file");
  return t;
}

std::size_t CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  throw InputError({file_, 1, 0}, "", "missing column '" + std::string(name) + "'");
}

double CsvTable::number(std::size_t row, std::size_t col) const {
  const std::string& s = rows_[row][col];
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
    int char_col = 1;  // 1-based character column of the field
    for (std::size_t i = 0; i < col; ++i) char_col += static_cast<int>(rows_[row][i].size()) + 1;
    throw InputError({file_, line(row), char_col}, header_[col],
                     "expected a number, got '" + s + "'");
  }
  return v;
}

}  // namespace sim
