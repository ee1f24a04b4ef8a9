// libFuzzer target: hostile results files, made by editing real ones. A template (a small
// experiment, a Saltelli sweep, an uncertainty experiment, written by govsim: see scripts/fuzz.sh)
// is copied and the input says what to do to its objects: delete them, move one over another,
// rewrite attributes as odd text or extreme numbers, replace datasets with others of any rank,
// shape (up to 2^40 values, claimed but not stored) and type, overwrite values with NaN, ±inf and
// huge numbers. Every reader entry point (runs, summaries, variables, the stacked arrays, export,
// compare, sensitivity) then runs on the result: each must succeed or throw analysis::BadInput.
// A crash, a sanitizer report, another exception (exit 1 for a user) or a hang is a finding.
// Byte-level damage is caught by HDF5's checksums or, for crafted files, is libhdf5's to survive
// (docs/limits.md); it is not fuzzed here.
//
// Input format, read front to back (so regression seeds can be written by hand):
//   u8 template index, then edits until the input ends:
//   u8 operation, u8 target selector, then the operation's payload.
//   A target selector below 0x80 picks the k-th object (or attribute) in visit order; 0x80 + n is
//   followed by n bytes of a name, and picks the first object whose path (or attribute whose
//   name) ends with it.
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/export.hpp"
#include "analysis/results_reader.hpp"
#include "analysis/sensitivity.hpp"

namespace fs = std::filesystem;

namespace {

struct Template {
  fs::path file;
  std::vector<std::string> objects;                             // paths, visit order
  std::vector<std::pair<std::string, std::string>> attributes;  // (object path, name)
};

std::vector<Template> templates;
fs::path work_file;

class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8U) | u8();
    return v;
  }
  std::string text(std::size_t n) {
    std::string s;
    while (n-- > 0 && !empty()) s.push_back(static_cast<char>(u8()));
    return s;
  }
  // A number chosen to hurt: a table of extremes, or any 64-bit pattern.
  double number() {
    static constexpr double inf = std::numeric_limits<double>::infinity();
    static const std::array<double, 12> extremes = {
        std::nan(""),          inf,    -inf, 0.0, -0.0, -1.0, 1e308, -1e308, 4294967296.0,
        9.2233720368547758e18, 5e-324, 2.5};
    const std::uint8_t pick = u8();
    if (pick < extremes.size()) return extremes[pick];
    const std::uint64_t bits = u64();
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  std::int64_t integer() {
    static const std::array<std::int64_t, 8> extremes = {0,
                                                         -1,
                                                         1,
                                                         2,
                                                         std::numeric_limits<std::int64_t>::max(),
                                                         std::numeric_limits<std::int64_t>::min(),
                                                         std::int64_t{1} << 31U,
                                                         std::int64_t{1} << 40U};
    const std::uint8_t pick = u8();
    if (pick < extremes.size()) return extremes[pick];
    return static_cast<std::int64_t>(u64());
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// Index into `n` items named by `name_of`, per the selector rule in the header comment.
template <typename NameOf>
std::size_t select(Bytes& in, std::size_t n, NameOf name_of) {
  const std::uint8_t sel = in.u8();
  if (sel < 0x80) return n == 0 ? 0 : sel % n;
  const std::string suffix = in.text(sel - 0x80U);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = name_of(i);
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return i;
  }
  return 0;
}

herr_t collect_object(hid_t, const char* name, const H5O_info_t*, void* data) {
  auto& t = *static_cast<Template*>(data);
  if (std::strcmp(name, ".") != 0) t.objects.push_back(std::string("/") + name);
  return 0;
}

herr_t collect_attribute(hid_t, const char* name, const H5A_info_t*, void* data) {
  auto* out = static_cast<std::vector<std::string>*>(data);
  out->emplace_back(name);
  return 0;
}

Template scan(const fs::path& file) {
  Template t{file, {}, {}};
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    std::fprintf(stderr, "fuzz_results_file: cannot open template %s\n", file.c_str());
    std::exit(2);
  }
  H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, collect_object, &t);
  std::vector<std::string> paths = {"/"};
  paths.insert(paths.end(), t.objects.begin(), t.objects.end());
  for (const auto& p : paths) {
    std::vector<std::string> names;
    H5Aiterate_by_name(f, p.c_str(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_attribute, &names,
                       H5P_DEFAULT);
    for (auto& n : names) t.attributes.emplace_back(p, std::move(n));
  }
  H5Fclose(f);
  return t;
}

