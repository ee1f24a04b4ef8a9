#include "analysis/results_reader.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <charconv>
#include <exception>
#include <fstream>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "h5/handle.hpp"

namespace fs = std::filesystem;

namespace analysis {
namespace {

static_assert(std::is_same_v<hid_t, std::int64_t>, "ResultsFile stores an hid_t as int64_t");

constexpr int kSupportedFormatVersion = 1;

using h5::check;
using h5::fail;
using h5::Handle;

// Runs `f` with HDF5's error printing off and turns low-level failures into FileError.
template <class F>
auto guarded(const fs::path& path, F&& f) {
  h5::ErrorSilencer silence;
  try {
    return f();
  } catch (const h5::Error& e) {
    // HDF5's own reason (e.g. a failed checksum) says whether the file is damaged.
    throw FileError(e.detail().empty()
                        ? fmt::format("{}: {}", path.string(), e.what())
                        : fmt::format("{}: {} ({})", path.string(), e.what(), e.detail()));
  }
}

Handle open_group(hid_t loc, const std::string& name) {
  return h5::open_group(loc, name, "no group " + name);
}

Handle open_dataset(hid_t loc, const std::string& name) {
  return h5::open_dataset(loc, name, "no dataset " + name);
}

// Link names in creation order when the file tracks it, else in name order.
std::vector<std::string> link_names(hid_t group) {
  H5G_info_t info;
  check(H5Gget_info(group, &info), "H5Gget_info");
  std::vector<std::string> names;
  H5_index_t index = H5_INDEX_CRT_ORDER;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t n = H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (n < 0 && i == 0 && index == H5_INDEX_CRT_ORDER) {
      index = H5_INDEX_NAME;
      n = H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    }
    if (n < 0) fail("listing group");
    std::string name(static_cast<std::size_t>(n) + 1, '\0');
    H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(n));
    names.push_back(std::move(name));
  }
  return names;
}

// HDF5 callbacks are C frames: nothing may throw through them.
herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* out) {
  try {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
  } catch (...) {
    return -1;
  }
}

std::vector<std::string> attribute_names(hid_t obj) {
  std::vector<std::string> names;
  hsize_t index = 0;
  if (H5Aiterate2(obj, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, collect_attribute_name, &names) <
      0) {
    names.clear();
    index = 0;
    check(H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute_name, &names),
          "listing attributes");
  }
  return names;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// What one read may allocate (1 GiB). A damaged or crafted shape in a file is refused with a
// message instead of becoming a huge allocation; a real dataset is far smaller (a full-scale
// issue log of a year is about 0.1 GiB).
constexpr std::uint64_t kMaxReadBytes = std::uint64_t{1} << 30;

// The number of elements in `space`, refused beyond kMaxReadBytes of `element_bytes` each.
std::size_t bounded_count(hid_t space, std::size_t element_bytes, std::string_view what) {
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) fail(what);
  const auto count = static_cast<std::uint64_t>(n);
  if (element_bytes > 0 && count > kMaxReadBytes / element_bytes)
    throw h5::Error(what, fmt::format("{} values of {} bytes, more than the {} GiB govsim reads "
                                      "at once: the file is damaged or not govsim's",
                                      count, element_bytes, kMaxReadBytes >> 30));
  return static_cast<std::size_t>(count);
}

std::vector<std::string> read_strings(hid_t obj, hid_t file_type, hid_t space, bool attribute) {
  const std::size_t width =
      H5Tis_variable_str(file_type) > 0 ? sizeof(char*) : H5Tget_size(file_type);
  const std::size_t n = bounded_count(space, std::max<std::size_t>(width, 1), "reading strings");
  std::vector<std::string> out;
  if (H5Tis_variable_str(file_type) > 0) {
    Handle mem = h5::variable_string_type(H5Tget_cset(file_type));
    std::vector<char*> text(n, nullptr);
    check(attribute ? H5Aread(obj, mem.get(), text.data())
                    : H5Dread(obj, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()),
          "reading strings");
    for (char* t : text) out.emplace_back(t != nullptr ? t : "");
    H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, text.data());
    return out;
  }
  std::vector<char> buffer(width * n);
  check(attribute ? H5Aread(obj, file_type, buffer.data())
                  : H5Dread(obj, file_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
        "reading strings");
  for (std::size_t i = 0; i < n; ++i) {
    std::string_view s(buffer.data() + i * width, width);
    out.emplace_back(s.substr(0, s.find('\0')));
  }
  return out;
}

