#pragma once
// YAML input for declare-once parameters: an immutable document tree that keeps the file, line
// and column of every node, the Reader that fills a struct through its describe() and reports
// every mistake at its position, and the Writer that stores the values back as YAML.
// yaml-cpp stays behind this header: only config_parse.cpp and config_yaml.cpp include it.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/config.hpp"
#include "sim/errors.hpp"

namespace sim::config {

// Bounds on untrusted input, checked before and while the tree is built so that a hostile file
// is refused quickly and with bounded memory.
struct Limits {
  std::size_t max_file_bytes = 4u << 20;
  int max_depth = 64;              // nesting of maps and lists
  std::size_t max_nodes = 200000;  // an alias counts every time it is reached
  int max_extends = 16;            // files in one `extends` chain
};

namespace detail {
struct Node;
}

// An immutable YAML tree with source marks. Copies share the tree, so passing by value is cheap.
class Document {
 public:
  Document();  // an empty map

  // Reads and checks a file (size, text encoding, YAML syntax, nesting, node count, a top-level
  // map) and resolves a top-level `extends: parent.yaml` (relative to the including file): the
  // parent is loaded, then this file is merged over it. Throws InputError.
  static Document load(const std::filesystem::path& file, const Limits& limits = {});
  // As load() for text in memory; `file_label` names it in errors and anchors `extends`.
  static Document parse(std::string_view text, std::string file_label, const Limits& limits = {});
  // The file's own top-level map, checked as load() checks it, with a top-level `extends` kept as
  // a plain key instead of being resolved (for overlays that must not bring their parent along).
  static Document load_unresolved(const std::filesystem::path& file, const Limits& limits = {});

  // Deep merge: maps merge key by key, anything else is replaced by the overlay's node, which
  // keeps its own file and position.
  Document merged(const Document& overlay) const;
  // The subtree under `key`, or an empty Document when absent (or when this is not a map).
  Document child(std::string_view key) const;
  // A copy with the scalar at a key path (`a.b`, `a.list[2].c`) set to `value`, creating maps as
  // needed. `loc` becomes the new node's position, so a later error points at whoever set it.
  Document with_value(std::string_view key_path, double value, const SourceLoc& loc = {}) const;
  // As with_value for a scalar given as text (a number, true/false or a word), which the schema
  // reads as it reads the same text in a file.
  Document with_scalar(std::string_view key_path, const std::string& text,
                       const SourceLoc& loc = {}) const;
  // A copy of this map without `key`.
  Document without(std::string_view key) const;

  bool has(std::string_view key) const;
  bool empty() const;  // an empty map, an empty list or null
  bool is_map() const;
  bool is_list() const;
  bool is_scalar() const;
  bool is_null() const;
  std::vector<std::string> keys() const;  // map keys in file order

  SourceLoc location() const;                          // of this node
  SourceLoc location(std::string_view key) const;      // of a map key's value
  SourceLoc key_location(std::string_view key) const;  // of the key itself
  std::string to_yaml() const;

  // Typed access for files without a describe() (experiments). `what` is the key path used in
  // the InputError thrown when the node has another type.
  std::string as_string(std::string_view what) const;
  double as_double(std::string_view what) const;  // finite numbers only
  std::int64_t as_int(std::string_view what) const;
  bool as_bool(std::string_view what) const;
  std::vector<Document> as_list(std::string_view what) const;

 private:
  explicit Document(std::shared_ptr<const detail::Node> node);
  std::shared_ptr<const detail::Node> node_;
  friend struct DocumentAccess;  // the Reader and Writer (sim/config/config_node.hpp)
};

// Where each value read by a Reader came from, by key path (`departments[2].domains[1]`), so
// that the model can report cross-field errors at the right line.
class LocationMap {
 public:
  void set(std::string path, SourceLoc loc);
  const SourceLoc* find(std::string_view path) const;
  // The position of `path`, else of its nearest recorded ancestor, else the file alone.
  SourceLoc at_or_file(std::string_view path) const;
  void set_file(std::string file) { file_ = std::move(file); }
  const std::string& file() const { return file_; }
  std::size_t size() const { return locations_.size(); }

 private:
  std::map<std::string, SourceLoc, std::less<>> locations_;
  std::string file_;
};

// Fills a struct from a Document through describe(). Absent keys keep the struct's values, absent
// groups are skipped, absent lists keep their items. A key marked required must be present
// whenever its enclosing map is. Keys the description never asked for are errors, reported when
// their map is left (and by finish() for the top level) with a did-you-mean suggestion.
// Every error is an InputError at the offending node with its key path.
class Reader final : public Visitor {
 public:
  explicit Reader(const Document& doc, LocationMap* locations = nullptr);
  ~Reader() override;
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

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

  // Reports unknown and missing keys of the top-level map. Call after describe().
  void finish();

 private:
  bool enter_group(std::string_view key, std::string_view meaning) override;
  void leave_group() override;
  std::size_t enter_list(std::string_view key, std::size_t current_size,
                         std::string_view meaning) override;
  void enter_item(std::size_t index) override;
  void leave_item() override;
  void leave_list() override;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

template <class T>
void read(const Document& doc, T& out, LocationMap* locations = nullptr) {
  Reader r(doc, locations);
  describe(r, out);
  r.finish();
}

// Emits the current values in describe() order; numbers are written so that they read back
// exactly, so read(parse(to_yaml(s))) reproduces s.
class Writer final : public Visitor {
 public:
  Writer();
  ~Writer() override;
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

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

  Document document() const;
  std::string str() const;

 private:
  bool enter_group(std::string_view key, std::string_view meaning) override;
  void leave_group() override;
  std::size_t enter_list(std::string_view key, std::size_t current_size,
                         std::string_view meaning) override;
  void enter_item(std::size_t index) override;
  void leave_item() override;
  void leave_list() override;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

template <class T>
std::string to_yaml(T& t) {
  Writer w;
  describe(w, t);
  return w.str();
}

// Helpers shared with the experiment reader and the documentation writer.

// `parent.key`, or `key` at the top level.
std::string join_path(std::string_view parent, std::string_view key);
// The shortest text that reads back as the same double (".inf" / "-.inf" / ".nan" as in YAML).
std::string format_number(double v);
// The candidate closest to `word` by edit distance when it is close enough to be a typo, else "".
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);
// Throws InputError at the first key of the map `doc` (found at `path`) not in `known`.
void check_known_keys(const Document& doc, std::string_view path,
                      const std::vector<std::string_view>& known);

}  // namespace sim::config
