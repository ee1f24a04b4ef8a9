#include "sim/results/results_file.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "h5/handle.hpp"
#include "sim/errors.hpp"

namespace fs = std::filesystem;

namespace sim {
namespace {

// The HDF5 library keeps global state; every call from this file goes through this mutex so
// runs finishing on several threads can store their parts concurrently.
std::mutex& hdf5_mutex() {
  static std::mutex m;
  return m;
}

// Every HDF5 call of this file runs inside `f`: serialised, without HDF5's own printing, and with
// failures reported as the std::runtime_error that results_file.hpp documents.
// A failed system call that the user can remedy (room, quota, permissions, the disk itself)
// is an OutputError; anything else is govsim's or HDF5's fault.
bool output_condition(int os_error) {
  return os_error == ENOSPC || os_error == EDQUOT || os_error == EROFS || os_error == EACCES ||
         os_error == EPERM || os_error == EIO || os_error == EFBIG;
}

template <class F>
auto with_hdf5(F&& f) {
  std::lock_guard lock(hdf5_mutex());
  h5::ErrorSilencer silence;
  try {
    return f();
  } catch (const h5::Error& e) {
    if (output_condition(e.os_error()))
      throw OutputError(fmt::format("{}: {}", e.what(), std::strerror(e.os_error())));
    if (e.detail().empty()) throw std::runtime_error(fmt::format("HDF5: {} failed", e.what()));
    throw std::runtime_error(fmt::format("HDF5: {} failed: {}", e.what(), e.detail()));
  }
}

using h5::check;
using h5::Handle;

Handle property_list(hid_t cls) {
  return {H5Pcreate(cls), H5Pclose, "H5Pcreate"};
}

// Creation order is tracked so h5py, h5dump and netCDF list runs, variables and attributes in
// the order they were written; modification times are not stored so that identical content
// gives identical bytes.
Handle group_creation_plist() {
  Handle p = property_list(H5P_GROUP_CREATE);
  const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  check(H5Pset_link_creation_order(p.get(), order), "H5Pset_link_creation_order");
  check(H5Pset_attr_creation_order(p.get(), order), "H5Pset_attr_creation_order");
  check(H5Pset_obj_track_times(p.get(), false), "H5Pset_obj_track_times");
  return p;
}

Handle dataset_creation_plist() {
  Handle p = property_list(H5P_DATASET_CREATE);
  const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  check(H5Pset_attr_creation_order(p.get(), order), "H5Pset_attr_creation_order");
  check(H5Pset_obj_track_times(p.get(), false), "H5Pset_obj_track_times");
  return p;
}

Handle create_file(const fs::path& path) {
  Handle fcpl = property_list(H5P_FILE_CREATE);
  const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  check(H5Pset_link_creation_order(fcpl.get(), order), "H5Pset_link_creation_order");
  check(H5Pset_attr_creation_order(fcpl.get(), order), "H5Pset_attr_creation_order");
  check(H5Pset_obj_track_times(fcpl.get(), false), "H5Pset_obj_track_times");
  Handle fapl = property_list(H5P_FILE_ACCESS);
  // The 1.8 format: compact link storage and creation-order indexes, readable by any HDF5 since
  // 2008 (and so by every netCDF-4 build).
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), "H5Pset_libver_bounds");
  check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "H5Pset_fclose_degree");
  return {H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), H5Fclose,
          "creating " + path.string()};
}

Handle open_file_readonly(const fs::path& path) {
  return {H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "opening " + path.string()};
}

Handle create_group(hid_t parent, const std::string& name) {
  Handle gcpl = group_creation_plist();
  return {H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
          "creating group " + name};
}

Handle scalar_space() {
  return {H5Screate(H5S_SCALAR), H5Sclose, "H5Screate"};
}

Handle simple_space(const std::vector<hsize_t>& shape) {
  if (shape.empty()) return scalar_space();
  return {H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose,
          "H5Screate_simple"};
}

void write_string_attribute(hid_t obj, const std::string& name, const std::string& value) {
  Handle type = h5::variable_string_type(H5T_CSET_UTF8);
  Handle space = scalar_space();
  Handle attr{H5Acreate2(obj, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, "creating attribute " + name};
  const char* text = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &text), "writing attribute " + name);
}

void write_int_attribute(hid_t obj, const std::string& name, std::int64_t value) {
  Handle space = scalar_space();
  Handle attr{H5Acreate2(obj, name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, "creating attribute " + name};
  check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &value), "writing attribute " + name);
}

void write_double_attribute(hid_t obj, const std::string& name, double value) {
  Handle space = scalar_space();
  Handle attr{H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, "creating attribute " + name};
  check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value), "writing attribute " + name);
}

// Attributes that hold numbers are stored as numbers (so h5py and xarray give numbers), when
// their text is the canonical form of one: an integer without leading zeros, or the shortest
// text of a double. Reading renders them back to exactly that text, so resumed runs compare
// equal. Anything else stays text. Which attributes are numbers is declared by their owner:
// these are the experiment runner's; a record declares its own (RunRecord::numeric_attributes).
bool engine_numeric_attribute(std::string_view name) {
  static constexpr std::string_view kNumeric[] = {"replicate",
                                                  "sample",
                                                  "seed",
                                                  "master_seed",
                                                  "saltelli_base_samples",
                                                  "saltelli_second_order",
                                                  "morris_trajectories",
                                                  "morris_levels",
                                                  "wall_seconds"};
  return name.starts_with("parameter:") ||
         std::find(std::begin(kNumeric), std::end(kNumeric), name) != std::end(kNumeric);
}

