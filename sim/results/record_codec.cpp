#include "sim/results/record_codec.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace sim {
namespace {

// Format: a magic word, then every field in declaration order; sizes as uint64, numbers as their
// 8 bytes in this machine's order (the ranks of one job share an architecture).
constexpr std::uint64_t kMagic = 0x32646365'52766f67;  // "govRecd2"

class Writer {
 public:
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void text(const std::string& s) {
    u64(s.size());
    out_.append(s);
  }
  void texts(const std::vector<std::string>& v) {
    u64(v.size());
    for (const auto& s : v) text(s);
  }
  void numbers(const std::vector<double>& v) {
    u64(v.size());
    raw(v.data(), v.size() * sizeof(double));
  }
  std::string take() { return std::move(out_); }

 private:
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint64_t u64() {
    std::uint64_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  double f64() {
    double v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::string text() {
    const std::size_t n = count(1);
    std::string s(in_.substr(at_, n));
    at_ += n;
    return s;
  }
  std::vector<std::string> texts() {
    std::vector<std::string> v(count(sizeof(std::uint64_t)));
    for (auto& s : v) s = text();
    return v;
  }
  std::vector<double> numbers() {
    std::vector<double> v(count(sizeof(double)));
    raw(v.data(), v.size() * sizeof(double));
    return v;
  }
  // A size read from the input, refused when fewer than size * min_bytes bytes remain (a corrupt
  // size must not become a huge allocation).
  std::size_t count(std::size_t min_bytes) {
    const std::uint64_t n = u64();
    if (n > (in_.size() - at_) / min_bytes) fail();
    return static_cast<std::size_t>(n);
  }
  bool done() const { return at_ == in_.size(); }
  [[noreturn]] static void fail() {
    throw std::runtime_error("decode_record: truncated or malformed run record");
  }

 private:
  void raw(void* p, std::size_t n) {
    if (n > in_.size() - at_) fail();
    if (n > 0) std::memcpy(p, in_.data() + at_, n);
    at_ += n;
  }
  std::string_view in_;
  std::size_t at_ = 0;
};

}  // namespace

std::string encode_record(const RunRecord& record) {
  Writer w;
  w.u64(kMagic);
  w.u64(record.attributes.size());
  for (const auto& [key, value] : record.attributes) {
    w.text(key);
    w.text(value);
  }
  w.texts(record.numeric_attributes);
  w.u64(record.dimensions.size());
  for (const Dimension& d : record.dimensions) {
    w.text(d.name);
    w.text(d.unit);
    w.text(d.description);
    w.numbers(d.values);
    w.texts(d.labels);
  }
  w.u64(record.label_coordinates.size());
  for (const LabelCoordinate& c : record.label_coordinates) {
    w.text(c.name);
    w.text(c.dimension);
    w.text(c.description);
    w.texts(c.labels);
  }
  w.u64(record.variables.size());
  for (const Variable& v : record.variables) {
    w.text(v.name);
    w.text(v.unit);
    w.text(v.description);
    w.texts(v.dims);
    w.numbers(v.data);
  }
  w.u64(record.summary.size());
  for (const Scalar& s : record.summary) {
    w.text(s.name);
    w.text(s.unit);
    w.text(s.description);
    w.f64(s.value);
  }
  return w.take();
}

RunRecord decode_record(std::string_view bytes) {
  Reader r(bytes);
  if (r.u64() != kMagic) Reader::fail();
  RunRecord record;
  // Every element takes at least one 8-byte size: a bound for the counts below.
  constexpr std::size_t kMin = sizeof(std::uint64_t);
  record.attributes.resize(r.count(2 * kMin));
  for (auto& [key, value] : record.attributes) {
    key = r.text();
    value = r.text();
  }
  record.numeric_attributes = r.texts();
  record.dimensions.resize(r.count(5 * kMin));
  for (Dimension& d : record.dimensions) {
    d.name = r.text();
    d.unit = r.text();
    d.description = r.text();
    d.values = r.numbers();
    d.labels = r.texts();
  }
  record.label_coordinates.resize(r.count(4 * kMin));
  for (LabelCoordinate& c : record.label_coordinates) {
    c.name = r.text();
    c.dimension = r.text();
    c.description = r.text();
    c.labels = r.texts();
  }
  record.variables.resize(r.count(5 * kMin));
  for (Variable& v : record.variables) {
    v.name = r.text();
    v.unit = r.text();
    v.description = r.text();
    v.dims = r.texts();
    v.data = r.numbers();
  }
  record.summary.resize(r.count(4 * kMin));
  for (Scalar& s : record.summary) {
    s.name = r.text();
    s.unit = r.text();
    s.description = r.text();
    s.value = r.f64();
  }
  if (!r.done()) Reader::fail();
  return record;
}

}  // namespace sim
