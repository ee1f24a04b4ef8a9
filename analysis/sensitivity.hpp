#pragma once
// Variance-based (Sobol') sensitivity analysis of a saltelli sweep (docs/experiments.md): how much
// of a summary metric's variance each swept parameter explains alone (first-order index S1) and
// with all its interactions (total index ST).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "analysis/results_reader.hpp"

namespace analysis {

struct SobolIndices {
  std::vector<std::string> parameters;
  std::vector<double> first_order, total;
  // Half-widths of the 95% bootstrap intervals (estimate +- half-width), NaN without bootstrap.
  std::vector<double> first_order_ci, total_ci;
  std::size_t base_samples = 0;  // N: the rows of A, B and each AB_i that were used
  // Second order S_ij (i < j in `second_order[i][j]`, NaN elsewhere) and their half-widths, when
  // the design has the BA_i blocks; empty otherwise.
  std::vector<std::vector<double>> second_order, second_order_ci;
};

// Sobol' indices from the model's outputs on a Saltelli design: y_a[j] = f(A_j), y_b[j] = f(B_j)
// and y_ab[i][j] = f(AB_i_j), AB_i being A with column i taken from B; names[i] names column i.
// First order: Saltelli et al. (2010), S_i = mean(f(B) (f(AB_i) - f(A))) / V.
// Total: Jansen (1999), ST_i = mean((f(A) - f(AB_i))^2) / (2 V).
// V is the variance of f over A and B together, and the outputs are centred on their mean first
// (it leaves the expectations alone and removes the variance a large mean adds to S_i). Intervals:
// `bootstrap` resamples of the N rows (a row keeps its A, B and AB_i together), drawn from
// `bootstrap_seed` so that they are reproducible; half-width 1.96 x the bootstrap standard
// deviation. The resampling treats the rows as independent, which overstates the error of a
// quasi-random design: the intervals are then conservative. The indices are NaN when the output
// does not vary. Throws std::invalid_argument when the sizes disagree, N < 2 or bootstrap < 0.
// With y_ba[i][j] = f(BA_i_j) (B with column i from A) also the second-order indices (Saltelli
// 2002): S_ij = mean(f(BA_i) f(AB_j) - f(A) f(B)) / V - S_i - S_j, on the centred outputs.
SobolIndices sobol_indices(const std::vector<double>& y_a, const std::vector<double>& y_b,
                           const std::vector<std::vector<double>>& y_ab,
                           const std::vector<std::string>& names, std::uint64_t bootstrap_seed,
                           int bootstrap = 200, const std::vector<std::vector<double>>& y_ba = {});

struct PolicySobol {
  std::string policy;
  std::size_t runs = 0;          // successful runs that went into the estimate
  std::size_t replicates = 0;    // most replicates of one design point, averaged
  std::size_t dropped_rows = 0;  // base rows left out: a run failed or the metric was not finite
  SobolIndices indices;
};

struct SensitivityResult {
  std::string metric;
  std::string units;
  std::string description;
  std::vector<PolicySobol> policies;  // in the file's order
  std::vector<std::string> notes;     // dropped rows, policies that could not be estimated
};

// The Sobol' indices of `metric` for each policy of a results file written by `govsim run` for a
// saltelli sweep. The runs must carry the attributes `sweep_method` (= saltelli),
// `saltelli_base_samples` (N), `sample` and `parameter:<key>` (in sweep order). Each design point
// is the mean of the metric over its replicates, not replicate 0 alone: simulation noise adds to
// V and so shrinks every index, and the mean of R replicates has 1/R of that noise (replicate r
// of every point shares its random numbers, so the noise also largely cancels in the differences
// f(AB_i) - f(A)). A base row j is used only when A_j, B_j and every AB_i_j have a finite value;
// a policy with fewer than two such rows is left out, with a note. Throws BadInput when the file
// is not a saltelli sweep (or its samples do not follow the design) or has no such metric (the
// message lists the available ones).
SensitivityResult sobol_from_file(const ResultsFile& file, const std::string& metric,
                                  std::uint64_t bootstrap_seed, int bootstrap = 200);

// Throws BadInput unless `format` is table or csv.
void check_sensitivity_format(const std::string& format);
// `format` is table or csv; throws BadInput otherwise.
void write_sensitivity(const std::vector<SensitivityResult>& results, const std::string& format,
                       std::ostream& out);

// `govsim sensitivity FILE [--metric M] [--format table|csv]`: the indices of `metric` (every
// summary metric when empty) for every policy, on `out`. Throws BadInput for a missing or foreign
// file, not a saltelli sweep, an unknown metric or format; the command reports it (exit code 2).
void write_sensitivity_report(const std::filesystem::path& file, const std::string& metric,
                              const std::string& format, std::ostream& out);

}  // namespace analysis