std::string number_text(std::int64_t v) {
  return std::to_string(v);
}
std::string number_text(double v) {
  return fmt::format("{}", v);
}

void write_attribute(hid_t obj, const std::string& name, const std::string& value, bool numeric) {
  if (numeric && !value.empty()) {
    const char* end = value.data() + value.size();
    std::int64_t i = 0;
    if (auto [p, ec] = std::from_chars(value.data(), end, i);
        ec == std::errc{} && p == end && number_text(i) == value) {
      write_int_attribute(obj, name, i);
      return;
    }
    double d = 0;
    if (auto [p, ec] = std::from_chars(value.data(), end, d);
        ec == std::errc{} && p == end && number_text(d) == value) {
      write_double_attribute(obj, name, d);
      return;
    }
  }
  write_string_attribute(obj, name, value);
}

// `numeric`: the names, besides the engine's own, whose values are numbers.
void write_attributes(hid_t obj, const Attributes& attributes,
                      const std::vector<std::string>& numeric = {}) {
  for (const auto& [name, value] : attributes) {
    const bool is_number = engine_numeric_attribute(name) ||
                           std::find(numeric.begin(), numeric.end(), name) != numeric.end();
    write_attribute(obj, name, value, is_number);
  }
}

// CF-style metadata that xarray and netCDF tools show; empty strings are left out.
void write_units_and_long_name(hid_t obj, const std::string& unit, const std::string& text) {
  if (!unit.empty()) write_string_attribute(obj, "units", unit);
  if (!text.empty()) write_string_attribute(obj, "long_name", text);
}

// A string attribute's text, or a numeric attribute's canonical text (as write_attribute wrote it).
std::string read_string_attribute(hid_t attr, const std::string& name) {
  Handle file_type{H5Aget_type(attr), H5Tclose, "H5Aget_type"};
  Handle space{H5Aget_space(attr), H5Sclose, "H5Aget_space"};
  const bool scalar = H5Sget_simple_extent_npoints(space.get()) == 1;
  if (H5Tget_class(file_type.get()) == H5T_INTEGER && scalar) {
    std::int64_t v = 0;
    check(H5Aread(attr, H5T_NATIVE_INT64, &v), "reading attribute " + name);
    return number_text(v);
  }
  if (H5Tget_class(file_type.get()) == H5T_FLOAT && scalar) {
    double v = 0;
    check(H5Aread(attr, H5T_NATIVE_DOUBLE, &v), "reading attribute " + name);
    return number_text(v);
  }
  if (H5Tget_class(file_type.get()) != H5T_STRING || H5Tis_variable_str(file_type.get()) <= 0)
    throw std::runtime_error("attribute " + name + " is not a variable-length string or a number");
  Handle type = h5::variable_string_type(H5T_CSET_UTF8);
  char* text = nullptr;
  check(H5Aread(attr, type.get(), &text), "reading attribute " + name);
  std::string value = text != nullptr ? text : "";
  H5free_memory(text);
  return value;
}

// HDF5 callbacks are C frames: exceptions are caught inside and rethrown after the iteration.
struct AttributeCollector {
  Attributes values;
  std::vector<std::string> numeric;  // the names stored as numbers
  std::exception_ptr error;
};

herr_t collect_string_attribute(hid_t obj, const char* name, const H5A_info_t*, void* data) {
  auto* collector = static_cast<AttributeCollector*>(data);
  // H5DS attributes are rebuilt in the destination, never copied.
  if (h5::is_dimension_scale_attribute(name)) return 0;
  try {
    Handle attr{H5Aopen(obj, name, H5P_DEFAULT), H5Aclose,
                std::string("opening attribute ") + name};
    collector->values.emplace_back(name, read_string_attribute(attr.get(), name));
    Handle type{H5Aget_type(attr.get()), H5Tclose, "H5Aget_type"};
    if (H5Tget_class(type.get()) != H5T_STRING) collector->numeric.emplace_back(name);
    return 0;
  } catch (...) {
    collector->error = std::current_exception();
    return -1;
  }
}

// The object's own attributes as text in creation order, without the H5DS bookkeeping, and the
// names of those stored as numbers.
AttributeCollector read_own_attributes(hid_t obj) {
  AttributeCollector collector;
  hsize_t index = 0;
  const herr_t status = H5Aiterate2(obj, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index,
                                    collect_string_attribute, &collector);
  if (collector.error) std::rethrow_exception(collector.error);
  check(status, "reading attributes");
  return collector;
}

Attributes own_attributes(hid_t obj) {
  return std::move(read_own_attributes(obj).values);
}

// Copies `src`'s own attributes to `dst`, numbers as numbers.
void copy_attributes(hid_t src, hid_t dst) {
  const AttributeCollector a = read_own_attributes(src);
  write_attributes(dst, a.values, a.numeric);
}