// Any string or numeric attribute as text; arrays are joined with ", ".
std::string attribute_text(hid_t obj, const std::string& name) {
  Handle attr{H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "no attribute " + name};
  Handle type{H5Aget_type(attr.get()), H5Tclose, "H5Aget_type"};
  Handle space{H5Aget_space(attr.get()), H5Sclose, "H5Aget_space"};
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  std::vector<std::string> parts;
  switch (H5Tget_class(type.get())) {
    case H5T_STRING:
      return join(read_strings(attr.get(), type.get(), space.get(), true));
    case H5T_INTEGER: {
      std::vector<long long> v(n);
      check(H5Aread(attr.get(), H5T_NATIVE_LLONG, v.data()), "reading attribute " + name);
      for (long long x : v) parts.push_back(std::to_string(x));
      return join(parts);
    }
    case H5T_FLOAT: {
      std::vector<double> v(n);
      check(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, v.data()), "reading attribute " + name);
      for (double x : v) parts.push_back(fmt::format("{}", x));
      return join(parts);
    }
    default:
      return "(attribute of unsupported type)";
  }
}

Attributes all_attributes(hid_t obj) {
  Attributes out;
  for (const auto& name : attribute_names(obj)) {
    if (h5::is_dimension_scale_attribute(name)) continue;
    out.emplace_back(name, attribute_text(obj, name));
  }
  return out;
}

std::string optional_text(hid_t obj, const char* name) {
  return H5Aexists(obj, name) > 0 ? attribute_text(obj, name) : std::string();
}

// A dataset of strings: a label dimension or a label coordinate such as district_pinyin.
bool is_text(hid_t ds) {
  Handle type{H5Dget_type(ds), H5Tclose, "H5Dget_type"};
  return H5Tget_class(type.get()) == H5T_STRING;
}

std::vector<double> read_doubles(hid_t ds) {
  Handle space{H5Dget_space(ds), H5Sclose, "H5Dget_space"};
  std::vector<double> v(bounded_count(space.get(), sizeof(double), "reading data"));
  if (!v.empty())
    check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "reading data");
  return v;
}

RunInfo make_run_info(std::string name, Attributes attrs) {
  RunInfo info;
  // Fall-backs from the naming scheme policy[.sNNN].rNNN.
  info.policy = name.substr(0, name.find('.'));
  for (std::size_t pos = name.find('.'); pos != std::string::npos;) {
    const std::size_t next = name.find('.', pos + 1);
    const std::string_view token =
        std::string_view(name).substr(pos + 1, next == std::string::npos ? next : next - pos - 1);
    if (token.size() > 1 && token[0] == 'r') info.replicate = parse_int(token.substr(1));
    if (token.size() > 1 && token[0] == 's') info.sample = parse_int(token.substr(1));
    pos = next;
  }
  if (const auto* p = find_attribute(attrs, "policy")) info.policy = *p;
  if (const auto* r = find_attribute(attrs, "replicate")) info.replicate = parse_int(*r);
  if (const auto* s = find_attribute(attrs, "sample")) info.sample = parse_int(*s);
  if (const auto* s = find_attribute(attrs, "seed")) info.seed = *s;
  info.name = std::move(name);
  info.attributes = std::move(attrs);
  return info;
}

DimensionData read_dimension(hid_t var, unsigned axis, hsize_t size) {
  DimensionData dim;
  if (h5::scale_count(var, axis, "reading dimension scales") == 0) {
    // Not written by govsim: an anonymous axis indexed 0..size-1.
    dim.name = fmt::format("axis{}", axis);
    for (hsize_t i = 0; i < size; ++i) dim.values.push_back(static_cast<double>(i));
    return dim;
  }
  Handle scale = h5::attached_scale(var, axis, "reading dimension scale");
  // A scale whose name cannot be read leaves the dimension unnamed rather than failing the read.
  dim.name = h5::scale_name(scale.get()).value_or("");
  dim.units = optional_text(scale.get(), "units");
  dim.description = optional_text(scale.get(), "long_name");
  Handle type{H5Dget_type(scale.get()), H5Tclose, "H5Dget_type"};
  if (H5Tget_class(type.get()) == H5T_STRING) {
    Handle space{H5Dget_space(scale.get()), H5Sclose, "H5Dget_space"};
    dim.labels = read_strings(scale.get(), type.get(), space.get(), false);
  } else {
    dim.values = read_doubles(scale.get());
  }
  return dim;
}

}  // namespace

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