hid_t string_type(bool variable, std::size_t length) {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, variable ? H5T_VARIABLE : std::max<std::size_t>(length, 1));
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

void write_attribute(hid_t file, const std::string& object, const std::string& name, Bytes& in) {
  H5Adelete_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT);
  const std::uint8_t kind = in.u8() % 4;
  const hsize_t n = kind == 3 ? in.u8() % 17 : 1;
  const hid_t space = kind == 3 ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_SCALAR);
  if (kind == 0) {  // text
    const std::string text = in.text(in.u8() % 64);
    const bool variable = (in.u8() & 1U) != 0;
    const hid_t type = string_type(variable, text.size());
    const hid_t a = H5Acreate_by_name(file, object.c_str(), name.c_str(), type, space, H5P_DEFAULT,
                                      H5P_DEFAULT, H5P_DEFAULT);
    if (variable) {
      const char* p = text.c_str();
      H5Awrite(a, type, static_cast<const void*>(&p));
    } else {
      std::string padded = text;
      padded.resize(std::max<std::size_t>(text.size(), 1));
      H5Awrite(a, type, padded.data());
    }
    H5Aclose(a);
    H5Tclose(type);
  } else if (kind == 1) {  // an integer
    const std::int64_t v = in.integer();
    const hid_t a = H5Acreate_by_name(file, object.c_str(), name.c_str(), H5T_STD_I64LE, space,
                                      H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, H5T_NATIVE_INT64, &v);
    H5Aclose(a);
  } else {  // a double, or an array of them
    std::vector<double> v(n);
    for (auto& x : v) x = in.number();
    const hid_t a = H5Acreate_by_name(file, object.c_str(), name.c_str(), H5T_IEEE_F64LE, space,
                                      H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (!v.empty()) H5Awrite(a, H5T_NATIVE_DOUBLE, v.data());
    H5Aclose(a);
  }
  H5Sclose(space);
}

// A new dataset in place of `path`: any rank up to 3, small shapes filled from the input or a
// huge claimed shape left unwritten (chunked, so it costs nothing on disk).
void replace_dataset(hid_t file, const std::string& path, Bytes& in) {
  H5Ldelete(file, path.c_str(), H5P_DEFAULT);
  const int rank = in.u8() % 4;
  std::array<hsize_t, 3> dims{};
  bool huge = false;
  hsize_t count = 1;
  for (int d = 0; d < rank; ++d) {
    const std::uint8_t code = in.u8();
    dims[d] = code == 0xff ? (hsize_t{1} << 40U) : code % 9;
    huge = huge || code == 0xff;
    count *= dims[d];
  }
  const hid_t space =
      rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims.data(), nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  if (huge) {
    std::array<hsize_t, 3> chunk{1, 1, 1};
    H5Pset_chunk(dcpl, rank, chunk.data());
  }
  const bool text = (in.u8() & 1U) != 0;
  const hid_t type = text ? string_type(false, 8) : H5Tcopy(H5T_IEEE_F64LE);
  const hid_t d = H5Dcreate2(file, path.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (d >= 0 && !huge && count > 0) {
    if (text) {
      std::string buf(count * 8, '\0');
      for (auto& c : buf) c = static_cast<char>(in.u8());
      H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
    } else {
      std::vector<double> v(count);
      for (auto& x : v) x = in.number();
      H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    }
  }
  if (d >= 0) H5Dclose(d);
  H5Tclose(type);
  H5Pclose(dcpl);
  H5Sclose(space);
}

// New values for an existing numeric dataset of at most 4096 values, keeping its shape and type.
void overwrite_values(hid_t file, const std::string& path, Bytes& in) {
  const hid_t d = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (d < 0) return;
  const hid_t type = H5Dget_type(d);
  const hid_t space = H5Dget_space(d);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (H5Tget_class(type) != H5T_STRING && n > 0 && n <= 4096) {
    std::vector<double> v(static_cast<std::size_t>(n));
    const double fill = in.number();
    for (auto& x : v) x = in.empty() ? fill : in.number();
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  }
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(d);
}

void edit(hid_t file, const Template& t, Bytes& in) {
  const std::uint8_t op = in.u8() % 6;
  const auto object_name = [&](std::size_t i) { return t.objects[i]; };
  const auto attribute_name = [&](std::size_t i) { return t.attributes[i].second; };
  if (op == 4 || op == 5) {
    if (t.attributes.empty()) return;
    const auto& [object, name] = t.attributes[select(in, t.attributes.size(), attribute_name)];
    if (op == 4) {
      H5Adelete_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT);
    } else {
      write_attribute(file, object, name, in);
    }
    return;
  }
  if (t.objects.empty()) return;
  const std::string& path = t.objects[select(in, t.objects.size(), object_name)];
  switch (op) {
    case 0:
      H5Ldelete(file, path.c_str(), H5P_DEFAULT);
      break;
    case 1: {  // move another object over this one
      const std::string& from = t.objects[select(in, t.objects.size(), object_name)];
      if (from != path && H5Ldelete(file, path.c_str(), H5P_DEFAULT) >= 0)
        H5Lmove(file, from.c_str(), file, path.c_str(), H5P_DEFAULT, H5P_DEFAULT);
      break;
    }
    case 2:
      replace_dataset(file, path, in);
      break;
    default:
      overwrite_values(file, path, in);
      break;
  }
}