// Every value written is under a checksum, so that a damaged file is reported, not misread:
// small datasets (every summary scalar) are stored compact, inside their object header, which
// the 1.8 file format checksums; larger ones in chunks with the Fletcher-32 filter, which checks
// each chunk as it is read.
//
// ~256 KiB chunks: big enough for deflate to work well, small enough that reading a slice along
// the slowest axis (usually time) does not decompress the whole variable.
constexpr hsize_t kChunkElements = 32768;
// Up to this size (8,192 bytes of doubles, far below HDF5's 64 KiB limit for compact data) a
// chunk index and filter headers would cost more than compression saves.
constexpr hsize_t kMaxCompactElements = 1024;

std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& shape) {
  std::vector<hsize_t> chunk = shape;
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    hsize_t rest = 1;
    for (std::size_t j = i + 1; j < chunk.size(); ++j) rest *= chunk[j];
    if (chunk[i] * rest <= kChunkElements) break;
    chunk[i] = std::max<hsize_t>(1, kChunkElements / rest);
  }
  return chunk;
}

hsize_t element_count(const std::vector<hsize_t>& shape) {
  hsize_t n = 1;
  for (hsize_t s : shape) n *= s;
  return n;
}

// Compact up to kMaxCompactElements, else chunked, shuffled, deflated and Fletcher-32 checked
// (the checksum last, so that it covers the bytes on disk). Empty datasets hold nothing to check.
// Labels (variable-length strings) take no filters: compact while they fit (16-byte references
// into the global heap, which has no checksum of its own), else contiguous.
Handle checked_dataset_plist(const std::vector<hsize_t>& shape, bool labels = false) {
  Handle dcpl = dataset_creation_plist();
  const hsize_t n = element_count(shape);
  if (n == 0) return dcpl;
  if (shape.empty() || n <= (labels ? 2 : 1) * kMaxCompactElements) {
    check(H5Pset_layout(dcpl.get(), H5D_COMPACT), "H5Pset_layout");
    return dcpl;
  }
  if (labels) return dcpl;
  const std::vector<hsize_t> chunk = chunk_shape(shape);
  check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "H5Pset_chunk");
  check(H5Pset_shuffle(dcpl.get()), "H5Pset_shuffle");
  check(H5Pset_deflate(dcpl.get(), 4), "H5Pset_deflate");
  check(H5Pset_fletcher32(dcpl.get()), "H5Pset_fletcher32");
  return dcpl;
}

Handle create_dataset(hid_t group, const std::string& name, hid_t type, hid_t space, hid_t dcpl) {
  return {H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
          "creating dataset " + name};
}

// A 1-D variable-length UTF-8 string dataset (labels cannot take filters: compact while they fit).
Handle write_strings(hid_t group, const std::string& name, const std::vector<std::string>& labels,
                     const std::string& what) {
  const std::vector<hsize_t> shape{labels.size()};
  Handle space = simple_space(shape);
  Handle dcpl = checked_dataset_plist(shape, true);
  Handle type = h5::variable_string_type(H5T_CSET_UTF8);
  Handle d = create_dataset(group, name, type.get(), space.get(), dcpl.get());
  std::vector<const char*> text;
  text.reserve(labels.size());
  for (const auto& label : labels) text.push_back(label.c_str());
  check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()),
        "writing " + what + " " + name);
  return d;
}

Handle write_dimension(hid_t group, const Dimension& dim) {
  Handle ds = [&] {
    if (!dim.labels.empty()) return write_strings(group, dim.name, dim.labels, "dimension");
    const std::vector<hsize_t> shape{dim.size()};
    Handle space = simple_space(shape);
    Handle dcpl = checked_dataset_plist(shape);
    Handle d = create_dataset(group, dim.name, H5T_IEEE_F64LE, space.get(), dcpl.get());
    check(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, dim.values.data()),
          "writing dimension " + dim.name);
    return d;
  }();
  check(H5DSset_scale(ds.get(), dim.name.c_str()), "making " + dim.name + " a dimension scale");
  write_units_and_long_name(ds.get(), dim.unit, dim.description);
  return ds;
}

using ScaleMap = std::map<std::string, std::pair<hsize_t, Handle>>;

// `coordinates`: the label coordinates over the variable's dimensions, space-separated (CF).
void write_variable(hid_t group, const Variable& var, const ScaleMap& scales,
                    const std::vector<LabelCoordinate>& label_coordinates) {
  std::vector<hsize_t> shape;
  for (const auto& dim : var.dims) shape.push_back(scales.at(dim).first);
  Handle space = simple_space(shape);
  Handle dcpl = checked_dataset_plist(shape);
  Handle ds = create_dataset(group, var.name, H5T_IEEE_F64LE, space.get(), dcpl.get());
  if (!var.data.empty())
    check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, var.data.data()),
          "writing variable " + var.name);
  for (std::size_t axis = 0; axis < var.dims.size(); ++axis)
    check(H5DSattach_scale(ds.get(), scales.at(var.dims[axis]).second.get(),
                           static_cast<unsigned>(axis)),
          "attaching dimension " + var.dims[axis] + " to " + var.name);
  write_units_and_long_name(ds.get(), var.unit, var.description);
  std::string coordinates;
  for (const auto& c : label_coordinates)
    if (std::find(var.dims.begin(), var.dims.end(), c.dimension) != var.dims.end())
      coordinates += (coordinates.empty() ? "" : " ") + c.name;
  if (!coordinates.empty()) write_string_attribute(ds.get(), "coordinates", coordinates);
}

