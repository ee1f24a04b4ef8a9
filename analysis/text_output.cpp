#include "analysis/text_output.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

namespace analysis {

void write_fixed(const TextTable& t, std::ostream& out) {
  std::vector<std::size_t> width(t.header.size());
  for (std::size_t i = 0; i < width.size(); ++i) {
    width[i] = t.header[i].size();
    for (const auto& r : t.rows) width[i] = std::max(width[i], r[i].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text = " ";
    for (std::size_t i = 0; i < cells.size(); ++i)
      text += i == 0 ? fmt::format(" {:<{}}", cells[i], width[i])
                     : fmt::format("  {:>{}}", cells[i], width[i]);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  line(t.header);
  for (const auto& r : t.rows) line(r);
}

void write_markdown(const TextTable& t, std::ostream& out) {
  out << '|';
  for (const auto& h : t.header) out << ' ' << markdown_cell(h) << " |";
  out << "\n|";
  for (std::size_t i = 0; i < t.header.size(); ++i) out << (i == 0 ? " --- |" : " ---: |");
  for (const auto& r : t.rows) {
    out << "\n|";
    for (const auto& cell : r) out << ' ' << markdown_cell(cell) << " |";
  }
  out << '\n';
}

std::string markdown_cell(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|' || ch == '*') out += '\\';
    out += ch;
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string csv_number(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "";
}

std::string p_value_text(double p) {
  if (!std::isfinite(p)) return "";
  return p < 1e-4 ? "<0.0001" : fmt::format("{:.4f}", p);
}

std::string number(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "";
}

std::string comma_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace analysis