const std::string* find_attribute(const Attributes& attrs, std::string_view key) {
  for (const auto& [k, v] : attrs)
    if (k == key) return &v;
  return nullptr;
}

ResultsFile::ResultsFile(fs::path path) : path_(std::move(path)) {
  const std::string where = path_.string();
  if (!fs::exists(path_)) {
    if (fs::exists(fs::path(where + ".parts")))
      throw FileError(where +
                      ": no such file, but its parts exist: the experiment did not finish; run it "
                      "again with --resume to complete it");
    throw FileError(where + ": no such file");
  }
  if (fs::is_directory(path_)) throw FileError(where + ": is a directory, not a results file");
  if (!std::ifstream(path_).good()) throw FileError(where + ": cannot be read (permissions?)");
  try {
    guarded(path_, [&] {
      file_id_ = H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
      if (file_id_ < 0) fail("not an HDF5 file (or damaged)");
      check_format();
      attributes_ = all_attributes(file_id_);
      load_runs();
      load_failures();
      check_complete();
      return 0;
    });
  } catch (...) {
    // The destructor does not run for a half-constructed object.
    if (file_id_ >= 0) H5Fclose(file_id_);
    file_id_ = -1;
    throw;
  }
}

void ResultsFile::check_format() {
  if (H5Aexists(file_id_, "format") <= 0 || attribute_text(file_id_, "format") != "govsim-results")
    fail(
        "an HDF5 file, but not a govsim results file (no root attribute format = "
        "\"govsim-results\")");
  const std::string version =
      H5Aexists(file_id_, "format_version") > 0 ? attribute_text(file_id_, "format_version") : "";
  format_version_ = static_cast<int>(parse_int(version).value_or(0));
  if (format_version_ < 1 || format_version_ > kSupportedFormatVersion)
    fail(fmt::format(
        "format_version '{}' is not supported by this reader (it reads 1 to {}); use a newer "
        "govsim",
        version, kSupportedFormatVersion));
}

ResultsFile::~ResultsFile() {
  if (file_id_ >= 0) H5Fclose(file_id_);
}

ResultsFile::ResultsFile(ResultsFile&& other) noexcept
    : path_(std::move(other.path_)),
      file_id_(std::exchange(other.file_id_, -1)),
      format_version_(other.format_version_),
      attributes_(std::move(other.attributes_)),
      runs_(std::move(other.runs_)),
      failures_(std::move(other.failures_)) {}

std::optional<std::string> ResultsFile::attribute(const std::string& key) const {
  if (const auto* v = find_attribute(attributes_, key)) return *v;
  return std::nullopt;
}

void ResultsFile::load_runs() {
  Handle runs = open_group(file_id_, "runs");
  for (auto& name : link_names(runs.get())) {
    Handle g = open_group(runs.get(), name);
    runs_.push_back(make_run_info(std::move(name), all_attributes(g.get())));
  }
}

void ResultsFile::load_failures() {
  if (H5Lexists(file_id_, "failures", H5P_DEFAULT) <= 0) return;
  Handle failures = open_group(file_id_, "failures");
  for (auto& name : link_names(failures.get())) {
    Handle g = open_group(failures.get(), name);
    FailureInfo f;
    f.attributes = all_attributes(g.get());
    if (const auto* m = find_attribute(f.attributes, "message")) f.message = *m;
    std::erase_if(f.attributes, [](const auto& kv) { return kv.first == "message"; });
    f.name = std::move(name);
    failures_.push_back(std::move(f));
  }
}

// The writer records how many runs and failures it merged: a file with groups missing (edited,
// or damaged) would otherwise be compared as if it were whole.
void ResultsFile::check_complete() const {
  auto expect = [&](const char* key, std::size_t found, const char* what) {
    const auto* announced = find_attribute(attributes_, key);
    if (announced == nullptr) return;
    if (*announced != std::to_string(found))
      fail(fmt::format("incomplete: the file says {} {} but holds {}; it was edited or damaged",
                       *announced, what, found));
  };
  expect("runs", runs_.size(), "runs");
  expect("failed_runs", failures_.size(), "failed runs");
}

