#pragma once
// Experiment files: a base scenario, named policies (overlays on the scenario), replicates and an
// optional parameter sweep, expanded into a flat list of runs. Engine-level: the scenario is an
// opaque Document here; the model reads and validates it.
//
//   experiment:
//     name: guangzhou-experiment
//     scenario: guangzhou.yaml          # required, relative to this file
//     replicates: 5                     # >= 1
//     seed: 20261129                    # master seed, a non-negative integer
//     days: 60                          # optional override, applied by the model
//     population_scale: 0.01            # optional override, applied by the model
//     policies:                         # at least one, in order
//       baseline: {}                    # an inline overlay
//       whistle: policies/whistle.yaml  # an overlay file
//       both: [policies/a.yaml, {x: 1}] # overlays merged in order
//
// An overlay file contributes only its own keys. If it has a top-level `extends:` (so that it
// also runs standalone), that must name the experiment's base scenario file, and the overlay is
// applied without its `extends` chain: an overlay cannot bring in another base and silently undo
// what the experiment's base changed.
//     sweep:                            # optional
//       method: grid                    # grid | lhs | saltelli | morris | uncertainty | design
//       samples: 8                      # lhs, uncertainty: the points; saltelli: N, the base
//                                       #   samples; morris: r, the trajectories
//       levels: 4                       # morris only: the grid of each range (even, 2-100)
//       file: design.csv                # design only: one column per key path, a row per point
//       parameters:
//         hotline.call_takers: [100, 200, 300]  # grid: the values; otherwise [low, high]
//       posterior:                      # uncertainty only, optional: a calibration's posterior
//         calibration: targets/guangzhou-baseline.yaml
//         sample: targets/guangzhou-baseline-posterior.csv
//     primary_metrics:                  # optional: the metrics conclusions are drawn on, and
//       resolution_rate: higher         #   which way is better (higher | lower)
//     multiple_comparisons: holm        # holm | bh: how `compare` adjusts their p-values
//
// An uncertainty sweep draws each point's assumptions from their ranges (a Latin hypercube, as
// lhs) and, with `posterior`, a row of the posterior sample (systematic resampling by weight, in
// shuffled order), so that every policy is compared on the same plausible worlds. It needs
// primary metrics: `compare` reports, per policy and primary metric, the effect over the draws,
// the share of draws it wins, regret, adjusted flags, and the parameter box where a policy whose
// sign depends on the draw wins.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/config/config_yaml.hpp"
#include "sim/errors.hpp"
#include "sim/experiment/posterior_sample.hpp"

namespace sim {

struct PolicySpec {
  std::string name;
  config::Document overlay;  // nodes keep the file and line they came from
};

struct PrimaryMetric {
  std::string name;  // a summary scalar of the model's runs
  bool higher_is_better = true;
  SourceLoc loc;
};

struct SweepParameter {
  std::string key_path;        // into the scenario, e.g. `hotline.call_takers`
  std::vector<double> values;  // grid: the values; else the distribution's numbers (below)
  SourceLoc loc;               // of the values in the experiment file
  // How lhs, saltelli and uncertainty sweeps draw the parameter, written `key: [low, high]`
  // (uniform) or `key: {distribution: D, ...}`: uniform {low, high}, normal {mean, sd},
  // triangular {low, mode, high}, discrete {the values} with `weights` (equal when absent).
  std::string distribution = "uniform";
  std::vector<double> weights;

