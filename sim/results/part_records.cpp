// Runs as parts hold them: a record checked before anything is written, a run group copied
// between files with its dimension scales re-attached, and a part's summaries read back for
// stacking.
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
              const std::string& src_path) {
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

}  // namespace sim::detail
