#include "sim/config_yaml.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace sim::config {
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// The tree. yaml-cpp's own nodes are not used: they cannot carry a file name, they copy an
// alias's subtree lazily but without bound, and building them cannot be stopped early.
namespace detail {

// A position; the file name is shared by every node of a file.
struct Loc {
  std::shared_ptr<const std::string> file;
  int line = 0;
  int column = 0;

  SourceLoc get() const { return file ? SourceLoc{*file, line, column} : SourceLoc{}; }
};

using NodePtr = std::shared_ptr<const Node>;

struct Entry {
  std::string key;
  Loc key_loc;
  NodePtr value;
};

struct Node {
  enum class Kind { kNull, kScalar, kList, kMap };
  Kind kind = Kind::kMap;
  std::string scalar;
  std::vector<NodePtr> items;
  std::vector<Entry> entries;
  Loc loc;

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t index_of(std::string_view key) const {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].key == key) return i;
    }
    return npos;
  }
  const Node* find(std::string_view key) const {
    const std::size_t i = index_of(key);
    return i == npos ? nullptr : entries[i].value.get();
  }
};

}  // namespace detail

using detail::Entry;
using detail::Loc;
using detail::Node;
using detail::NodePtr;
using Kind = detail::Node::Kind;

struct DocumentAccess {
  static const Node& node(const Document& d) { return *d.node_; }
  static const NodePtr& ptr(const Document& d) { return d.node_; }
  static Document make(NodePtr n) { return Document(std::move(n)); }
};

namespace {

NodePtr empty_map() {
  static const NodePtr empty = std::make_shared<const Node>();
  return empty;
}

NodePtr scalar_node(std::string text, Loc loc = {}) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::kScalar;
  n->scalar = std::move(text);
  n->loc = std::move(loc);
  return n;
}

Loc to_loc(const std::shared_ptr<const std::string>& file, const YAML::Mark& mark) {
  if (mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

Loc from_source(const SourceLoc& s) {
  if (s.file.empty()) return {};
  return {std::make_shared<const std::string>(s.file), s.line, s.column};
}

std::string index_path(std::string_view parent, std::size_t i) {
  return std::string(parent) + "[" + std::to_string(i) + "]";
}

// What a node is, for "expected X, got Y" messages.
std::string describe_node(const Node& n) {
  switch (n.kind) {
    case Kind::kNull:
      return "null";
    case Kind::kList:
      return "a list";
    case Kind::kMap:
      return "a map";
    case Kind::kScalar:
      break;
  }
  constexpr std::size_t kShown = 40;
  if (n.scalar.size() <= kShown) return "'" + n.scalar + "'";
  return "'" + n.scalar.substr(0, kShown) + "...'";
}

[[noreturn]] void type_error(const Node& n, std::string_view path, std::string_view expected) {
  throw InputError(n.loc.get(), std::string(path),
                   "expected " + std::string(expected) + ", got " + describe_node(n));
}

// ---------------------------------------------------------------------------------------------
// Scalars, with the YAML 1.2 core schema's spelling of booleans and infinities.

std::optional<double> parse_double(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == ".inf" || s == ".Inf" || s == ".INF") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  // from_chars also takes "inf" and "nan", which YAML does not.
  const bool plain = !s.empty() && s.find_first_not_of("0123456789.eE+-") == std::string_view::npos;
  if (!plain) return std::nullopt;
  double v = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return negative ? -v : v;
}

std::optional<bool> parse_bool(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

double to_number(const Node& n, std::string_view path) {
  if (n.kind == Kind::kScalar) {
    const std::optional<double> v = parse_double(n.scalar);
    if (v) return *v;
  }
  type_error(n, path, "a number");
}

std::int64_t to_integer(const Node& n, std::string_view path) {
  if (n.kind != Kind::kScalar) type_error(n, path, "an integer");
  std::string_view s = n.scalar;
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc{} && end == s.data() + s.size()) return v;
  if (ec == std::errc::result_out_of_range) {
    throw InputError(n.loc.get(), std::string(path), "integer out of range: " + n.scalar);
  }
  // Accept integral numbers in other spellings (1e3, 100.0), exactly representable ones only.
  constexpr double kExact = 9007199254740992.0;  // 2^53
  const std::optional<double> d = parse_double(n.scalar);
  if (d && std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) <= kExact) {
    return static_cast<std::int64_t>(*d);
  }
  type_error(n, path, "an integer");
}

