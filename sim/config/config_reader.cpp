// Reading values into a struct through describe(), with every mistake reported at its position:
// wrong types, out-of-range numbers, unknown keys (with a did-you-mean suggestion) and missing
// required keys. Also where each value came from (LocationMap).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/config/config_node.hpp"

namespace sim::config {
namespace {

std::string with_unit(const std::string& number, std::string_view unit) {
  return unit.empty() ? number : number + " " + std::string(unit);
}

void check_range(double v, const Meta& m, const Node& n, std::string_view path) {
  if (v >= m.min && v <= m.max) return;
  const bool has_min = std::isfinite(m.min);
  const bool has_max = std::isfinite(m.max);
  std::string expected;
  if (has_min && has_max) {
    expected = format_number(m.min) + " <= value <= " + with_unit(format_number(m.max), m.unit);
  } else if (has_min) {
    expected = "value >= " + with_unit(format_number(m.min), m.unit);
  } else {
    expected = "value <= " + with_unit(format_number(m.max), m.unit);
  }
  throw InputError(n.loc.get(), std::string(path),
                   "out of range: expected " + expected + ", got " + n.scalar);
}

std::string choice_list(const std::vector<std::string_view>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) out += (i ? ", " : "") + std::string(choices[i]);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// LocationMap.

void LocationMap::set(std::string path, SourceLoc loc) {
  locations_.insert_or_assign(std::move(path), std::move(loc));
}

const SourceLoc* LocationMap::find(std::string_view path) const {
  const auto it = locations_.find(path);
  return it == locations_.end() ? nullptr : &it->second;
}

SourceLoc LocationMap::at_or_file(std::string_view path) const {
  while (!path.empty()) {
    if (const SourceLoc* loc = find(path)) return *loc;
    const std::size_t cut = path.find_last_of(".[");
    path = path.substr(0, cut == std::string_view::npos ? 0 : cut);
  }
  return {file_, 0, 0};
}

// ---------------------------------------------------------------------------------------------
// Unknown keys.

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and adjacent swaps.
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string unknown_key_message(std::string_view key, const std::vector<std::string_view>& known) {
  std::string msg = "unknown key '" + std::string(key) + "'";
  const std::string suggestion = closest_match(key, known);
  if (!suggestion.empty()) return msg + " (did you mean '" + suggestion + "'?)";
  if (known.empty()) return msg;
  msg += " (known keys: ";
  for (std::size_t i = 0; i < known.size(); ++i) msg += (i ? ", " : "") + std::string(known[i]);
  return msg + ")";
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::string w = lower(word);
  const std::size_t limit = std::max<std::size_t>(1, w.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string_view c : candidates) {
    // The distance is at least the difference in length; skip the quadratic work when hopeless.
    const std::size_t gap = c.size() > w.size() ? c.size() - w.size() : w.size() - c.size();
    if (gap > limit) continue;
    const std::size_t d = edit_distance(w, lower(c));
    if (d < best_distance) {
      best_distance = d;
      best = std::string(c);
    }
  }
  return best;
}

void check_known_keys(const Document& doc, std::string_view path,
                      const std::vector<std::string_view>& known) {
  for (const Entry& e : DocumentAccess::node(doc).entries) {
    if (std::find(known.begin(), known.end(), e.key) == known.end()) {
      throw InputError(e.key_loc.get(), join_path(path, e.key), unknown_key_message(e.key, known));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reader.

struct Reader::Impl {
  struct Frame {
    const Node* node = nullptr;  // a map, or a list while its items are visited
    std::string path;
    std::vector<char> used;            // per entry of a map
    std::vector<std::string> known;    // keys the description asked for
    std::vector<std::string> missing;  // required keys that were absent
  };

  Document doc;
  LocationMap* locations = nullptr;
  std::vector<Frame> frames;

  void push(const Node& n, std::string path) {
    Frame f;
    f.node = &n;
    f.path = std::move(path);
    f.used.assign(n.entries.size(), 0);
    frames.push_back(std::move(f));
  }

  void record(const std::string& path, const Node& n) const {
    if (locations) locations->set(path, n.loc.get());
  }

  // The value under `key` in the current map, marked as read, or nullptr when absent.
  const Node* take(std::string_view key, bool required) {
    Frame& f = frames.back();
    if (std::find(f.known.begin(), f.known.end(), key) == f.known.end()) f.known.emplace_back(key);
    const std::size_t i = f.node->index_of(key);
    if (i == Node::npos) {
      if (required) f.missing.emplace_back(key);
      return nullptr;
    }
    f.used[i] = 1;
    const Node& n = *f.node->entries[i].value;
    record(join_path(f.path, key), n);
    return &n;
  }

  // Reports keys nobody asked for (more likely typos, so first), then missing required keys.
  void check(const Frame& f) const {
    for (std::size_t i = 0; i < f.used.size(); ++i) {
      if (f.used[i]) continue;
      const Entry& e = f.node->entries[i];
      const std::vector<std::string_view> known(f.known.begin(), f.known.end());
      throw InputError(e.key_loc.get(), join_path(f.path, e.key),
                       unknown_key_message(e.key, known));
    }
    if (!f.missing.empty()) {
      throw InputError(f.node->loc.get(), join_path(f.path, f.missing.front()),
                       "missing required key '" + f.missing.front() + "'");
    }
  }

  template <class Element, class Convert>
  std::vector<Element> list_of(const Node& n, const std::string& path, std::string_view expected,
                               Convert convert) const {
    if (n.kind != Kind::kList) type_error(n, path, expected);
    std::vector<Element> out;
    out.reserve(n.items.size());
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      const std::string item_path = index_path(path, i);
      record(item_path, *n.items[i]);
      out.push_back(convert(*n.items[i], item_path));
    }
    return out;
  }

  std::vector<double> numbers(const Node& n, const std::string& path, const Meta& m) const {
    return list_of<double>(n, path, "a list of numbers", [&](const Node& item, const auto& p) {
      const double v = to_number(item, p);
      check_range(v, m, item, p);
      return v;
    });
  }

  std::vector<std::string> strings(const Node& n, const std::string& path) const {
    return list_of<std::string>(n, path, "a list of strings",
                                [](const Node& item, const auto& p) { return to_text(item, p); });
  }

  std::string path_of(std::string_view key) const { return join_path(frames.back().path, key); }
};

Reader::Reader(const Document& doc, LocationMap* locations) : impl_(std::make_unique<Impl>()) {
  impl_->doc = doc;
  impl_->locations = locations;
  const Node& root = DocumentAccess::node(doc);
  if (root.kind != Kind::kMap) type_error(root, "", "a map");
  if (locations) locations->set_file(root.loc.get().file);
  impl_->push(root, "");
}

Reader::~Reader() = default;

void Reader::value(std::string_view key, bool& v, const Meta& m) {
  if (const Node* n = impl_->take(key, m.required)) v = to_bool(*n, impl_->path_of(key));
}

void Reader::value(std::string_view key, std::int64_t& v, const Meta& m) {
  const Node* n = impl_->take(key, m.required);
  if (!n) return;
  const std::string path = impl_->path_of(key);
  const std::int64_t read = to_integer(*n, path);
  check_range(static_cast<double>(read), m, *n, path);
  v = read;
}

void Reader::value(std::string_view key, double& v, const Meta& m) {
  const Node* n = impl_->take(key, m.required);
  if (!n) return;
  const std::string path = impl_->path_of(key);
  const double read = to_number(*n, path);
  check_range(read, m, *n, path);
  v = read;
}

void Reader::value(std::string_view key, std::string& v, const Meta& m) {
  if (const Node* n = impl_->take(key, m.required)) v = to_text(*n, impl_->path_of(key));
}

void Reader::value(std::string_view key, std::vector<double>& v, const Meta& m) {
  if (const Node* n = impl_->take(key, m.required)) v = impl_->numbers(*n, impl_->path_of(key), m);
}

void Reader::value(std::string_view key, std::vector<std::string>& v, const Meta& m) {
  if (const Node* n = impl_->take(key, m.required)) v = impl_->strings(*n, impl_->path_of(key));
}

void Reader::value(std::string_view key, std::vector<std::vector<double>>& v, const Meta& m) {
  const Node* n = impl_->take(key, m.required);
  if (!n) return;
  v = impl_->list_of<std::vector<double>>(
      *n, impl_->path_of(key), "a list of lists of numbers",
      [&](const Node& row, const std::string& p) { return impl_->numbers(row, p, m); });
}

void Reader::value(std::string_view key, std::vector<std::vector<std::string>>& v, const Meta& m) {
  const Node* n = impl_->take(key, m.required);
  if (!n) return;
  v = impl_->list_of<std::vector<std::string>>(
      *n, impl_->path_of(key), "a list of lists of strings",
      [&](const Node& row, const std::string& p) { return impl_->strings(row, p); });
}

void Reader::choice(std::string_view key, std::string& v,
                    const std::vector<std::string_view>& choices, const Meta& m) {
  const Node* n = impl_->take(key, m.required);
  if (!n) return;
  const std::string path = impl_->path_of(key);
  std::string read = to_text(*n, path);
  if (std::find(choices.begin(), choices.end(), read) == choices.end()) {
    std::string msg = "expected one of: " + choice_list(choices) + "; got '" + read + "'";
    const std::string suggestion = closest_match(read, choices);
    if (!suggestion.empty()) msg += " (did you mean '" + suggestion + "'?)";
    throw InputError(n->loc.get(), path, msg);
  }
  v = std::move(read);
}

bool Reader::enter_group(std::string_view key, std::string_view) {
  const Node* n = impl_->take(key, false);
  if (!n) return false;
  const std::string path = impl_->path_of(key);
  if (n->kind != Kind::kMap) type_error(*n, path, "a map");
  impl_->push(*n, path);
  return true;
}

void Reader::leave_group() {
  impl_->check(impl_->frames.back());
  impl_->frames.pop_back();
}

std::size_t Reader::enter_list(std::string_view key, std::size_t, std::string_view) {
  const Node* n = impl_->take(key, false);
  if (!n) return kSkip;
  const std::string path = impl_->path_of(key);
  if (n->kind != Kind::kList) type_error(*n, path, "a list");
  impl_->push(*n, path);
  return n->items.size();
}

void Reader::enter_item(std::size_t index) {
  const Impl::Frame& list = impl_->frames.back();
  const Node& item = *list.node->items.at(index);
  std::string path = index_path(list.path, index);
  if (item.kind != Kind::kMap) type_error(item, path, "a map");
  impl_->record(path, item);
  impl_->push(item, std::move(path));
}

void Reader::leave_item() {
  leave_group();
}

void Reader::leave_list() {
  impl_->frames.pop_back();
}

void Reader::finish() {
  if (impl_->frames.size() != 1) throw std::logic_error("config::Reader: unbalanced describe()");
  impl_->check(impl_->frames.back());
}

}  // namespace sim::config