std::int64_t ResultsFile::open_run(const std::string& run) const {
  const std::string path = "runs/" + run;
  if (run.empty() || run.find('/') != std::string::npos ||
      H5Lexists(file_id_, path.c_str(), H5P_DEFAULT) <= 0)
    fail("no run named '" + run + "'");
  const hid_t id = H5Gopen2(file_id_, path.c_str(), H5P_DEFAULT);
  if (id < 0) fail("cannot open run " + run);
  return id;
}

std::vector<SummaryValue> ResultsFile::summary(const std::string& run) const {
  return guarded(path_, [&] {
    Handle group{open_run(run), H5Gclose, "opening run"};
    std::vector<SummaryValue> out;
    if (H5Lexists(group.get(), "summary", H5P_DEFAULT) <= 0) return out;
    Handle summary = open_group(group.get(), "summary");
    for (const auto& name : link_names(summary.get())) {
      Handle ds = open_dataset(summary.get(), name);
      const std::vector<double> v = read_doubles(ds.get());
      if (v.size() != 1) fail(fmt::format("summary/{} of run {} is not a scalar", name, run));
      out.push_back(
          {name, optional_text(ds.get(), "units"), optional_text(ds.get(), "long_name"), v[0]});
    }
    return out;
  });
}

std::vector<std::string> ResultsFile::variable_names(const std::string& run) const {
  return guarded(path_, [&] {
    Handle group{open_run(run), H5Gclose, "opening run"};
    std::vector<std::string> out;
    for (const auto& name : link_names(group.get())) {
      Handle obj = h5::open_object(group.get(), name, "opening " + name);
      if (H5Iget_type(obj.get()) == H5I_DATASET && !h5::is_scale(obj.get(), "reading " + name) &&
          !is_text(obj.get()))
        out.push_back(name);
    }
    return out;
  });
}

namespace {

VariableData read_variable(hid_t group, const std::string& name) {
  Handle ds = open_dataset(group, name);
  if (is_text(ds.get()))
    throw h5::Error("reading " + name, "a label coordinate (text), not a numeric variable");
  VariableData var;
  var.name = name;
  var.units = optional_text(ds.get(), "units");
  var.description = optional_text(ds.get(), "long_name");
  Handle space{H5Dget_space(ds.get()), H5Sclose, "H5Dget_space"};
  // Checked before anything is sized from the shape: the values, and each axis on its own (a
  // dimension without a scale is numbered, so a 2^40 x 0 shape would allocate 2^40 numbers).
  (void)bounded_count(space.get(), sizeof(double), "reading " + name);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> shape(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr);
  for (const hsize_t n : shape) {
    if (n > kMaxReadBytes / sizeof(double))
      throw h5::Error(
          "reading " + name,
          fmt::format("an axis of {} values, more than the {} GiB govsim reads at once: "
                      "the file is damaged or not govsim's",
                      n, kMaxReadBytes >> 30));
  }
  for (int axis = 0; axis < rank; ++axis)
    var.dims.push_back(read_dimension(ds.get(), static_cast<unsigned>(axis),
                                      shape[static_cast<std::size_t>(axis)]));
  var.data = read_doubles(ds.get());
  return var;
}

}  // namespace

VariableData ResultsFile::variable(const std::string& run, const std::string& name) const {
  return guarded(path_, [&] {
    Handle group{open_run(run), H5Gclose, "opening run"};
    if (name.empty() || H5Lexists(group.get(), name.c_str(), H5P_DEFAULT) <= 0)
      fail(fmt::format("run {} has no variable '{}'", run, name));
    return read_variable(group.get(), name);
  });
}

VariableData ResultsFile::stacked(const std::string& group_name, const std::string& name) const {
  return guarded(path_, [&] {
    if (H5Lexists(file_id_, group_name.c_str(), H5P_DEFAULT) <= 0)
      fail(fmt::format("no stacked /{} group", group_name));
    Handle group = open_group(file_id_, group_name);
    if (name.empty() || name.find('/') != std::string::npos ||
        H5Lexists(group.get(), name.c_str(), H5P_DEFAULT) <= 0)
      fail(fmt::format("/{} has no variable '{}'", group_name, name));
    return read_variable(group.get(), name);
  });
}

VariableData ResultsFile::stacked_summary(const std::string& name) const {
  return stacked("summary", name);
}

VariableData ResultsFile::stacked_series(const std::string& name) const {
  return stacked("series", name);
}

}  // namespace analysis
