#pragma once
// Calibration files (`govsim calibrate`): a base scenario, the free parameters with their priors,
// the published figures the base must reproduce (targets) and those it must not be tuned to
// (held out, e.g. post-reform outcomes, reported side by side). Engine-level: the scenario is an
// opaque Document and outputs are read from a RunRecord by name.
//
//   calibration:
//     name: guangzhou-baseline
//     scenario: ../guangzhou.yaml          # the base, relative to this file
//     days: 120                            # optional overrides, as in experiments
//     population_scale: 0.02
//     seed: 1                              # ABC-SMC draws and model runs
//     measure_from_day: 30                 # series outputs are summed from this day on
//     population: 64                       # particles per generation
//     generations: 4                       # including the prior's
//     quantile: 0.5                        # next tolerance: this quantile of the distances
//     parameters:
//       - {key: "domains[*].unmeetable_share", low: 0.0, high: 0.3}
//       - {key: "domains[*].report_propensity", low: 0.5, high: 2, multiply: true}
//       - {key: grid.finds_per_worker_per_day, low: 0.1, high: 3, log: true}
//     targets:
//       - name: beijing-2019-resolution
//         output: resolution_rate_received  # a summary scalar, or {variable, label, per_days}
//         value: 0.531
//         tolerance: 0.03                   # met when |model - value| <= tolerance
//         source: "..."
//         year: 2019
//     held_out:
//       - {name: ..., policy: ../guangzhou-model.yaml, output: ..., value: ..., source: ...}
//
// `key` is a scenario key path; `[*]` stands for every element of the base's list. With
// `multiply: true` the drawn value multiplies each base value (which must be present) instead of
// replacing it. The distance of a run is the root mean square of (model - value) / tolerance.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/config_yaml.hpp"
#include "sim/errors.hpp"
#include "sim/results/record.hpp"

namespace sim {

struct CalibrationParameter {
  std::string key;
  double low = 0, high = 1;
  bool log_scale = false;
  bool multiply = false;
  SourceLoc loc;
};

// What a figure is compared with: a summary scalar, or the sum of a variable over days (from
// measure_from_day) for one label of its second dimension, per `per_days` days at population
// scale 1 (divided by the run's scale).
struct CalibrationOutput {
  std::string summary;
  std::string variable;
  std::string label;
  double per_days = 0;
  std::string describe() const;
};

struct CalibrationFigure {
  std::string name;
  CalibrationOutput output;
  double value = 0;
  double tolerance = 0;  // targets only
  std::string policy;    // held-out figures: an overlay file (relative to the calibration file)
  std::string source;
  std::string year;
  SourceLoc loc;
};

struct CalibrationSpec {
  std::filesystem::path file;
  std::string name;
  std::string text;
  std::filesystem::path base_file;
  config::Document base;
  std::optional<int> days;
  std::optional<double> population_scale;
  SourceLoc days_loc, population_scale_loc;
  std::uint64_t seed = 1;
  int measure_from_day = 0;
  std::size_t population = 64;
  int generations = 4;
  double quantile = 0.5;
  std::vector<CalibrationParameter> parameters;
  std::vector<CalibrationFigure> targets;
  std::vector<CalibrationFigure> held_out;
};

bool is_calibration_file(const std::filesystem::path& file);
// Reads and checks a calibration file; throws InputError with file, line and key path.
CalibrationSpec load_calibration(const std::filesystem::path& file);

// The base with the parameters set to `theta` (one value per parameter, in order).
config::Document with_parameters(const CalibrationSpec& spec, const config::Document& base,
                                 const std::vector<double>& theta);

// Whether a run has the output at all (a summary of that name, or the variable and label).
bool has_output(const CalibrationOutput& output, const RunRecord& record);
// The model's value of an output in a run; NaN when the run does not have it.
double observe(const CalibrationOutput& output, const RunRecord& record, double population_scale,
               int measure_from_day);

// Root mean square of (model - value) / tolerance over the targets.
double target_distance(const std::vector<CalibrationFigure>& targets,
                       const std::vector<double>& model);

}  // namespace sim
