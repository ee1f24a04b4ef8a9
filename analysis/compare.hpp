#pragma once
// `govsim compare`: per policy and metric, the mean over replicates with its 95% CI and the
// difference from the baseline, paired by replicate (policies share random numbers, so pairing
// cancels the common noise), with the unpaired Welch interval shown for contrast.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "analysis/results_reader.hpp"
#include "analysis/robustness.hpp"
#include "analysis/statistics.hpp"

namespace analysis {

// Every interval of a comparison is a 95 % interval; a primary metric is flagged when its adjusted
// p-value is below kAlpha.
inline constexpr double kLevel = 0.95;
inline constexpr double kAlpha = 0.05;

struct CompareOptions {
  std::string baseline = "baseline";
  std::vector<std::string> metrics;  // summary scalar names; empty = all
  std::string format = "table";      // table | csv | markdown
  // When set, compares policy P of `file` (A) with policy P of this file (B) instead of
  // comparing policies with the baseline.
  std::optional<std::filesystem::path> other_file;
  // Stock series (one value per day) that should have levelled off by the end of a run: a
  // policy whose runs still grow by more than `growth_warning_per_day` of their level a day over
  // the last third of the run gets a note that its end-of-run numbers are read off a transient.
  std::vector<std::string> stock_series;
  double growth_warning_per_day = 0.002;
  // The metrics conclusions are drawn on, "name:higher" or "name:lower"; empty = those the
  // experiment declared (the file's `primary_metrics` attribute). Their p-values are adjusted for
  // multiple comparisons over policies x primary metrics: `adjustment` is holm or bh, empty =
  // the experiment's choice, else holm. An uncertainty experiment is analysed over its draws
  // (analysis/robustness.hpp) and needs them.
  std::vector<std::string> primary_metrics;
  std::string adjustment;
  // With primary metrics and no `metrics`, only the primary metrics are compared unless this is
  // set (`--all`): fifty tables per policy scroll past unread.
  bool all_metrics = false;
};

// Mean over a policy's runs of the relative daily growth of a stock series over the last third
// of each run: the least-squares slope divided by the mean level. NaN without such series.
double late_growth_per_day(const std::vector<double>& series);

// One policy's runs for one metric (within one sample of a sampled design).
struct GroupSummary {
  std::string label;                     // "whistle", "whistle.s002", or "whistle [B]"
  std::vector<std::int64_t> replicates;  // ascending
  std::vector<double> values;            // values[i] is from replicate replicates[i]
  Interval mean;                         // no interval when there is one replicate
};

struct Difference {
  std::string reference;       // label of the group compared against
  bool paired = false;         // by replicate; otherwise unpaired (Welch)
  std::string why_unpaired;    // empty when paired
  Interval diff;               // group - reference: the paired interval when paired, else Welch
  Interval welch;              // the unpaired interval, always, to show what pairing bought
  double relative_pct = kNaN;  // diff / mean of the reference runs used, in percent
  double p = kNaN;             // two-sided, of a zero difference; primary metrics only
  double p_adjusted = kNaN;    // over the family of policies x primary metrics

  bool significant() const { return diff.excludes(0.0); }
  // Welch width over paired width; NaN when unpaired or either interval is missing.
  double width_ratio() const;
};

struct ComparisonRow {
  std::string metric;
  std::string units;
  std::string description;
  GroupSummary group;
  std::optional<Difference> difference;  // absent for the reference group itself
};

struct Comparison {
  std::vector<std::string> header;           // what was compared with what
  std::vector<std::string> primary_metrics;  // whose rows carry adjusted p-values
  std::vector<ComparisonRow> rows;           // grouped by metric
  std::vector<std::string> notes;            // unpaired rows, missing groups, failed runs
};

// Policies of one file against `options.baseline`. Throws BadInput for an unknown baseline or
// metric (the message lists the available ones) or a file without successful runs.
Comparison compare_policies(const ResultsFile& file, const CompareOptions& options);
// Policy P of `a` against policy P of `b` (diff = B - A), paired by replicate only where the
// replicates' seeds match.
Comparison compare_files(const ResultsFile& a, const ResultsFile& b, const CompareOptions& options);
// An uncertainty experiment's policies over its draws, on the primary metrics of `options` or of
// the file. Throws BadInput when there are none, or for an unknown baseline or metric.
Robustness analyse_uncertainty(const ResultsFile& file, const CompareOptions& options);
// `format` is table, csv or markdown; throws BadInput otherwise.
void write_comparison(const Comparison& comparison, const std::string& format, std::ostream& out);

// `govsim compare`: the comparison of a results file (or two) on `out`, as `options.format`
// says; an uncertainty experiment's analysis over its draws. Throws BadInput for a missing or
// foreign file, an unknown baseline, metric or format; the command reports it (exit code 2).
void write_compare_report(const std::filesystem::path& file, const CompareOptions& options,
                          std::ostream& out);

}  // namespace analysis
