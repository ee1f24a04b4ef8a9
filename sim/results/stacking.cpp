// Merging the parts into the final file, stacking every run's summaries and daily series into
// arrays over policy, sample and replicate, and the netCDF extract of those arrays.
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

namespace sim {
namespace detail {
namespace {

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

}  // namespace

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

}  // namespace detail

using namespace detail;  // NOLINT(google-build-using-namespace): the file's own plumbing

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
