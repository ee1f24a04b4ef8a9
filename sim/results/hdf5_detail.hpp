#pragma once
// Internal to sim/results: the HDF5 plumbing the results writer's files share. hdf5_writing.cpp
// writes records, part_records.cpp validates, copies and reads runs back, stacking.cpp merges
// parts and stacks runs, results_file.cpp keeps the parts durable. Other layers use
// results_file.hpp.
#include <hdf5.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "h5/handle.hpp"
#include "sim/errors.hpp"
#include "sim/results/record.hpp"
#include "sim/results/results_file.hpp"

namespace sim::detail {

using h5::check;
using h5::Handle;

// The HDF5 library keeps global state; every call of the results writer goes through this mutex
// so runs finishing on several threads can store their parts concurrently.
std::mutex& hdf5_mutex();

// A failed system call that the user can remedy (room, quota, permissions, the disk itself)
// is an OutputError; anything else is govsim's or HDF5's fault.
inline bool output_condition(int os_error) {
  return os_error == ENOSPC || os_error == EDQUOT || os_error == EROFS || os_error == EACCES ||
         os_error == EPERM || os_error == EIO || os_error == EFBIG;
}

// Every HDF5 call of the results writer runs inside `f`: serialised, without HDF5's own
// printing, and with failures reported as the errors results_file.hpp documents.
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

Handle property_list(hid_t cls);
Handle create_file(const std::filesystem::path& path);
Handle open_file_readonly(const std::filesystem::path& path);
Handle create_group(hid_t parent, const std::string& name);
void write_string_attribute(hid_t obj, const std::string& name, const std::string& value);
void write_int_attribute(hid_t obj, const std::string& name, std::int64_t value);
// `numeric`: the names, besides the engine's own, whose values are numbers.
void write_attributes(hid_t obj, const Attributes& attributes,
                      const std::vector<std::string>& numeric = {});
void write_units_and_long_name(hid_t obj, const std::string& unit, const std::string& text);

struct AttributeCollector {
  Attributes values;
  std::vector<std::string> numeric;  // the names stored as numbers
  std::exception_ptr error;
};
AttributeCollector read_own_attributes(hid_t obj);
Attributes own_attributes(hid_t obj);
void copy_attributes(hid_t src, hid_t dst);

// A record's dimensions, label coordinates and variables into `group`.
void write_record_contents(hid_t group, const RunRecord& record);
void write_run_group(hid_t parent, const std::string& name, const RunRecord& record);

// part_records.cpp: a bad record is rejected before any file is touched.
void validate_attributes(const Attributes& attributes, std::set<std::string> reserved);
void validate_record(const RunRecord& record);
void validate_run_name(const std::string& name);

// Copies the run group at `src_path` in `src_file` to `name` under `dst_parent`, re-attaching
// dimension scales in the copy.
void copy_run(hid_t src_file, hid_t dst_parent, const std::string& name,
              const std::string& src_path = "run");

// A run's attributes, summary scalars and daily series (its variables over `day` alone), read
// from its part while the merge has it open.
struct RunSummary {
  Attributes attributes;
  std::vector<Scalar> scalars;
  std::vector<double> days;      // the run's `day` coordinate
  std::vector<Variable> series;  // dims {"day"}
};
RunSummary read_run_summary(hid_t part_file);
std::string attribute_or_empty(const Attributes& attributes, const std::string& key);
bool all_integers(const std::vector<std::string>& values);
// Run attributes that name a sampled parameter: `parameter:<scenario key>`.
inline constexpr std::string_view kParameterPrefix = "parameter:";

// stacking.cpp: the final file from the parts, in run order.
struct MergePlan {
  std::vector<std::string> runs;
  std::vector<std::string> failures;
};
void merge_parts(hid_t file_id, const MergePlan& plan, const Attributes& file_attributes,
                 const std::vector<std::string>& stack_by,
                 const std::function<std::filesystem::path(const std::string&, bool)>& part_of);

// results_file.cpp: durable file operations.
void durable_rename(const std::filesystem::path& tmp, const std::filesystem::path& dest);
std::filesystem::path with_suffix(const std::filesystem::path& path, std::string_view suffix);

// Creates "<dest>.tmp", fills it with write(file), closes it (checking the flush) and renames
// it to `dest`; a failure leaves neither file behind.
template <class Write>
void write_part(const std::filesystem::path& dest, Write&& write) {
  const std::filesystem::path tmp = with_suffix(dest, ".tmp");
  try {
    with_hdf5([&] {
      Handle file = create_file(tmp);
      write(file.get());
      file.close("writing " + tmp.string());
    });
    durable_rename(tmp, dest);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
}

}  // namespace sim::detail
