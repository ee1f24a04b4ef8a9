#pragma once
// Declare-once parameters. A parameter struct describes itself with a free function
//   void describe(sim::config::Visitor& v, MyStruct& s);
// and that one description drives the YAML reader, the documentation and the resolved-scenario
// writer, so they cannot disagree. Defaults are the struct's initial values.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace sim::config {

struct Meta {
  std::string_view meaning;    // one line, shown in docs and errors
  std::string_view unit = "";  // e.g. "h", "per 1000 residents per day"
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  std::string_view source = "assumption";  // a citation, or "assumption"
  bool required = false;
};

class Visitor {
 public:
  virtual ~Visitor() = default;

  virtual void value(std::string_view key, bool& v, const Meta& m) = 0;
  virtual void value(std::string_view key, std::int64_t& v, const Meta& m) = 0;
  virtual void value(std::string_view key, double& v, const Meta& m) = 0;
  virtual void value(std::string_view key, std::string& v, const Meta& m) = 0;
  virtual void value(std::string_view key, std::vector<double>& v, const Meta& m) = 0;
  virtual void value(std::string_view key, std::vector<std::string>& v, const Meta& m) = 0;
  virtual void value(std::string_view key, std::vector<std::vector<double>>& v, const Meta& m) = 0;
  virtual void value(std::string_view key, std::vector<std::vector<std::string>>& v,
                     const Meta& m) = 0;
  // A string restricted to `choices`.
  virtual void choice(std::string_view key, std::string& v,
                      const std::vector<std::string_view>& choices, const Meta& m) = 0;

  // A nested map of parameters described by describe(Visitor&, T&).
  template <class T>
  void group(std::string_view key, T& t, std::string_view meaning) {
    if (enter_group(key, meaning)) {
      describe(*this, t);
      leave_group();
    }
  }

  // A sequence of records, each a map described by describe(Visitor&, T&).
  template <class T>
  void list(std::string_view key, std::vector<T>& items, std::string_view meaning) {
    const std::size_t n = enter_list(key, items.size(), meaning);
    if (n == kSkip) return;
    items.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      enter_item(i);
      describe(*this, items[i]);
      leave_item();
    }
    leave_list();
  }

 protected:
  static constexpr std::size_t kSkip = static_cast<std::size_t>(-1);
  // Return false to skip the group (e.g. absent in the input: defaults stay).
  virtual bool enter_group(std::string_view key, std::string_view meaning) = 0;
  virtual void leave_group() = 0;
  // Return the number of items to visit, or kSkip to leave the list as it is.
  virtual std::size_t enter_list(std::string_view key, std::size_t current_size,
                                 std::string_view meaning) = 0;
  virtual void enter_item(std::size_t index) = 0;
  virtual void leave_item() = 0;
  virtual void leave_list() = 0;
};

}  // namespace sim::config
