#include "sim/config/config_docs.hpp"

#include <cmath>

#include "sim/config/config_yaml.hpp"

namespace sim::config {
namespace {

// Lists longer than this show their first few values and their length.
constexpr std::size_t kShownValues = 8;
constexpr std::size_t kShownWhenLong = 3;

std::string as_code(const std::string& s) {
  return s.empty() ? "\"\"" : "`" + s + "`";
}

template <class T, class Format>
std::string list_text(const std::vector<T>& values, Format format, std::string_view noun) {
  if (values.empty()) return "[]";
  const bool long_list = values.size() > kShownValues;
  const std::size_t shown = long_list ? kShownWhenLong : values.size();
  std::string out = "[";
  for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + format(values[i]);
  if (!long_list) return out + "]";
  return out + ", ...] (" + std::to_string(values.size()) + " " + std::string(noun) + ")";
}

template <class T>
std::string matrix_text(const std::vector<std::vector<T>>& rows) {
  if (rows.empty()) return "[]";
  const std::size_t columns = rows.front().size();
  for (const auto& row : rows) {
    if (row.size() != columns) return std::to_string(rows.size()) + " rows";
  }
  return std::to_string(rows.size()) + " x " + std::to_string(columns) + " matrix";
}

std::string range_text(const Meta& m) {
  const bool has_min = std::isfinite(m.min);
  const bool has_max = std::isfinite(m.max);
  if (has_min && has_max) return "[" + format_number(m.min) + ", " + format_number(m.max) + "]";
  if (has_min) return ">= " + format_number(m.min);
  if (has_max) return "<= " + format_number(m.max);
  return "";
}

// Table cells cannot hold a pipe or a line break.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string DocWriter::path(std::string_view key) const {
  return join_path(prefixes_.back(), key);
}

void DocWriter::add(std::string_view key, std::string type, std::string default_value,
                    const Meta& m) {
  rows_.push_back({path(key), std::move(type), std::string(m.unit), range_text(m),
                   m.required ? "(required)" : std::move(default_value), std::string(m.meaning),
                   std::string(m.source)});
}

void DocWriter::value(std::string_view key, bool& v, const Meta& m) {
  add(key, "bool", v ? "true" : "false", m);
}
void DocWriter::value(std::string_view key, std::int64_t& v, const Meta& m) {
  add(key, "integer", std::to_string(v), m);
}
void DocWriter::value(std::string_view key, double& v, const Meta& m) {
  add(key, "number", format_number(v), m);
}
void DocWriter::value(std::string_view key, std::string& v, const Meta& m) {
  add(key, "string", as_code(v), m);
}
void DocWriter::value(std::string_view key, std::vector<double>& v, const Meta& m) {
  add(key, "list of numbers", list_text(v, format_number, "values"), m);
}
void DocWriter::value(std::string_view key, std::vector<std::string>& v, const Meta& m) {
  add(key, "list of strings", list_text(v, as_code, "values"), m);
}
void DocWriter::value(std::string_view key, std::vector<std::vector<double>>& v, const Meta& m) {
  add(key, "matrix of numbers", matrix_text(v), m);
}
void DocWriter::value(std::string_view key, std::vector<std::vector<std::string>>& v,
                      const Meta& m) {
  add(key, "lists of strings", matrix_text(v), m);
}
void DocWriter::choice(std::string_view key, std::string& v,
                       const std::vector<std::string_view>& choices, const Meta& m) {
  std::string type = "one of: ";
  for (std::size_t i = 0; i < choices.size(); ++i)
    type += (i ? ", " : "") + std::string(choices[i]);
  add(key, std::move(type), as_code(v), m);
}

bool DocWriter::enter_group(std::string_view key, std::string_view meaning) {
  rows_.push_back({path(key), "group", "", "", "", std::string(meaning), ""});
  prefixes_.push_back(path(key));
  return true;
}
void DocWriter::leave_group() {
  prefixes_.pop_back();
}

std::size_t DocWriter::enter_list(std::string_view key, std::size_t current_size,
                                  std::string_view meaning) {
  const std::string items = current_size == 1 ? "1 item" : std::to_string(current_size) + " items";
  rows_.push_back({path(key) + "[]", "list of records", "", "", items, std::string(meaning), ""});
  prefixes_.push_back(path(key) + "[]");
  return 1;
}
void DocWriter::enter_item(std::size_t) {}
void DocWriter::leave_item() {}
void DocWriter::leave_list() {
  prefixes_.pop_back();
}

std::string DocWriter::markdown(std::string_view title) const {
  std::string out;
  if (!title.empty()) out += "# " + std::string(title) + "\n\n";
  out += "| Key | Type | Unit | Range | Default | Meaning | Source |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const ParamRow& r : rows_) {
    out += "| `" + cell(r.key) + "` | " + cell(r.type) + " | " + cell(r.unit) + " | " +
           cell(r.range) + " | " + cell(r.default_value) + " | " + cell(r.meaning) + " | " +
           cell(r.source) + " |\n";
  }
  return out;
}

}  // namespace sim::config
