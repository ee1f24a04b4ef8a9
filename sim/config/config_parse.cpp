// Untrusted text to a tree: the file and its encoding are checked before yaml-cpp sees them, and
// depth, size and aliases are bounded while the tree is built from yaml-cpp's parser events.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "sim/config/config_node.hpp"

namespace sim::config {
namespace fs = std::filesystem;
namespace {

Loc to_loc(const std::shared_ptr<const std::string>& file, const YAML::Mark& mark) {
  if (mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

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

// Reads at most one byte over the limit: special files may report size 0 and never end.
std::string read_bounded(const fs::path& file, const std::string& label, const Limits& limits) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({label, 0, 0}, "", "cannot read file");
  std::string text(limits.max_file_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw InputError({label, 0, 0}, "", "cannot read file");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > limits.max_file_bytes) {
    throw InputError({label, 0, 0}, "", too_large(text.size(), limits));
  }
  return text;
}

}  // namespace

std::string read_text(const fs::path& file, const std::string& label, const Limits& limits) {
  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (ec || !fs::exists(status)) throw InputError({label, 0, 0}, "", "file not found");
  if (fs::is_directory(status)) throw InputError({label, 0, 0}, "", "is a directory, not a file");
  if (!fs::is_regular_file(status)) {
    // A pipe (`govsim run /dev/stdin`, `<(...)`) can be read once, but a command may read its
    // input file twice (to tell a scenario from an experiment, then to load it): the text of a
    // file that is not regular is kept for this process's later reads of the same path.
    static std::mutex mutex;
    static std::map<std::string, std::string> kept;
    const std::lock_guard lock(mutex);
    const std::string key = file.lexically_normal().string();
    if (const auto it = kept.find(key); it != kept.end()) return it->second;
    return kept.emplace(key, read_bounded(file, label, limits)).first->second;
  }
  const std::uintmax_t size = fs::file_size(file, ec);
  if (!ec && size > limits.max_file_bytes) {
    throw InputError({label, 0, 0}, "", too_large(static_cast<std::size_t>(size), limits));
  }
  return read_bounded(file, label, limits);
}

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

}  // namespace sim::config
