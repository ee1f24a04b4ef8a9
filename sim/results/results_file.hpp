#pragma once
// One HDF5 results file per experiment, written so that a reader never sees a half-written file
// and an interrupted experiment can resume. docs/output-format.md describes the layout.
//
// Each finished run is first stored as a small "part" file in "<final>.parts/" (written under a
// temporary name, fsync'd and renamed, so a part exists whole or not at all). finish() merges
// the parts into "<final>.tmp", fsyncs it and renames it to the final name, then deletes the
// parts. A lock file in the parts directory keeps two processes from writing one experiment.
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/results/record.hpp"

namespace sim {

using Attributes = std::vector<std::pair<std::string, std::string>>;

// Version of the layout in docs/output-format.md; stored as the root attribute
// `format_version` and bumped on any change a reader could notice.
inline constexpr int kResultsFormatVersion = 1;

class ResultsWriter {
 public:
  // resume=false: throws InputError if the final file exists (unless overwrite) and clears any
  // stale parts. resume=true: keeps the parts of runs finished earlier; throws InputError if the
  // final file exists (the experiment is complete) unless overwrite. With overwrite, an existing
  // final file is replaced only when finish() succeeds. Throws InputError if another process
  // holds the lock.
  ResultsWriter(std::filesystem::path final_path, bool resume, bool overwrite);
  ~ResultsWriter();
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  // Throws InputError unless `run_name` is usable as a file and group name: letters, digits,
  // '.', '_' and '-', not starting with '.'.
  static void check_run_name(const std::string& run_name);

  const std::filesystem::path& final_path() const { return final_path_; }
  const std::filesystem::path& parts_dir() const { return parts_dir_; }

  // True when a successful part exists for the run. Failed runs are not "had": a resumed
  // experiment retries them.
  bool has_run(const std::string& run_name) const;
  // The run attributes stored in a finished run's part (for checking, on resume, that the
  // experiment has not changed). Requires has_run(run_name).
  Attributes stored_attributes(const std::string& run_name) const;

  // Stores a finished run as a part; replaces an earlier failure record of the same run.
  // write_run, record_failure and finish throw std::logic_error after finish().
  // Thread-safe. Throws std::invalid_argument for an inconsistent record (unknown dimension,
  // data size not matching the dimensions, duplicate names), OutputError when the system refuses
  // the write (no space, quota, read-only, I/O error; nothing half-written is left) and
  // std::runtime_error on other failures.
  void write_run(const std::string& run_name, const RunRecord& record);
  // Stores the run group /runs/<run_name> of a finished results file as a part, as it is (for
  // merging the shards of an experiment). Throws std::runtime_error on I/O errors.
  void import_run(const std::filesystem::path& results_file, const std::string& run_name);
  // Stores a failed run's message and attributes as a part. Thread-safe.
  void record_failure(const std::string& run_name, const std::string& message,
                      const Attributes& run_attributes);

  // Merges the parts of `run_order` (each must have a success or a failure part) into the final
  // file and removes the parts directory. `file_attributes` become root attributes; the names
  // `format`, `format_version`, `runs` and `failed_runs` are reserved. With `stack_by` (run
  // attribute names, e.g. policy, sample, replicate), the group /summary also holds every run's
  // summary scalars and `parameter:` attributes as arrays over those attributes' values (NaN
  // where no run is), so that one read gives the whole experiment.
  void finish(const Attributes& file_attributes, const std::vector<std::string>& run_order,
              const std::vector<std::string>& stack_by = {});
  // Gives up: removes the parts directory and releases the lock, leaving no trace (for work that
  // cannot be resumed, such as a single interrupted run). The writer is finished afterwards.
  void discard();

 private:
  std::filesystem::path part_path(const std::string& run_name) const;
  std::filesystem::path failure_path(const std::string& run_name) const;
  void scan_parts();
  void check_not_finished() const;

  std::filesystem::path final_path_;
  std::filesystem::path parts_dir_;
  int lock_fd_ = -1;
  bool finished_ = false;
  mutable std::mutex mutex_;
  std::set<std::string> done_;
};

// `format` of a file holding only an experiment's stacked arrays.
inline constexpr const char* kStackedExtractFormat = "govsim-stacked-results";

// Writes `out` (atomically) with the root attributes of the experiment file `results` (`format`
// set to kStackedExtractFormat, plus `extracted_from`) and copies of its /summary and /series,
// nothing else. netCDF-C reads the metadata of every group when it opens a file, so xarray opens
// /summary of a 300-run experiment in seconds but this extract in a fraction of one. Throws
// InputError when `results` has no /summary, OutputError when the system refuses the write.
void write_stacked_extract(const std::filesystem::path& results, const std::filesystem::path& out);

}  // namespace sim