bool to_bool(const Node& n, std::string_view path) {
  if (n.kind == Kind::kScalar) {
    const std::optional<bool> v = parse_bool(n.scalar);
    if (v) return *v;
  }
  type_error(n, path, "true or false");
}

std::string to_text(const Node& n, std::string_view path) {
  if (n.kind != Kind::kScalar) type_error(n, path, "a string");
  return n.scalar;
}

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

// ---------------------------------------------------------------------------------------------
// Reading files.

// Offset of the first byte that is not valid UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if ((c & 0xE0u) == 0xC0u) {
      len = 2, cp = c & 0x1Fu, min = 0x80;
    } else if ((c & 0xF0u) == 0xE0u) {
      len = 3, cp = c & 0x0Fu, min = 0x800;
    } else if ((c & 0xF8u) == 0xF0u) {
      len = 4, cp = c & 0x07u, min = 0x10000;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0u) != 0x80u) return i;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

SourceLoc loc_of_offset(const std::string& label, std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const auto line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
  const std::size_t line_start = before.rfind('\n');
  const std::size_t column =
      line_start == std::string_view::npos ? offset : offset - line_start - 1;
  return {label, line, static_cast<int>(column) + 1};
}

std::string too_large(std::size_t bytes, const Limits& limits) {
  return "file too large (" + std::to_string(bytes) + " bytes, limit " +
         std::to_string(limits.max_file_bytes) + ")";
}

// Refuses what is not a text YAML file before yaml-cpp sees it.
void check_text(std::string_view text, const std::string& label, const Limits& limits) {
  if (text.size() > limits.max_file_bytes) {
    throw InputError({label, 0, 0}, "", too_large(text.size(), limits));
  }
  const std::size_t nul = text.find('\0');
  if (nul != std::string_view::npos) {
    throw InputError(loc_of_offset(label, text, nul), "",
                     "not a text YAML file (contains a NUL byte)");
  }
  const std::size_t bad = invalid_utf8_at(text);
  if (bad != std::string_view::npos) {
    throw InputError(loc_of_offset(label, text, bad), "", "not a text YAML file (invalid UTF-8)");
  }
}