void write_label_coordinate(hid_t group, const LabelCoordinate& c, const ScaleMap& scales) {
  Handle ds = write_strings(group, c.name, c.labels, "label coordinate");
  check(H5DSattach_scale(ds.get(), scales.at(c.dimension).second.get(), 0),
        "attaching dimension " + c.dimension + " to " + c.name);
  write_units_and_long_name(ds.get(), "", c.description);
}

// A record's dimensions, label coordinates and variables into `group`.
void write_record_contents(hid_t group, const RunRecord& record) {
  ScaleMap scales;
  for (const auto& dim : record.dimensions)
    scales.emplace(dim.name, std::make_pair(hsize_t{dim.size()}, write_dimension(group, dim)));
  for (const auto& c : record.label_coordinates) write_label_coordinate(group, c, scales);
  for (const auto& var : record.variables)
    write_variable(group, var, scales, record.label_coordinates);
}

void write_scalar(hid_t group, const Scalar& scalar) {
  Handle space = scalar_space();
  Handle dcpl = checked_dataset_plist({});
  Handle ds = create_dataset(group, scalar.name, H5T_IEEE_F64LE, space.get(), dcpl.get());
  check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &scalar.value),
        "writing summary " + scalar.name);
  write_units_and_long_name(ds.get(), scalar.unit, scalar.description);
}

void write_run_group(hid_t parent, const std::string& name, const RunRecord& record) {
  Handle group = create_group(parent, name);
  write_attributes(group.get(), record.attributes, record.numeric_attributes);
  write_record_contents(group.get(), record);
  Handle summary = create_group(group.get(), "summary");
  for (const auto& scalar : record.summary) write_scalar(summary.get(), scalar);
}

// ---- validation: a bad record is rejected before any file is touched -------------------------

void require_unique(std::set<std::string>& seen, const std::string& name, std::string_view what) {
  if (name.empty()) throw std::invalid_argument(fmt::format("{} with an empty name", what));
  if (name.find('/') != std::string::npos || name == "." || name == "..")
    throw std::invalid_argument(fmt::format("{} '{}': names may not contain '/'", what, name));
  if (!seen.insert(name).second)
    throw std::invalid_argument(fmt::format("duplicate {} name '{}'", what, name));
}

void validate_attributes(const Attributes& attributes, std::set<std::string> reserved) {
  for (const auto& [name, value] : attributes) {
    if (reserved.count(name) != 0 || h5::is_dimension_scale_attribute(name))
      throw std::invalid_argument(fmt::format("attribute name '{}' is reserved", name));
    require_unique(reserved, name, "attribute");
  }
}

void validate_record(const RunRecord& record) {
  validate_attributes(record.attributes, {});
  std::set<std::string> names{"summary"};
  std::map<std::string, std::size_t> dim_sizes;
  for (const auto& dim : record.dimensions) {
    require_unique(names, dim.name, "dimension");
    if (!dim.labels.empty() && !dim.values.empty())
      throw std::invalid_argument("dimension " + dim.name + " has both values and labels");
    dim_sizes[dim.name] = dim.size();
  }
  for (const auto& c : record.label_coordinates) {
    require_unique(names, c.name, "label coordinate");
    auto it = dim_sizes.find(c.dimension);
    if (it == dim_sizes.end() || it->second != c.labels.size())
      throw std::invalid_argument(
          fmt::format("label coordinate {} has {} labels; dimension '{}' needs as many as its size",
                      c.name, c.labels.size(), c.dimension));
  }
  for (const auto& var : record.variables) {
    require_unique(names, var.name, "variable");
    std::size_t expected = 1;
    for (const auto& d : var.dims) {
      auto it = dim_sizes.find(d);
      if (it == dim_sizes.end())
        throw std::invalid_argument(
            fmt::format("variable {} uses undeclared dimension '{}'", var.name, d));
      expected *= it->second;
    }
    if (var.data.size() != expected)
      throw std::invalid_argument(fmt::format("variable {} has {} values; its dimensions need {}",
                                              var.name, var.data.size(), expected));
  }
  std::set<std::string> scalars;
  for (const auto& s : record.summary) require_unique(scalars, s.name, "summary scalar");
}

// Run names become file and group names, so they are restricted to a portable alphabet.
void validate_run_name(const std::string& name) {
  const bool ok = !name.empty() && name.size() <= 200 && name.front() != '.' &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                  });
  if (!ok)
    throw InputError(fmt::format(
        "run name '{}': policy and run names may contain only letters, digits, '.', '_' and "
        "'-', and may not start with '.'",
        name));
}

// ---- durable file operations -------------------------------------------------------------------

void fsync_path(const fs::path& path, bool directory) {
  const int flags = O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0);
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "opening " + path.string());
  const int status = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (status != 0)
    throw std::system_error(saved, std::generic_category(), "fsync " + path.string());
}

