#pragma once
// Parameter documentation generated from describe(), so the documentation, `--list-params` and
// the reader cannot disagree. The output is deterministic: a checked-in docs page can be
// compared with a fresh one in a test.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/config.hpp"

namespace sim::config {

// One parameter, group or list as documentation shows it; every field is display text.
struct ParamRow {
  std::string key;   // `hotline.call_takers`; list items appear as `departments[].staff`
  std::string type;  // "number", "integer", "one of: a, b", "group", "list of records", ...
  std::string unit;
  std::string range;          // "[0, 1]", ">= 0", "<= 24", or empty
  std::string default_value;  // the current value in the described struct, or "(required)"
  std::string meaning;
  std::string source;
};

// Collects a ParamRow per parameter in describe() order. Each list is visited through one item
// whose rows stand for every item: its defaults are those of a default-constructed record when
// the list is empty, else of the list's first record. Use markdown() / rows() below, which work
// on a copy because visiting a list resizes it.
class DocWriter final : public Visitor {
 public:
  void value(std::string_view key, bool& v, const Meta& m) override;
  void value(std::string_view key, std::int64_t& v, const Meta& m) override;
  void value(std::string_view key, double& v, const Meta& m) override;
  void value(std::string_view key, std::string& v, const Meta& m) override;
  void value(std::string_view key, std::vector<double>& v, const Meta& m) override;
  void value(std::string_view key, std::vector<std::string>& v, const Meta& m) override;
  void value(std::string_view key, std::vector<std::vector<double>>& v, const Meta& m) override;
  void value(std::string_view key, std::vector<std::vector<std::string>>& v,
             const Meta& m) override;
  void choice(std::string_view key, std::string& v, const std::vector<std::string_view>& choices,
              const Meta& m) override;

  const std::vector<ParamRow>& rows() const { return rows_; }
  // "# title" (when not empty), then a table with one row per parameter.
  std::string markdown(std::string_view title) const;

 private:
  bool enter_group(std::string_view key, std::string_view meaning) override;
  void leave_group() override;
  std::size_t enter_list(std::string_view key, std::size_t current_size,
                         std::string_view meaning) override;
  void enter_item(std::size_t index) override;
  void leave_item() override;
  void leave_list() override;

  void add(std::string_view key, std::string type, std::string default_value, const Meta& m);
  std::string path(std::string_view key) const;

  std::vector<std::string> prefixes_{""};
  std::vector<ParamRow> rows_;
};

template <class T>
std::vector<ParamRow> param_rows(const T& t) {
  T copy = t;
  DocWriter w;
  describe(w, copy);
  return w.rows();
}

template <class T>
std::string markdown(const T& t, std::string_view title) {
  T copy = t;
  DocWriter w;
  describe(w, copy);
  return w.markdown(title);
}

}  // namespace sim::config