std::string read_text(const fs::path& file, const std::string& label, const Limits& limits) {
  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (ec || !fs::exists(status)) throw InputError({label, 0, 0}, "", "file not found");
  if (fs::is_directory(status)) throw InputError({label, 0, 0}, "", "is a directory, not a file");
  const std::uintmax_t size = fs::is_regular_file(status) ? fs::file_size(file, ec) : 0;
  if (!ec && size > limits.max_file_bytes) {
    throw InputError({label, 0, 0}, "", too_large(static_cast<std::size_t>(size), limits));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({label, 0, 0}, "", "cannot read file");
  // Read at most one byte over the limit: special files may report size 0 and never end.
  std::string text(limits.max_file_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw InputError({label, 0, 0}, "", "cannot read file");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > limits.max_file_bytes) {
    throw InputError({label, 0, 0}, "", too_large(text.size(), limits));
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Building the tree from yaml-cpp's parser events, so that depth and size are bounded while the
// file is parsed, not after.

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(std::shared_ptr<const std::string> file, const Limits& limits)
      : file_(std::move(file)), limits_(limits) {}

  const NodePtr& root() const { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    count(1, mark);
    auto n = std::make_shared<Node>();
    n->kind = Kind::kNull;
    n->loc = to_loc(file_, mark);
    complete(std::move(n), 1, anchor, mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      throw InputError(to_loc(file_, mark).get(), child_path(),
                       "an alias cannot refer to a node that contains it");
    }
    count(it->second.second, mark);
    complete(it->second.first, it->second.second, YAML::NullAnchor, mark);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    count(1, mark);
    complete(scalar_node(value, to_loc(file_, mark)), 1, anchor, mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Kind::kList, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Kind::kMap, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    std::shared_ptr<Node> node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t size = 1;
    std::string path;
    bool have_key = false;
    std::string key;
    Loc key_loc;
    std::unordered_map<std::string, int> key_lines;  // for duplicate keys
  };

  std::string child_path() const {
    if (stack_.empty()) return {};
    const Open& top = stack_.back();
    if (top.node->kind == Kind::kList) return index_path(top.path, top.node->items.size());
    return top.have_key ? join_path(top.path, top.key) : top.path;
  }

  void count(std::size_t n, const YAML::Mark& mark) {
    nodes_ += n;
    if (nodes_ > limits_.max_nodes) {
      throw InputError(to_loc(file_, mark).get(), child_path(),
                       "more than " + std::to_string(limits_.max_nodes) +
                           " YAML nodes (an alias counts every time it is used)");
    }
  }

  void open(Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(1, mark);
    if (stack_.size() >= static_cast<std::size_t>(limits_.max_depth)) {
      throw InputError(to_loc(file_, mark).get(), child_path(),
                       "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    Open o;
    o.node = std::make_shared<Node>();
    o.node->kind = kind;
    o.node->loc = to_loc(file_, mark);
    o.anchor = anchor;
    o.path = child_path();
    stack_.push_back(std::move(o));
  }

  void close() {
    Open done = std::move(stack_.back());
    stack_.pop_back();
    complete(std::move(done.node), done.size, done.anchor, YAML::Mark::null_mark());
  }

  void complete(NodePtr node, std::size_t size, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {node, size};
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Open& parent = stack_.back();
    parent.size += size;
    if (parent.node->kind == Kind::kList) {
      parent.node->items.push_back(std::move(node));
    } else if (!parent.have_key) {
      take_key(parent, *node, mark);
    } else {
      Loc loc = node->loc;
      // yaml-cpp marks an empty value (`key:`) at the next token, often on the next line.
      if (node->kind == Kind::kNull && loc.line != parent.key_loc.line) {
        auto fixed = std::make_shared<Node>(*node);
        fixed->loc = parent.key_loc;
        node = std::move(fixed);
      }
      parent.node->entries.push_back({std::move(parent.key), parent.key_loc, std::move(node)});
      parent.have_key = false;
    }
  }

  void take_key(Open& map, const Node& key, const YAML::Mark& mark) {
    const Loc loc = key.loc.file ? key.loc : to_loc(file_, mark);
    if (key.kind != Kind::kScalar) {
      throw InputError(loc.get(), map.path,
                       "map keys must be plain strings, got " + describe_node(key));
    }
    const auto [it, inserted] = map.key_lines.emplace(key.scalar, loc.line);
    if (!inserted) {
      throw InputError(
          loc.get(), join_path(map.path, key.scalar),
          "duplicate key '" + key.scalar + "' (first at line " + std::to_string(it->second) + ")");
    }
    map.key = key.scalar;
    map.key_loc = loc;
    map.have_key = true;
  }

  std::shared_ptr<const std::string> file_;
  const Limits& limits_;
  std::vector<Open> stack_;
  NodePtr root_;
  std::unordered_map<YAML::anchor_t, std::pair<NodePtr, std::size_t>> anchors_;
  std::size_t nodes_ = 0;
};

// Stops the parser at the start of a second document.
struct SecondDocument final : YAML::EventHandler {
  struct Found {
    YAML::Mark mark;
  };
  void OnDocumentStart(const YAML::Mark& mark) override { throw Found{mark}; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// One file's tree, without resolving `extends`.
NodePtr parse_text(std::string_view text, const std::string& label, const Limits& limits) {
  check_text(text, label, limits);
  auto file = std::make_shared<const std::string>(label);
  std::istringstream in{std::string(text)};
  TreeBuilder builder(file, limits);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
    SecondDocument probe;
    parser.HandleNextDocument(probe);
  } catch (const SecondDocument::Found& found) {
    throw InputError(to_loc(file, found.mark).get(), "", "more than one YAML document in the file");
  } catch (const YAML::DeepRecursion&) {
    throw InputError({label, 0, 0}, "", "nesting too deep for the YAML parser");
  } catch (const YAML::Exception& e) {
    throw InputError(to_loc(file, e.mark).get(), "", e.msg);
  }
  const NodePtr& root = builder.root();
  if (!root || root->kind == Kind::kNull) throw InputError({label, 0, 0}, "", "empty file");
  if (root->kind != Kind::kMap) {
    throw InputError(root->loc.get(), "",
                     "expected a map at the top level, got " + describe_node(*root));
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Tree operations.

NodePtr merge(const NodePtr& base, const NodePtr& overlay) {
  if (base->kind != Kind::kMap || overlay->kind != Kind::kMap) return overlay;
  auto out = std::make_shared<Node>(*base);
  if (!out->loc.file) out->loc = overlay->loc;
  // Indexed, so that merging two large maps is not quadratic.
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < out->entries.size(); ++i) index.emplace(out->entries[i].key, i);
  for (const Entry& e : overlay->entries) {
    const auto [it, added] = index.emplace(e.key, out->entries.size());
    const std::size_t i = it->second;
    if (added) {
      out->entries.push_back(e);
    } else {
      out->entries[i].value = merge(out->entries[i].value, e.value);
      out->entries[i].key_loc = e.key_loc;
    }
  }
  return out;
}

struct Segment {
  std::string key;  // empty for a list index
  std::size_t index = 0;
};

// `a.b[2].c` -> a, b, [2], c; nullopt when malformed.
std::optional<std::vector<Segment>> split_key_path(std::string_view path) {
  std::vector<Segment> out;
  std::size_t i = 0;
  bool need_name = true;
  while (i < path.size()) {
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (out.empty() || close == std::string_view::npos || close == i + 1) return std::nullopt;
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(path.data() + i + 1, path.data() + close, index);
      if (ec != std::errc{} || end != path.data() + close) return std::nullopt;
      out.push_back({"", index});
      i = close + 1;
      need_name = false;
    } else if (path[i] == '.' && !need_name) {
      ++i;
      need_name = true;
    } else if (need_name) {
      const std::size_t end = std::min(path.find_first_of(".[]", i), path.size());
      if (end == i) return std::nullopt;
      out.push_back({std::string(path.substr(i, end - i)), 0});
      i = end;
      need_name = false;
    } else {
      return std::nullopt;
    }
  }
  if (out.empty() || need_name) return std::nullopt;
  return out;
}

std::string segments_path(const std::vector<Segment>& segs, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out = segs[i].key.empty() ? index_path(out, segs[i].index) : join_path(out, segs[i].key);
  }
  return out;
}

struct Assignment {
  const std::vector<Segment>& segs;
  const NodePtr& value;
  const SourceLoc& loc;
  std::string_view full_path;

  NodePtr apply(const NodePtr& node, std::size_t depth) const {
    if (depth == segs.size()) return value;
    const Segment& seg = segs[depth];
    auto out = std::make_shared<Node>(*node);
    if (seg.key.empty()) {
      if (node->kind != Kind::kList || seg.index >= node->items.size()) {
        fail(depth, node->kind == Kind::kList
                        ? "has " + std::to_string(node->items.size()) + " items"
                        : "is not a list");
      }
      out->items[seg.index] = apply(node->items[seg.index], depth + 1);
      return out;
    }
    if (node->kind != Kind::kMap) fail(depth, "is not a map");
    const std::size_t i = node->index_of(seg.key);
    if (i == Node::npos) {
      out->entries.push_back({seg.key, from_source(loc), apply(empty_map(), depth + 1)});
    } else {
      out->entries[i].value = apply(node->entries[i].value, depth + 1);
    }
    return out;
  }

  [[noreturn]] void fail(std::size_t depth, const std::string& why) const {
    const std::string at = depth == 0 ? "the top level" : "'" + segments_path(segs, depth) + "'";
    throw InputError(loc, std::string(full_path), "cannot set a value here: " + at + " " + why);
  }
};

void emit(YAML::Emitter& out, const Node& n) {
  switch (n.kind) {
    case Kind::kNull:
      out << YAML::Null;
      return;
    case Kind::kScalar:
      out << n.scalar;
      return;
    case Kind::kList: {
      const bool flat = std::all_of(n.items.begin(), n.items.end(), [](const NodePtr& item) {
        return item->kind == Kind::kScalar || item->kind == Kind::kNull;
      });
      if (flat) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const NodePtr& item : n.items) emit(out, *item);
      out << YAML::EndSeq;
      return;
    }
    case Kind::kMap:
      if (n.entries.empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const Entry& e : n.entries) {
        out << YAML::Key << e.key << YAML::Value;
        emit(out, *e.value);
      }
      out << YAML::EndMap;
      return;
  }
}

std::shared_ptr<Node> deep_copy(const Node& n) {
  auto out = std::make_shared<Node>(n);
  for (NodePtr& item : out->items) item = deep_copy(*item);
  for (Entry& e : out->entries) e.value = deep_copy(*e.value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// `extends`.

struct ChainLink {
  fs::path canonical;
  std::string label;
};

fs::path canonical_of(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

NodePtr load_chain(const fs::path& file, const std::string& label, const Limits& limits,
                   std::vector<ChainLink>& chain);

NodePtr resolve_extends(const NodePtr& root, const std::string& label, const Limits& limits,
                        std::vector<ChainLink>& chain) {
  const std::size_t at = root->index_of("extends");
  if (at == Node::npos) return root;
  const Node& value = *root->entries[at].value;
  if (value.kind != Kind::kScalar || value.scalar.empty()) type_error(value, "extends", "a file");
  const fs::path target = (fs::path(label).parent_path() / value.scalar).lexically_normal();
  const std::string target_label = target.string();
  const fs::path canonical = canonical_of(target);
  const auto seen = std::find_if(chain.begin(), chain.end(),
                                 [&](const ChainLink& l) { return l.canonical == canonical; });
  if (seen != chain.end()) {
    std::string cycle;
    for (auto it = seen; it != chain.end(); ++it) cycle += it->label + " -> ";
    throw InputError(value.loc.get(), "extends", "extends cycle: " + cycle + target_label);
  }
  if (chain.size() >= static_cast<std::size_t>(limits.max_extends)) {
    throw InputError(value.loc.get(), "extends",
                     "extends chain longer than " + std::to_string(limits.max_extends) + " files");
  }
  std::error_code ec;
  if (!fs::exists(target, ec)) {
    throw InputError(value.loc.get(), "extends", "file not found: " + target_label);
  }
  const NodePtr parent = load_chain(target, target_label, limits, chain);
  auto child = std::make_shared<Node>(*root);
  child->entries.erase(child->entries.begin() + static_cast<std::ptrdiff_t>(at));
  return merge(parent, child);
}

NodePtr load_chain(const fs::path& file, const std::string& label, const Limits& limits,
                   std::vector<ChainLink>& chain) {
  chain.push_back({canonical_of(file), label});
  const std::string text = read_text(file, label, limits);
  return resolve_extends(parse_text(text, label, limits), label, limits, chain);
}

// ---------------------------------------------------------------------------------------------

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

std::string choice_list(const std::vector<std::string_view>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) out += (i ? ", " : "") + std::string(choices[i]);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Document.

Document::Document() : node_(empty_map()) {}
Document::Document(std::shared_ptr<const detail::Node> node) : node_(std::move(node)) {}

Document Document::load(const fs::path& file, const Limits& limits) {
  std::vector<ChainLink> chain;
  return Document(load_chain(file, file.string(), limits, chain));
}

Document Document::parse(std::string_view text, std::string file_label, const Limits& limits) {
  std::vector<ChainLink> chain{{canonical_of(file_label), file_label}};
  return Document(resolve_extends(parse_text(text, file_label, limits), file_label, limits, chain));
}

Document Document::merged(const Document& overlay) const {
  return Document(merge(node_, overlay.node_));
}

Document Document::child(std::string_view key) const {
  const std::size_t i = node_->kind == Kind::kMap ? node_->index_of(key) : Node::npos;
  return i == Node::npos ? Document() : Document(node_->entries[i].value);
}

Document Document::with_value(std::string_view key_path, double value, SourceLoc loc) const {
  const std::optional<std::vector<Segment>> segs = split_key_path(key_path);
  if (!segs) {
    throw InputError(loc, std::string(key_path),
                     "not a valid key path (names separated by '.', [N] for list items)");
  }
  const NodePtr scalar = scalar_node(format_number(value), from_source(loc));
  return Document(Assignment{*segs, scalar, loc, key_path}.apply(node_, 0));
}

Document Document::without(std::string_view key) const {
  const std::size_t i = node_->kind == Kind::kMap ? node_->index_of(key) : Node::npos;
  if (i == Node::npos) return *this;
  auto out = std::make_shared<Node>(*node_);
  out->entries.erase(out->entries.begin() + static_cast<std::ptrdiff_t>(i));
  return Document(std::move(out));
}

bool Document::has(std::string_view key) const {
  return node_->kind == Kind::kMap && node_->index_of(key) != Node::npos;
}

bool Document::empty() const {
  return node_->kind == Kind::kNull || (node_->kind == Kind::kMap && node_->entries.empty()) ||
         (node_->kind == Kind::kList && node_->items.empty());
}

bool Document::is_map() const {
  return node_->kind == Kind::kMap;
}
bool Document::is_list() const {
  return node_->kind == Kind::kList;
}
bool Document::is_scalar() const {
  return node_->kind == Kind::kScalar;
}
bool Document::is_null() const {
  return node_->kind == Kind::kNull;
}

std::vector<std::string> Document::keys() const {
  std::vector<std::string> out;
  for (const Entry& e : node_->entries) out.push_back(e.key);
  return out;
}

SourceLoc Document::location() const {
  return node_->loc.get();
}

SourceLoc Document::location(std::string_view key) const {
  return child(key).location();
}

SourceLoc Document::key_location(std::string_view key) const {
  const std::size_t i = node_->kind == Kind::kMap ? node_->index_of(key) : Node::npos;
  return i == Node::npos ? SourceLoc{} : node_->entries[i].key_loc.get();
}

std::string Document::to_yaml() const {
  YAML::Emitter out;
  emit(out, *node_);
  if (!out.good()) throw std::logic_error("YAML emitter: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

std::string Document::as_string(std::string_view what) const {
  return to_text(*node_, what);
}

double Document::as_double(std::string_view what) const {
  const double v = to_number(*node_, what);
  if (!std::isfinite(v)) type_error(*node_, what, "a finite number");
  return v;
}

std::int64_t Document::as_int(std::string_view what) const {
  return to_integer(*node_, what);
}

bool Document::as_bool(std::string_view what) const {
  return to_bool(*node_, what);
}

std::vector<Document> Document::as_list(std::string_view what) const {
  if (node_->kind != Kind::kList) type_error(*node_, what, "a list");
  std::vector<Document> out;
  out.reserve(node_->items.size());
  for (const NodePtr& item : node_->items) out.push_back(Document(item));
  return out;
}

// ---------------------------------------------------------------------------------------------
// LocationMap and helpers.

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

std::string join_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string format_number(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

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

// ---------------------------------------------------------------------------------------------
// Writer.

struct Writer::Impl {
  std::shared_ptr<Node> root = std::make_shared<Node>();
  std::vector<Node*> open{root.get()};

  void add(std::string_view key, NodePtr value) {
    open.back()->entries.push_back({std::string(key), {}, std::move(value)});
  }
  Node* add_container(std::string_view key, Kind kind) {
    auto n = std::make_shared<Node>();
    n->kind = kind;
    Node* raw = n.get();
    add(key, std::move(n));
    return raw;
  }
  static NodePtr list_node(std::vector<NodePtr> items) {
    auto n = std::make_shared<Node>();
    n->kind = Kind::kList;
    n->items = std::move(items);
    return n;
  }
  template <class T, class ToNode>
  static NodePtr list_of(const std::vector<T>& values, ToNode to_node) {
    std::vector<NodePtr> items;
    items.reserve(values.size());
    for (const T& v : values) items.push_back(to_node(v));
    return list_node(std::move(items));
  }
  static NodePtr number(double v) { return scalar_node(format_number(v)); }
  static NodePtr text(const std::string& v) { return scalar_node(v); }
};

Writer::Writer() : impl_(std::make_unique<Impl>()) {}
Writer::~Writer() = default;

void Writer::value(std::string_view key, bool& v, const Meta&) {
  impl_->add(key, scalar_node(v ? "true" : "false"));
}
void Writer::value(std::string_view key, std::int64_t& v, const Meta&) {
  impl_->add(key, scalar_node(std::to_string(v)));
}
void Writer::value(std::string_view key, double& v, const Meta&) {
  impl_->add(key, Impl::number(v));
}
void Writer::value(std::string_view key, std::string& v, const Meta&) {
  impl_->add(key, Impl::text(v));
}
void Writer::value(std::string_view key, std::vector<double>& v, const Meta&) {
  impl_->add(key, Impl::list_of(v, Impl::number));
}
void Writer::value(std::string_view key, std::vector<std::string>& v, const Meta&) {
  impl_->add(key, Impl::list_of(v, Impl::text));
}
void Writer::value(std::string_view key, std::vector<std::vector<double>>& v, const Meta&) {
  impl_->add(key,
             Impl::list_of(v, [](const auto& row) { return Impl::list_of(row, Impl::number); }));
}
void Writer::value(std::string_view key, std::vector<std::vector<std::string>>& v, const Meta&) {
  impl_->add(key, Impl::list_of(v, [](const auto& row) { return Impl::list_of(row, Impl::text); }));
}
void Writer::choice(std::string_view key, std::string& v, const std::vector<std::string_view>&,
                    const Meta&) {
  impl_->add(key, Impl::text(v));
}

bool Writer::enter_group(std::string_view key, std::string_view) {
  impl_->open.push_back(impl_->add_container(key, Kind::kMap));
  return true;
}
void Writer::leave_group() {
  impl_->open.pop_back();
}

std::size_t Writer::enter_list(std::string_view key, std::size_t current_size, std::string_view) {
  impl_->open.push_back(impl_->add_container(key, Kind::kList));
  return current_size;
}
void Writer::enter_item(std::size_t) {
  auto item = std::make_shared<Node>();
  Node* raw = item.get();
  impl_->open.back()->items.push_back(std::move(item));
  impl_->open.push_back(raw);
}
void Writer::leave_item() {
  impl_->open.pop_back();
}
void Writer::leave_list() {
  impl_->open.pop_back();
}

// A copy, so that the Document stays immutable if the Writer is used again.
Document Writer::document() const {
  return DocumentAccess::make(deep_copy(*impl_->root));
}

std::string Writer::str() const {
  return document().to_yaml();
}

}  // namespace sim::config
