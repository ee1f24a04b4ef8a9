#pragma once
// The tables `compare`, `sensitivity` and the uncertainty analysis print: one layout for
// fixed-width text, markdown and CSV, so that every command's output reads and parses the same way.
#include <iosfwd>
#include <string>
#include <vector>

namespace analysis {

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as long as the header
};

// Indented two spaces; the first column left-aligned, the others right-aligned.
void write_fixed(const TextTable& t, std::ostream& out);
void write_markdown(const TextTable& t, std::ostream& out);

// Escapes | and * (table syntax and emphasis).
std::string markdown_cell(const std::string& s);
// Quotes a field holding a comma, quote or newline.
std::string csv_field(const std::string& s);
// Full precision, so that the CSV can be re-analysed; empty when not finite.
std::string csv_number(double v);
// A p-value to four places ("<0.0001" below); empty when not finite.
std::string p_value_text(double p);
// `decimals` places; empty when not finite.
std::string number(double v, int decimals);
// The names joined by ", " (messages and notes).
std::string comma_list(const std::vector<std::string>& names);

}  // namespace analysis
