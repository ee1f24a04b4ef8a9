#pragma once
// A calibration's posterior sample as a data file, so that an experiment can draw its parameter
// sets from what the calibration left uncertain. The CSV has a `weight` column and one column
// per parameter of the calibration file, named by its key; the calibration file says how each
// value is set into a scenario (`[*]` keys, multipliers), so the two are read together.
//
//   weight,domains[*].unmeetable_share,grid.finds_per_worker_per_day
//   0.0104,0.26,0.31
#include <cstddef>
#include <filesystem>
#include <vector>

#include "sim/errors.hpp"
#include "sim/experiment/calibration_spec.hpp"

namespace sim {

struct PosteriorSample {
  CalibrationSpec calibration;
  std::filesystem::path file;
  std::vector<double> weights;            // positive, summing to 1
  std::vector<std::vector<double>> rows;  // [row][parameter], in the calibration's order
};

// Throws InputError naming the file, line and column: a missing or extra parameter column, a
// value outside the parameter's prior range, a negative or all-zero weight.
PosteriorSample load_posterior_sample(const std::filesystem::path& calibration_file,
                                      const std::filesystem::path& csv);

// `n` row indices drawn in proportion to the weights by systematic resampling (one uniform
// `offset` in [0, 1)), which keeps every row's count within one of n x its weight.
std::vector<std::size_t> systematic_resample(const std::vector<double>& weights, std::size_t n,
                                             double offset);

}  // namespace sim