  // The value at cumulative probability u in [0, 1) (the inverse distribution function).
  double quantile(double u) const;
  // "uniform [0, 1]", "normal(mean 5, sd 2)", ...: how the results file records the draw.
  std::string describe() const;
};

struct ExperimentSpec {
  std::filesystem::path file;
  std::string name;  // defaults to the file's stem; names the results file, so only letters,
                     // digits, '-' and '_' when given
  std::string text;  // the experiment file as written, for the results file
  std::filesystem::path base_file;  // the base scenario file, as named (relative to the cwd)
  config::Document base;
  std::vector<PolicySpec> policies;
  int replicates = 1;
  std::uint64_t seed = 1;
  std::optional<int> days;  // applied by the model; the locations are for its range checks
  std::optional<double> population_scale;
  SourceLoc days_loc;
  SourceLoc population_scale_loc;
  // none | grid | lhs | saltelli | morris | uncertainty | design
  std::string sweep_method = "none";
  int lhs_samples = 0;  // lhs and uncertainty: the points
  // N, the base samples of a saltelli design: it has N(k+2) points for k parameters. The analysis
  // needs N (and the parameter order) to rebuild the design's blocks, so `govsim run` records it.
  int saltelli_samples = 0;
  // With `second_order: true`, k more blocks BA_i (B with column i from A): N(2k + 2) points, and
  // the second-order indices S_ij too.
  bool saltelli_second_order = false;
  // A morris design: r trajectories of k + 1 points on a grid of p levels per range.
  int morris_trajectories = 0;
  int morris_levels = 4;
  // A user's design: the points, one row per sample, columns in `sweep` order.
  std::filesystem::path design_file;
  std::vector<std::vector<double>> design_rows;
  std::vector<SweepParameter> sweep;
  std::optional<PosteriorSample> posterior;  // uncertainty sweeps only
  std::vector<PrimaryMetric> primary_metrics;
  std::string multiple_comparisons = "holm";  // holm | bh
};

// Whether the file's top level has the key `experiment`. Throws InputError if it cannot be read.
bool is_experiment_file(const std::filesystem::path& file);

// Reads and validates an experiment file, its base scenario and overlay files. Throws InputError
// with file, line, column and key path. The overlays' content is checked later, by whoever reads
// the merged scenario.
ExperimentSpec load_experiment(const std::filesystem::path& file);

using ParameterPoint = std::vector<std::pair<std::string, double>>;

// The sweep's points, in sample order; one empty point without a sweep. An uncertainty sweep's
// points hold the swept parameters, then the posterior row's values under the calibration's keys
// (`expand` sets those as the calibration file says).
// grid: the Cartesian product, the first parameter varying slowest.
// lhs: Latin hypercube of `lhs_samples` points. Each parameter's range is cut into N equal
// strata and each stratum is used by exactly one sample; the strata are matched across
// parameters by random permutations, and the point inside a stratum is a uniform draw (not its
// midpoint). Both come from a splitmix64 stream seeded by the master seed, so the design is the
// same on every platform.
// saltelli: the design of Saltelli (2010) for Sobol' indices, N = `saltelli_samples` base points
// and k parameters. Two N x k matrices A and B, then for each parameter i the matrix AB_i: A with
// column i taken from B. The points are all of A, all of B, then AB_1 .. AB_k, so sample
// s = b * N + j is row j of block b (0: A, 1: B, 1 + i: AB_i). The rows of [A B] are the first N
// points of a 2k-dimensional Sobol' sequence (Joe-Kuo direction numbers) randomised by a linear
// matrix scramble and a digital shift drawn from the master seed (as scipy.stats.qmc.Sobol does):
// quasi-random points estimate the indices with several times less error than independent
// uniform draws for the same N, best when N is a power of two. With second order, the blocks
// BA_1 .. BA_k (B with column i from A) follow: sample s = b * N + j, b = 2 + k + i for BA_i. The
// scramble is integer arithmetic, so the design is the same on every platform, and a larger N keeps
// the first rows. morris: the elementary-effects design of Morris (1991) with r =
// `morris_trajectories` trajectories on a grid of p = `morris_levels` levels per range (0, 1/(p-1),
// ..., 1 of it). Each trajectory starts at a random grid point and moves one parameter at a time,
// in a random order, by delta = p / (2(p - 1)) of its range: up from the lower half of the grid,
// down from the upper half, so every step joins level g and g + p/2. Sample s = t(k + 1) + m is
// step m of trajectory t. Drawn from its own splitmix64 stream of the master seed. design: the rows
// of the user's CSV file, in file order.
std::vector<ParameterPoint> sweep_points(const ExperimentSpec& spec);

// The most parameters a saltelli sweep may have (the Sobol' table has 2 x this many dimensions).
inline constexpr std::size_t kMaxSaltelliParameters = 64;

struct RunPlan {
  std::size_t index = 0;
  std::string policy;
  int sample = 0;  // 0 without a sweep
  int replicate = 0;
  std::uint64_t seed = 0;
  ParameterPoint parameters;
  config::Document scenario;  // base, then the policy's overlays, then the sweep's values

  // "policy.r003", or "policy.s002.r003" when there is a sweep.
  std::string name() const;
};

// Every run of the experiment, policy-major, then sample, then replicate.
std::vector<RunPlan> expand(const ExperimentSpec& spec);

// The seed of a replicate. It does not depend on the policy or the sample, so every policy and
// sample of a replicate sees the same random world (common random numbers).
std::uint64_t replicate_seed(std::uint64_t master, int replicate);

}  // namespace sim
