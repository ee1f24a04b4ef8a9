// The tree's nodes, their positions and key paths, and scalars: reading them with the YAML 1.2
// core schema's spellings, and writing numbers so that they read back exactly.
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "sim/config/config_node.hpp"

namespace sim::config {
namespace {

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

}  // namespace

NodePtr scalar_node(std::string text, Loc loc) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::kScalar;
  n->scalar = std::move(text);
  n->loc = std::move(loc);
  return n;
}

std::string index_path(std::string_view parent, std::size_t i) {
  return std::string(parent) + "[" + std::to_string(i) + "]";
}

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

}  // namespace sim::config