void read_everything(const fs::path& file) {
  std::ostream null_out(nullptr);
  const analysis::ResultsFile f(file);
  std::vector<std::string> metrics;
  const auto& runs = f.runs();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    for (const auto& s : f.summary(runs[i].name)) metrics.push_back(s.name);
    // Every variable of three runs (reading all of them costs a second an input under ASan).
    if (i != 0 && i != runs.size() / 2 && i + 1 != runs.size()) continue;
    for (const auto& v : f.variable_names(runs[i].name)) (void)f.variable(runs[i].name, v);
  }
  std::sort(metrics.begin(), metrics.end());
  metrics.erase(std::unique(metrics.begin(), metrics.end()), metrics.end());
  for (const auto& m : metrics) {
    try {
      (void)f.stacked_summary(m);
    } catch (const analysis::BadInput&) {
    }
  }
  try {
    (void)f.stacked_series("city_open");
  } catch (const analysis::BadInput&) {
  }
  analysis::write_tidy_csv(f, {}, null_out);
  analysis::CompareOptions o;
  o.stock_series = {"city_open"};
  o.all_metrics = true;
  try {
    analysis::write_compare_report(file, o, null_out);
  } catch (const analysis::BadInput&) {
  }
  analysis::write_sensitivity_report(file, "", "table", null_out);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const char* list = std::getenv("GOVSIM_FUZZ_TEMPLATES");
  if (list == nullptr || *list == '\0') {
    std::fprintf(stderr,
                 "fuzz_results_file: set GOVSIM_FUZZ_TEMPLATES to ':'-separated results files "
                 "(scripts/fuzz.sh writes them)\n");
    std::exit(2);
  }
  std::string paths = list;
  for (std::size_t start = 0; start <= paths.size();) {
    const std::size_t end = std::min(paths.find(':', start), paths.size());
    if (end > start) templates.push_back(scan(paths.substr(start, end - start)));
    start = end + 1;
  }
  work_file =
      fs::temp_directory_path() / ("govsim-fuzz-results." + std::to_string(getpid()) + ".h5");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  const Template& t = templates[in.u8() % templates.size()];
  fs::copy_file(t.file, work_file, fs::copy_options::overwrite_existing);
  const hid_t file = H5Fopen(work_file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (file < 0) std::abort();
  for (int edits = 0; !in.empty() && edits < 16; ++edits) edit(file, t, in);
  H5Fclose(file);
  try {
    read_everything(work_file);
  } catch (const analysis::BadInput&) {
  }
  // Whatever happened, the reader let go of every HDF5 object it opened.
  const ssize_t open_objects = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
  if (open_objects != 0) {
    std::fprintf(stderr, "fuzz_results_file: %zd HDF5 objects left open:\n", open_objects);
    std::vector<hid_t> ids(static_cast<std::size_t>(open_objects));
    H5Fget_obj_ids(H5F_OBJ_ALL, H5F_OBJ_ALL, ids.size(), ids.data());
    for (const hid_t id : ids) {
      std::array<char, 256> name{};
      H5Iget_name(id, name.data(), name.size());
      std::fprintf(stderr, "  type %d: %s\n", static_cast<int>(H5Iget_type(id)), name.data());
    }
    std::abort();
  }
  return 0;
}
