#pragma once
// The Morris method (elementary effects) for a sweep with method: morris: per parameter, the mean
// of its elementary effects mu, the mean of their absolute values mu* (its overall influence,
// Campolongo et al. 2007) and their standard deviation sigma (non-linearity or interactions).
// Cheap screening: r(k + 1) runs against Sobol's N(k + 2), no variance shares.
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "analysis/results_reader.hpp"

namespace analysis {

// Effects in the output's units per whole range of the parameter: the output's change over a
// step of delta = p / (2(p - 1)) of the range, divided by delta.
struct MorrisIndices {
  std::vector<std::string> parameters;
  std::vector<double> mu, mu_star, sigma;  // sigma NaN with fewer than 2 effects
  std::vector<std::size_t> effects;        // elementary effects used
};

// `values[s][i]`: parameter i at sample s of `trajectories` trajectories of k + 1 samples each,
// trajectory-major; `y[s]`: the output there (a step touching a NaN is skipped). Every step must
// change exactly one parameter (the design); throws BadInput naming the step otherwise.
MorrisIndices morris_indices(const std::vector<std::vector<double>>& values,
                             const std::vector<double>& y, std::size_t trajectories, int levels,
                             const std::vector<std::string>& names);

struct PolicyMorris {
  std::string policy;
  MorrisIndices indices;
};

struct MorrisResult {
  std::string metric, units, description;
  std::vector<PolicyMorris> policies;
};

// Each design point is the mean of the metric over its replicates. Throws BadInput when the file
// is not a morris sweep or has no such metric.
MorrisResult morris_from_file(const ResultsFile& file, const std::string& metric);

// `govsim sensitivity` on a morris sweep: every metric (or `metric`), as table or csv.
void write_morris_report(const ResultsFile& file, const std::string& metric,
                         const std::string& format, std::ostream& out);

}  // namespace analysis
