#pragma once
// Reads the HDF5 results files described in docs/output-format.md. Independent of the engine:
// it needs only HDF5, so any tool can link it. Not thread-safe (HDF5 keeps global state).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace analysis {

using Attributes = std::vector<std::pair<std::string, std::string>>;

// The attribute `key`, or nullptr.
const std::string* find_attribute(const Attributes& attrs, std::string_view key);
// A whole decimal integer (all of `text`), or nullopt.
std::optional<std::int64_t> parse_int(std::string_view text);
// A sweep's parameters are run attributes `parameter:<key>`, in sweep order.
inline constexpr std::string_view kParameterPrefix = "parameter:";

// Input the user can fix: a bad file, or an option naming something the file does not hold.
// Commands report it and exit with code 2.
class BadInput : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The results file is missing, unreadable, not HDF5, not a govsim results file, or damaged.
// what() starts with the file's path.
class FileError : public BadInput {
 public:
  using BadInput::BadInput;
};

struct RunInfo {
  std::string name;
  Attributes attributes;  // every run attribute, as text
  // From the attributes of the same names; when absent, parsed from run names such as
  // "whistle.s002.r003" (policy "whistle", sample 2, replicate 3).
  std::string policy;
  std::optional<std::int64_t> replicate;
  std::optional<std::int64_t> sample;
  std::string seed;  // empty when the run has no "seed" attribute
};

struct FailureInfo {
  std::string name;
  std::string message;
  Attributes attributes;
};

struct SummaryValue {
  std::string name;
  std::string units;
  std::string description;
  double value = 0.0;
};

struct DimensionData {
  std::string name;
  std::string units;
  std::string description;
  std::vector<double> values;       // numeric coordinates, or
  std::vector<std::string> labels;  // string labels
  std::size_t size() const { return labels.empty() ? values.size() : labels.size(); }
};

// Data are row-major over `dims` (the first dimension varies slowest).
struct VariableData {
  std::string name;
  std::string units;
  std::string description;
  std::vector<DimensionData> dims;
  std::vector<double> data;
};

class ResultsFile {
 public:
  // Throws FileError naming the file when it is missing, not HDF5, not a govsim results file,
  // or of a newer format_version than this reader knows.
  explicit ResultsFile(std::filesystem::path path);
  ~ResultsFile();
  ResultsFile(ResultsFile&& other) noexcept;
  ResultsFile& operator=(ResultsFile&&) = delete;
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Root attributes (experiment metadata), numbers rendered as text, in creation order.
  const Attributes& attributes() const { return attributes_; }
  // The root attribute `key`, or nullopt.
  std::optional<std::string> attribute(const std::string& key) const;
  int format_version() const { return format_version_; }
  // Successful runs in file order, and failed runs.
  const std::vector<RunInfo>& runs() const { return runs_; }
  const std::vector<FailureInfo>& failures() const { return failures_; }

  // The run's end-of-run scalars in creation order. Throws FileError for an unknown run.
  std::vector<SummaryValue> summary(const std::string& run) const;
  // Names of the run's variables (datasets that are not dimension scales).
  std::vector<std::string> variable_names(const std::string& run) const;
  // A variable with its dimensions. Throws FileError for an unknown run or variable.
  VariableData variable(const std::string& run, const std::string& name) const;
  // An experiment's summary scalar (or `parameter:<key>`) stacked over its runs, from /summary:
  // dimensions policy, sample (sweeps only) and replicate, NaN where a run failed. Throws
  // FileError when the file has no such group or variable.
  VariableData stacked_summary(const std::string& name) const;
  // A daily series (a run variable over `day` alone) stacked the same way, from /series:
  // dimensions as stacked_summary's, then day.
  VariableData stacked_series(const std::string& name) const;

 private:
  void check_format();
  void load_runs();
  void load_failures();
  void check_complete() const;
  std::int64_t open_run(const std::string& run) const;
  VariableData stacked(const std::string& group, const std::string& name) const;

  std::filesystem::path path_;
  std::int64_t file_id_ = -1;  // an hid_t; kept opaque so users need not include hdf5.h
  int format_version_ = 0;
  Attributes attributes_;
  std::vector<RunInfo> runs_;
  std::vector<FailureInfo> failures_;
};

}  // namespace analysis
