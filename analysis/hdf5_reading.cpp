// Reading govsim's HDF5 files: bounded sizes, checked strings, dimension scales checked before
// libhdf5_hl sees them (see hdf5_reading.hpp).
#include "analysis/hdf5_reading.hpp"

#include "analysis/text_output.hpp"

#include <hdf5_hl.h>

#include <charconv>
#include <exception>

namespace analysis::hdf5_reading {
namespace {

using h5::check;
using h5::fail;

}  // namespace

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
      return comma_list(read_strings(attr.get(), type.get(), space.get(), true));
    case H5T_INTEGER: {
      std::vector<long long> v(n);
      check(H5Aread(attr.get(), H5T_NATIVE_LLONG, v.data()), "reading attribute " + name);
      for (long long x : v) parts.push_back(std::to_string(x));
      return comma_list(parts);
    }
    case H5T_FLOAT: {
      std::vector<double> v(n);
      check(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, v.data()), "reading attribute " + name);
      for (double x : v) parts.push_back(fmt::format("{}", x));
      return comma_list(parts);
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

}  // namespace analysis::hdf5_reading