// After this returns, `dest` holds the complete content of `tmp` even across a power loss.
void durable_rename(const fs::path& tmp, const fs::path& dest) {
  try {
    fsync_path(tmp, false);
    fs::rename(tmp, dest);
    const fs::path dir = dest.parent_path();
    fsync_path(dir.empty() ? fs::path(".") : dir, true);
  } catch (const std::system_error& e) {
    if (output_condition(e.code().value())) throw OutputError(e.what());
    throw;
  }
}

fs::path with_suffix(const fs::path& path, std::string_view suffix) {
  fs::path out = path;
  out += suffix;
  return out;
}

// Creates "<dest>.tmp", fills it with write(file), closes it (checking the flush) and renames
// it to `dest`; a failure leaves neither file behind.
template <class Write>
void write_part(const fs::path& dest, Write&& write) {
  const fs::path tmp = with_suffix(dest, ".tmp");
  try {
    with_hdf5([&] {
      Handle file = create_file(tmp);
      write(file.get());
      file.close("writing " + tmp.string());
    });
    durable_rename(tmp, dest);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

int acquire_lock(const fs::path& lock_path, const fs::path& final_path) {
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "creating " + lock_path.string());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd);
    if (saved == EWOULDBLOCK)
      throw InputError(
          fmt::format("{}: another govsim process is writing this experiment (lock {})",
                      final_path.string(), lock_path.string()));
    throw std::system_error(saved, std::generic_category(), "locking " + lock_path.string());
  }
  return fd;
}

void check_final_file(const fs::path& final_path, bool resume, bool overwrite) {
  if (overwrite || !fs::exists(final_path)) return;
  if (resume)
    throw InputError(fmt::format(
        "{}: the experiment is already complete; nothing to resume (use --overwrite to run it "
        "again)",
        final_path.string()));
  throw InputError(fmt::format(
      "{}: file exists; use --overwrite to replace it, --resume to continue an interrupted "
      "experiment, or another output path",
      final_path.string()));
}

constexpr const char* kRunsDir = "runs";
constexpr const char* kFailuresDir = "failures";
constexpr const char* kLockName = ".lock";

}  // namespace

ResultsWriter::ResultsWriter(fs::path final_path, bool resume, bool overwrite)
    : final_path_(std::move(final_path)), parts_dir_(with_suffix(final_path_, ".parts")) {
  check_final_file(final_path_, resume, overwrite);
  fs::create_directories(parts_dir_);
  lock_fd_ = acquire_lock(parts_dir_ / kLockName, final_path_);
  try {
    if (!resume) {
      for (const auto& entry : fs::directory_iterator(parts_dir_))
        if (entry.path().filename() != kLockName) fs::remove_all(entry.path());
    }
    fs::create_directories(parts_dir_ / kRunsDir);
    fs::create_directories(parts_dir_ / kFailuresDir);
    scan_parts();
  } catch (...) {
    // The destructor does not run for a half-constructed writer; release the lock here.
    ::close(lock_fd_);
    throw;
  }
}

void ResultsWriter::check_run_name(const std::string& run_name) {
  validate_run_name(run_name);
}

void ResultsWriter::check_not_finished() const {
  if (finished_) throw std::logic_error("ResultsWriter used after finish()");
}

ResultsWriter::~ResultsWriter() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

fs::path ResultsWriter::part_path(const std::string& run_name) const {
  return parts_dir_ / kRunsDir / (run_name + ".h5");
}

fs::path ResultsWriter::failure_path(const std::string& run_name) const {
  return parts_dir_ / kFailuresDir / (run_name + ".h5");
}

// Temporary files are what a crash left behind while writing a part; they are never complete.
void ResultsWriter::scan_parts() {
  for (const std::string_view sub : {kRunsDir, kFailuresDir}) {
    for (const auto& entry : fs::directory_iterator(parts_dir_ / sub)) {
      const fs::path& p = entry.path();
      if (p.extension() == ".tmp") {
        fs::remove(p);
      } else if (sub == kRunsDir && p.extension() == ".h5") {
        done_.insert(p.stem().string());
      }
    }
  }
}

bool ResultsWriter::has_run(const std::string& run_name) const {
  std::lock_guard lock(mutex_);
  return done_.count(run_name) != 0;
}

Attributes ResultsWriter::stored_attributes(const std::string& run_name) const {
  if (!has_run(run_name)) throw std::logic_error("no finished part for run " + run_name);
  return with_hdf5([&] {
    Handle file = open_file_readonly(part_path(run_name));
    Handle group = h5::open_group(file.get(), "run", "opening run group");
    return own_attributes(group.get());
  });
}

void ResultsWriter::write_run(const std::string& run_name, const RunRecord& record) {
  check_not_finished();
  validate_run_name(run_name);
  validate_record(record);
  write_part(part_path(run_name), [&](hid_t file) { write_run_group(file, "run", record); });
  fs::remove(failure_path(run_name));
  std::lock_guard lock(mutex_);
  done_.insert(run_name);
}

void ResultsWriter::record_failure(const std::string& run_name, const std::string& message,
                                   const Attributes& run_attributes) {
  check_not_finished();
  validate_run_name(run_name);
  validate_attributes(run_attributes, {"message"});
  write_part(failure_path(run_name), [&](hid_t file) {
    Handle group = create_group(file, "failure");
    write_string_attribute(group.get(), "message", message);
    write_attributes(group.get(), run_attributes);
  });
}

