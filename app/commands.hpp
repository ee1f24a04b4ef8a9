#pragma once
// The govsim subcommands. Each returns a process exit code (sim::kExit*) and throws typed errors
// (sim::InputError, sim::Interrupted) that main() turns into messages and exit codes.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace app {

struct RunArgs {
  std::string file;
  std::string output;  // empty: single scenarios print only; experiments go to results/NAME.h5
  int threads = 0;     // 0: all cores
  std::optional<int> days;
  std::optional<long long> seed;
  std::optional<double> scale;
  std::vector<std::string> settings;                         // --set KEY=VALUE
  std::optional<std::pair<std::size_t, std::size_t>> shard;  // --shard K/N: runs K-1, K-1+N, ...
  bool resume = false;
  bool overwrite = false;
  bool progress = true;
  bool serial_runs = false;
  std::vector<std::string> compare_metrics;  // printed after an experiment; empty = all
  std::string max_memory;                    // --max-memory; empty: 90 % of physical memory
};
int cmd_run(const RunArgs& args);
// On an MPI worker rank: makes the runs of the experiment rank 0 runs with the same command line
// (each run's resolved scenario arrives as YAML), until rank 0 says stop.
int serve_run_worker(const RunArgs& args);
int cmd_validate(const std::vector<std::string>& files);

struct CalibrateArgs {
  std::string file;
  std::string output;  // default results/NAME.h5
  int threads = 0;
  bool resume = false;
  bool overwrite = false;
  bool progress = true;
  bool evaluate = false;        // only report the base scenario against the figures
  std::optional<double> scale;  // override population.scale
  // Override the file's particles per generation and generations (a quick look).
  std::optional<std::size_t> population;
  std::optional<int> generations;
  std::string max_memory;  // as for run
};
int cmd_calibrate(const CalibrateArgs& args);
// On an MPI worker rank: simulates the proposals rank 0's calibration sends (as scenario YAML)
// and returns their observed figures and distance, until rank 0 says stop.
int serve_calibrate_worker(const CalibrateArgs& args);
// Throws InputError unless the calibration file and every scenario it implies are valid.
void check_calibration(const std::string& file);

struct InspectArgs {
  std::string file;
  std::string format = "table";  // table | json
  std::optional<double> scale;
};
int cmd_inspect_city(const InspectArgs& args);
int cmd_inspect_params();
int cmd_inspect_outputs();

struct CompareArgs {
  std::string file;
  std::string other;
  std::string baseline = "baseline";
  std::vector<std::string> metrics;
  std::string format = "table";
  std::vector<std::string> primary_metrics;
  std::string adjustment;
  bool all_metrics = false;
};
int cmd_compare(const CompareArgs& args);

struct SensitivityArgs {
  std::string file;
  std::string metric;            // empty: every summary metric
  std::string format = "table";  // table | csv
};
int cmd_sensitivity(const SensitivityArgs& args);

struct ExportArgs {
  std::string file;
  std::string output;  // empty: standard output (csv only)
  std::vector<std::string> metrics;
  std::string format = "csv";  // csv: tidy table; netcdf: the stacked arrays alone
};
int cmd_export(const ExportArgs& args);

struct ReportArgs {
  std::string file;
  std::string output;  // empty: FILE with .html
  std::string baseline = "baseline";
  std::vector<std::string> metrics;
  std::vector<std::string> series;  // empty: the report's default
  std::string map_variable = "district_open";
  std::string map_policy;
  std::string outlines;  // empty: beside the runs' districts file, for Guangzhou
};
int cmd_report(const ReportArgs& args);

struct MergeArgs {
  std::vector<std::string> files;
  std::string output;
  bool overwrite = false;
};
int cmd_merge(const MergeArgs& args);

}  // namespace app
