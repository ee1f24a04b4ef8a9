#pragma once
// Conclusions under uncertainty: `govsim compare` on an experiment whose sweep is `uncertainty`
// (each sample a draw of the uncertain parameters, every policy run on every draw). Per policy and
// primary metric: the effect over the draws with an interval that includes parameter uncertainty,
// the share of draws in which the policy beats the baseline, regret against the best policy of
// each draw (robust decision making), p-values adjusted over the family of policies x primary
// metrics, and, where the sign depends on the draw, the PRIM box of parameters in which it wins.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "analysis/prim.hpp"
#include "analysis/results_reader.hpp"
#include "analysis/statistics.hpp"

namespace analysis {

struct PrimaryMetric {
  std::string name;
  bool higher_is_better = true;
};

// "name:higher,name:lower" (the results-file attribute, and --primary's values one at a time).
// Throws BadInput.
std::vector<PrimaryMetric> parse_primary_metrics(const std::string& text);
// "holm" or "bh". Throws BadInput.
Adjustment parse_adjustment(const std::string& name);
std::string adjustment_name(Adjustment how);

// An uncertainty experiment reduced to what the analysis needs.
struct DrawTable {
  std::vector<std::string> policies;  // the baseline first
  std::vector<PrimaryMetric> metrics;
  std::vector<std::string> parameters;                // the drawn parameters, by key
  std::vector<std::vector<double>> parameter_values;  // [draw][parameter]
  // values[policy][metric][draw]: the mean over the draw's replicates (the replicates every
  // policy has, so that they pair).
  std::vector<std::vector<std::vector<double>>> values;
  std::size_t replicates = 0;  // per draw, the fewest any draw has
  std::vector<std::string> notes;
};

struct RobustnessOptions {
  Adjustment adjustment = Adjustment::kHolm;
  double alpha = 0.05;         // flag level of the adjusted p-values
  double level = 0.95;         // of the effect's interval
  double range = 0.90;         // central share of the draws' effects shown as their range
  double contested_low = 0.1;  // a policy whose wins share is within [low, high] gets a box
  double contested_high = 0.9;
  std::size_t min_draws_for_box = 10;
  PrimOptions prim;
};

struct PolicyMetricRow {
  std::string policy;
  std::size_t metric = 0;  // index into metrics
  bool baseline = false;
  double mean_value = kNaN;  // the policy's value, averaged over the draws
  // Against the baseline (not for the baseline itself): the mean over draws of the paired
  // per-draw effect, with its t interval across draws, and the draws' central range.
  Interval effect;
  double range_low = kNaN, range_high = kNaN;
  double wins_share = kNaN;  // draws in which it is strictly better than the baseline
  double p = kNaN, p_adjusted = kNaN;
  bool flagged = false;  // p_adjusted < alpha
  // Regret: per draw, the best policy's value minus this one's (in the better direction).
  double best_share = kNaN;  // draws in which this policy is best (ties count for each)
  double mean_regret = kNaN, max_regret = kNaN;
};

struct DiscoveryBox {
  std::string policy;
  std::size_t metric = 0;
  double wins_share = 0;
  PrimBox box;
};

struct Robustness {
  std::vector<std::string> header;
  std::vector<PrimaryMetric> metrics;
  std::vector<std::string> parameters;
  RobustnessOptions options;
  std::size_t draws = 0, comparisons = 0;
  std::vector<PolicyMetricRow> rows;  // by metric, then policy (baseline first)
  std::vector<DiscoveryBox> boxes;
  std::vector<std::string> notes;
};

// Needs at least two draws and two policies; throws BadInput otherwise.
Robustness analyse_draws(const DrawTable& table, const RobustnessOptions& options);

// Whether the file holds an uncertainty experiment (runs with sweep_method "uncertainty").
bool is_uncertainty_experiment(const ResultsFile& file);
// Reads the draws of `metrics` with `baseline` first. Throws BadInput for an unknown baseline or
// metric, or fewer than two complete draws.
DrawTable draw_table(const ResultsFile& file, const std::string& baseline,
                     const std::vector<PrimaryMetric>& metrics);

// table (fixed-width text), markdown or csv (one row per metric and policy, full precision).
void write_robustness(const Robustness& r, const std::string& format, std::ostream& out);

}  // namespace analysis
