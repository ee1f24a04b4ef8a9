#pragma once
// Internal to the files that implement sim/config/config_yaml.hpp (config_node.cpp,
// config_parse.cpp, config_yaml.cpp, config_reader.cpp, config_writer.cpp): the document tree, and
// the helpers for positions, key paths and scalars that more than one of them needs. yaml-cpp stays
// out of this header as out of config_yaml.hpp; only config_parse.cpp and config_yaml.cpp include
// it.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/config/config_yaml.hpp"

namespace sim::config {

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

// The private tree of a Document, for the Reader, the Writer and check_known_keys.
struct DocumentAccess {
  static const Node& node(const Document& d) { return *d.node_; }
  static const NodePtr& ptr(const Document& d) { return d.node_; }
  static Document make(NodePtr n) { return Document(std::move(n)); }
};

// ---- nodes, positions and messages (config_node.cpp) -----------------------------------------

NodePtr scalar_node(std::string text, Loc loc = {});
// `parent[i]`.
std::string index_path(std::string_view parent, std::size_t i);
// What a node is, for "expected X, got Y" messages.
std::string describe_node(const Node& n);
// Throws InputError at `n`: expected `expected`, got what `n` is.
[[noreturn]] void type_error(const Node& n, std::string_view path, std::string_view expected);

// Scalars, with the YAML 1.2 core schema's spelling of booleans and infinities. Each throws an
// InputError at `n` (with key path `path`) when `n` is not a scalar of that type.
double to_number(const Node& n, std::string_view path);
// Also accepts integral numbers in other spellings (1e3, 100.0) when exactly representable.
std::int64_t to_integer(const Node& n, std::string_view path);
bool to_bool(const Node& n, std::string_view path);
std::string to_text(const Node& n, std::string_view path);

// ---- reading files (config_parse.cpp) --------------------------------------------------------

// The file's bytes; InputError naming `label` when it is missing, a directory, unreadable or
// larger than limits.max_file_bytes.
std::string read_text(const std::filesystem::path& file, const std::string& label,
                      const Limits& limits);
// One file's tree, without resolving `extends`: the text is checked (size, NUL bytes, UTF-8),
// parsed as a single YAML document within `limits`, and must hold a map. Throws InputError.
NodePtr parse_text(std::string_view text, const std::string& label, const Limits& limits);

}  // namespace sim::config
