#pragma once
// Internal to analysis/: reading govsim's HDF5 files with every size bounded before allocating,
// every string checked, and every failure an h5::Error that ResultsFile turns into FileError.
// Other code uses results_reader.hpp.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analysis/results_reader.hpp"
#include "h5/handle.hpp"

namespace analysis::hdf5_reading {

using h5::Handle;

// Runs `f` with HDF5's error printing off and turns low-level failures into FileError.
template <class F>
auto guarded(const std::filesystem::path& path, F&& f) {
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

// What one read may allocate (1 GiB). A damaged or crafted shape in a file is refused with a
// message instead of becoming a huge allocation; a real dataset is far smaller (a full-scale
// issue log of a year is about 0.1 GiB).
inline constexpr std::uint64_t kMaxReadBytes = std::uint64_t{1} << 30;

Handle open_group(hid_t loc, const std::string& name);
Handle open_dataset(hid_t loc, const std::string& name);
// Links of a group in creation order.
std::vector<std::string> link_names(hid_t group);
// The number of elements in `space`, refused beyond kMaxReadBytes of `element_bytes` each.
std::size_t bounded_count(hid_t space, std::size_t element_bytes, std::string_view what);
// An attribute as text (numbers in their canonical text); every attribute of an object.
std::string attribute_text(hid_t obj, const std::string& name);
Attributes all_attributes(hid_t obj);
// The attribute's text, or empty when the object has none of that name.
std::string optional_text(hid_t obj, const char* name);
// A dataset of strings: a label dimension or a label coordinate such as district_pinyin.
bool is_text(hid_t ds);
std::vector<double> read_doubles(hid_t ds);
// The dimension scale on `axis` of a variable (numbered 0..size-1 when it has none).
DimensionData read_dimension(hid_t var, unsigned axis, hsize_t size);
// A numeric variable with its dimensions; refuses text and shapes past the bound.
VariableData read_variable(hid_t group, const std::string& name);

}  // namespace analysis::hdf5_reading
