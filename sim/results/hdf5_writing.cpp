// Writing a run record into an HDF5 group: attributes stored as numbers or text, dimension
// scales, label coordinates, variables (compact or chunked with checksums) and summary scalars.
#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include "sim/results/hdf5_detail.hpp"

namespace fs = std::filesystem;

namespace sim::detail {

std::mutex& hdf5_mutex() {
  static std::mutex m;
  return m;
}

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
                      const std::vector<std::string>& numeric) {
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

}  // namespace sim::detail