namespace {

struct MergePlan {
  std::vector<std::string> runs;
  std::vector<std::string> failures;
};

herr_t collect_link_name(hid_t, const char* name, const H5L_info_t*, void* out) {
  try {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
  } catch (...) {  // nothing may propagate through HDF5's C frames
    return -1;
  }
}

std::vector<std::string> links_in_creation_order(hid_t group) {
  std::vector<std::string> names;
  hsize_t index = 0;
  check(H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, collect_link_name, &names),
        "listing group");
  return names;
}

std::string scale_name(hid_t scale) {
  std::optional<std::string> name = h5::scale_name(scale);
  if (!name) h5::fail("H5DSget_scale_name");
  return *std::move(name);
}

// The name of the scale attached to `axis` of dataset `ds`.
std::string attached_scale_name(hid_t ds, unsigned axis) {
  Handle scale = h5::attached_scale(ds, axis, "H5DSiterate_scales");
  return scale_name(scale.get());
}

Handle open_dataset(hid_t group, const std::string& name) {
  return h5::open_dataset(group, name, "opening dataset " + name);
}

// H5Ocopy copies raw (compressed) chunks as they are, but HDF5 1.10 does not remap the object
// references inside a scale's REFERENCE_LIST. So datasets are copied without attributes and the
// scales are set and attached again in the destination. Scales are created before the variables
// that use them, so in creation order each variable finds its scales already copied.
void copy_dataset(hid_t src_group, hid_t dst_group, const std::string& name) {
  Handle ocpypl = property_list(H5P_OBJECT_COPY);
  check(H5Pset_copy_object(ocpypl.get(), H5O_COPY_WITHOUT_ATTR_FLAG), "H5Pset_copy_object");
  check(H5Ocopy(src_group, name.c_str(), dst_group, name.c_str(), ocpypl.get(), H5P_DEFAULT),
        "copying dataset " + name);
  Handle src = open_dataset(src_group, name);
  Handle dst = open_dataset(dst_group, name);
  if (h5::is_scale(src.get(), "H5DSis_scale " + name)) {
    check(H5DSset_scale(dst.get(), scale_name(src.get()).c_str()), "H5DSset_scale " + name);
  } else {
    Handle space{H5Dget_space(src.get()), H5Sclose, "H5Dget_space"};
    const int rank = H5Sget_simple_extent_ndims(space.get());
    for (int axis = 0; axis < rank; ++axis) {
      const std::string dim = attached_scale_name(src.get(), static_cast<unsigned>(axis));
      Handle scale = open_dataset(dst_group, dim);
      check(H5DSattach_scale(dst.get(), scale.get(), static_cast<unsigned>(axis)),
            fmt::format("attaching {} to {}", dim, name));
    }
  }
  copy_attributes(src.get(), dst.get());
}

// Copies the run group at `src_path` in `src_file` to `name` under `dst_parent`, re-attaching
// dimension scales in the copy.
void copy_run(hid_t src_file, hid_t dst_parent, const std::string& name,
              const std::string& src_path = "run") {
  Handle src = h5::open_group(src_file, src_path, "opening run group " + src_path);
  Handle dst = create_group(dst_parent, name);
  copy_attributes(src.get(), dst.get());
  for (const auto& link : links_in_creation_order(src.get())) {
    Handle obj = h5::open_object(src.get(), link, "opening " + link);
    if (H5Iget_type(obj.get()) == H5I_DATASET) {
      copy_dataset(src.get(), dst.get(), link);
    } else {
      check(H5Ocopy(src.get(), link.c_str(), dst.get(), link.c_str(), H5P_DEFAULT, H5P_DEFAULT),
            "copying " + link);
    }
  }
}

// Run attributes that name a sampled parameter: `parameter:<scenario key>`.
constexpr std::string_view kParameterPrefix = "parameter:";

std::string attribute_or_empty(const Attributes& attributes, const std::string& key) {
  for (const auto& [k, v] : attributes)
    if (k == key) return v;
  return {};
}

bool all_integers(const std::vector<std::string>& values) {
  return std::all_of(values.begin(), values.end(), [](const std::string& v) {
    std::int64_t x = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    return ec == std::errc{} && end == v.data() + v.size();
  });
}

std::vector<double> read_doubles(hid_t ds, const std::string& what) {
  Handle space{H5Dget_space(ds), H5Sclose, "H5Dget_space"};
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0) h5::fail(what);
  std::vector<double> out(static_cast<std::size_t>(n));
  if (n > 0) check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), what);
  return out;
}

// A run's attributes, summary scalars and daily series (its variables over `day` alone), read
// from its part while the merge has it open.
struct RunSummary {
  Attributes attributes;
  std::vector<Scalar> scalars;
  std::vector<double> days;      // the run's `day` coordinate
  std::vector<Variable> series;  // dims {"day"}
};

