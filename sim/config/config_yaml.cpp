// Document: loading with `extends`, merging, setting values by key path, typed access, and
// writing the tree back as YAML.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "sim/config/config_node.hpp"

namespace sim::config {
namespace fs = std::filesystem;
namespace {

NodePtr empty_map() {
  static const NodePtr empty = std::make_shared<const Node>();
  return empty;
}

Loc from_source(const SourceLoc& s) {
  if (s.file.empty()) return {};
  return {std::make_shared<const std::string>(s.file), s.line, s.column};
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
  if (!fs::is_regular_file(target, ec)) {
    throw InputError(
        value.loc.get(), "extends",
        "not a regular file (a pipe or device would block or never end): " + target_label);
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

Document Document::load_unresolved(const fs::path& file, const Limits& limits) {
  const std::string label = file.string();
  return Document(parse_text(read_text(file, label, limits), label, limits));
}

Document Document::merged(const Document& overlay) const {
  return Document(merge(node_, overlay.node_));
}

Document Document::child(std::string_view key) const {
  const std::size_t i = node_->kind == Kind::kMap ? node_->index_of(key) : Node::npos;
  return i == Node::npos ? Document() : Document(node_->entries[i].value);
}

Document Document::with_value(std::string_view key_path, double value, const SourceLoc& loc) const {
  return with_scalar(key_path, format_number(value), loc);
}

Document Document::with_scalar(std::string_view key_path, const std::string& text,
                               const SourceLoc& loc) const {
  const std::optional<std::vector<Segment>> segs = split_key_path(key_path);
  if (!segs) {
    throw InputError(loc, std::string(key_path),
                     "not a valid key path (names separated by '.', [N] for list items)");
  }
  const NodePtr scalar = scalar_node(text, from_source(loc));
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

}  // namespace sim::config