RunSummary read_run_summary(hid_t part_file) {
  Handle run = h5::open_group(part_file, "run", "opening run group");
  RunSummary r{own_attributes(run.get()), {}, {}, {}};
  if (H5Lexists(run.get(), "day", H5P_DEFAULT) > 0) {
    Handle day = open_dataset(run.get(), "day");
    r.days = read_doubles(day.get(), "reading day");
    for (const auto& link : links_in_creation_order(run.get())) {
      Handle obj = h5::open_object(run.get(), link, "opening " + link);
      if (H5Iget_type(obj.get()) != H5I_DATASET) continue;
      Handle ds = open_dataset(run.get(), link);
      Handle space{H5Dget_space(ds.get()), H5Sclose, "H5Dget_space"};
      if (h5::is_scale(ds.get(), "H5DSis_scale") || H5Sget_simple_extent_ndims(space.get()) != 1 ||
          attached_scale_name(ds.get(), 0) != "day")
        continue;
      const Attributes a = own_attributes(ds.get());
      r.series.push_back({link,
                          attribute_or_empty(a, "units"),
                          attribute_or_empty(a, "long_name"),
                          {"day"},
                          read_doubles(ds.get(), "reading " + link)});
    }
  }
  if (H5Lexists(run.get(), "summary", H5P_DEFAULT) <= 0) return r;
  Handle summary = h5::open_group(run.get(), "summary", "opening summary");
  for (const auto& link : links_in_creation_order(summary.get())) {
    Handle ds = open_dataset(summary.get(), link);
    double value = 0;
    check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value),
          "reading summary " + link);
    const Attributes a = own_attributes(ds.get());
    r.scalars.push_back(
        {link, attribute_or_empty(a, "units"), attribute_or_empty(a, "long_name"), value});
  }
  return r;
}

// Where each run sits among the values of the run attributes named in `stack_by` (attributes no
// run has are left out). Integer-valued attributes become numeric dimensions in ascending order,
// others label dimensions in order of first appearance.
struct StackLayout {
  std::vector<Dimension> dimensions;
  std::vector<std::vector<std::string>> keys;  // per dimension, its values as text
  std::size_t cells = 1;

  std::size_t cell_of(const Attributes& attributes) const {
    std::size_t cell = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::string v = attribute_or_empty(attributes, dimensions[i].name);
      cell =
          cell * keys[i].size() +
          static_cast<std::size_t>(std::find(keys[i].begin(), keys[i].end(), v) - keys[i].begin());
    }
    return cell;
  }
  std::vector<std::string> dimension_names() const {
    std::vector<std::string> names;
    for (const auto& d : dimensions) names.push_back(d.name);
    return names;
  }
};

StackLayout stack_layout(const std::vector<RunSummary>& runs,
                         const std::vector<std::string>& stack_by) {
  StackLayout layout;
  for (const auto& attribute : stack_by) {
    std::vector<std::string> values;
    std::size_t have = 0;
    for (const auto& r : runs) {
      const std::string v = attribute_or_empty(r.attributes, attribute);
      if (v.empty()) continue;
      ++have;
      if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
    }
    if (have == 0) continue;
    if (have != runs.size())
      throw std::logic_error("stacked summaries: only some runs have attribute " + attribute);
    Dimension dim{attribute, "", "run attribute " + attribute, {}, {}};
    if (all_integers(values)) {
      std::sort(values.begin(), values.end(), [](const std::string& a, const std::string& b) {
        return std::stoll(a) < std::stoll(b);
      });
      for (const auto& v : values) dim.values.push_back(static_cast<double>(std::stoll(v)));
    } else {
      dim.labels = values;
    }
    layout.cells *= values.size();
    layout.keys.push_back(values);
    layout.dimensions.push_back(std::move(dim));
  }
  return layout;
}

// A variable of `out` by name, created NaN-filled over `dims` (size `cells`) on first use.
Variable& stacked_variable(RunRecord& out, const std::string& name, const std::string& unit,
                           const std::string& description, const std::vector<std::string>& dims,
                           std::size_t cells) {
  for (auto& v : out.variables)
    if (v.name == name) return v;
  out.variables.push_back({name, unit, description, dims, std::vector<double>(cells, NAN)});
  return out.variables.back();
}

// The summary scalars of every run, and its `parameter:` attributes, stacked into arrays over
// the layout's dimensions: one read gives a whole experiment. A cell no run fills (a failed run)
// is NaN.
RunRecord stacked_summaries(const std::vector<RunSummary>& runs, const StackLayout& layout) {
  RunRecord out;
  out.dimensions = layout.dimensions;
  const auto dims = layout.dimension_names();
  for (const auto& r : runs) {
    const std::size_t cell = layout.cell_of(r.attributes);
    for (const auto& s : r.scalars)
      stacked_variable(out, s.name, s.unit, s.description, dims, layout.cells).data[cell] = s.value;
    for (const auto& [k, v] : r.attributes) {
      if (!k.starts_with(kParameterPrefix)) continue;
      stacked_variable(out, k, "", "sampled parameter " + k.substr(kParameterPrefix.size()), dims,
                       layout.cells)
          .data[cell] = std::strtod(v.c_str(), nullptr);
    }
  }
  return out;
}

// The daily series of every run stacked the same way, with `day` last; runs shorter than the
// longest are NaN-padded.
RunRecord stacked_series(const std::vector<RunSummary>& runs, const StackLayout& layout) {
  RunRecord out;
  const RunSummary* longest = &runs.front();
  for (const auto& r : runs)
    if (r.days.size() > longest->days.size()) longest = &r;
  const std::size_t days = longest->days.size();
  if (days == 0) return out;
  out.dimensions = layout.dimensions;
  out.dimensions.push_back({"day", "d", "simulated day", longest->days, {}});
  auto dims = layout.dimension_names();
  dims.emplace_back("day");
  for (const auto& r : runs) {
    const std::size_t cell = layout.cell_of(r.attributes);
    for (const auto& v : r.series) {
      Variable& into =
          stacked_variable(out, v.name, v.unit, v.description, dims, layout.cells * days);
      std::copy(v.data.begin(), v.data.end(),
                into.data.begin() + static_cast<std::ptrdiff_t>(cell * days));
    }
  }
  return out;
}

void write_record_group(hid_t file, const char* name, const RunRecord& record) {
  Handle group = create_group(file, name);
  write_record_contents(group.get(), record);
}

void merge_parts(hid_t file_id, const MergePlan& plan, const Attributes& file_attributes,
                 const std::vector<std::string>& stack_by,
                 const std::function<fs::path(const std::string&, bool)>& part_of) {
  write_string_attribute(file_id, "format", "govsim-results");
  write_int_attribute(file_id, "format_version", kResultsFormatVersion);
  write_int_attribute(file_id, "runs", static_cast<std::int64_t>(plan.runs.size()));
  write_int_attribute(file_id, "failed_runs", static_cast<std::int64_t>(plan.failures.size()));
  write_attributes(file_id, file_attributes);
  Handle runs = create_group(file_id, "runs");
  std::vector<RunSummary> summaries;
  for (const auto& name : plan.runs) {
    Handle part = open_file_readonly(part_of(name, true));
    copy_run(part.get(), runs.get(), name);
    if (!stack_by.empty()) summaries.push_back(read_run_summary(part.get()));
  }
  if (!summaries.empty()) {
    const StackLayout layout = stack_layout(summaries, stack_by);
    write_record_group(file_id, "summary", stacked_summaries(summaries, layout));
    const RunRecord series = stacked_series(summaries, layout);
    if (!series.variables.empty()) write_record_group(file_id, "series", series);
  }
  if (plan.failures.empty()) return;
  Handle failures = create_group(file_id, "failures");
  for (const auto& name : plan.failures) {
    Handle part = open_file_readonly(part_of(name, false));
    check(H5Ocopy(part.get(), "failure", failures.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
          "copying failure record " + name);
  }
}

}  // namespace

void ResultsWriter::import_run(const fs::path& results_file, const std::string& run_name) {
  check_not_finished();
  validate_run_name(run_name);
  write_part(part_path(run_name), [&](hid_t file) {
    Handle src = open_file_readonly(results_file);
    copy_run(src.get(), file, "run", "runs/" + run_name);
  });
  fs::remove(failure_path(run_name));
  std::lock_guard lock(mutex_);
  done_.insert(run_name);
}

void ResultsWriter::finish(const Attributes& file_attributes,
                           const std::vector<std::string>& run_order,
                           const std::vector<std::string>& stack_by) {
  check_not_finished();
  validate_attributes(file_attributes, {"format", "format_version", "runs", "failed_runs"});
  MergePlan plan;
  std::vector<std::string> missing;
  std::set<std::string> seen;
  for (const auto& name : run_order) {
    validate_run_name(name);
    if (!seen.insert(name).second) throw std::invalid_argument("run listed twice: " + name);
    if (fs::exists(part_path(name))) {
      plan.runs.push_back(name);
    } else if (fs::exists(failure_path(name))) {
      plan.failures.push_back(name);
    } else {
      missing.push_back(name);
    }
  }
  if (!missing.empty())
    throw std::logic_error(
        fmt::format("finish: {} run(s) have no part, e.g. {}", missing.size(), missing.front()));
  write_part(final_path_, [&](hid_t file) {
    merge_parts(file, plan, file_attributes, stack_by, [this](const std::string& name, bool ok) {
      return ok ? part_path(name) : failure_path(name);
    });
  });
  fs::remove_all(parts_dir_);
  ::close(lock_fd_);
  lock_fd_ = -1;
  finished_ = true;
}

void ResultsWriter::discard() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  std::error_code ignored;
  fs::remove_all(parts_dir_, ignored);
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
  finished_ = true;
}

void write_stacked_extract(const fs::path& results, const fs::path& out) {
  with_hdf5([&] {
    Handle src = open_file_readonly(results);
    if (H5Lexists(src.get(), "summary", H5P_DEFAULT) <= 0)
      throw InputError(fmt::format(
          "{}: no stacked arrays (/summary): they are written for experiments, not single runs",
          results.string()));
  });
  write_part(out, [&](hid_t file) {
    Handle src = open_file_readonly(results);
    AttributeCollector root = read_own_attributes(src.get());
    for (auto& [key, value] : root.values)
      if (key == "format") value = kStackedExtractFormat;
    root.values.emplace_back("extracted_from", results.string());
    write_attributes(file, root.values, root.numeric);
    for (const char* group : {"summary", "series"})
      if (H5Lexists(src.get(), group, H5P_DEFAULT) > 0) copy_run(src.get(), file, group, group);
  });
}

}  // namespace sim
