#pragma once
// `govsim export`: a results file as one tidy table, one row per run and summary metric, the
// shape pandas, R and BehaviorSpace's table output use. Reads the per-run groups, so it works on
// every format version.
#include <iosfwd>
#include <string>
#include <vector>

#include "analysis/results_reader.hpp"

namespace analysis {

struct ExportOptions {
  std::vector<std::string> metrics;  // empty: every summary metric
};

// Columns: run, policy, sample, replicate, seed, status (ok | failed), one `parameter:KEY` column
// per swept parameter, metric, value, unit; rows in the file's run order. A failed run gets one
// row with status `failed` and empty metric, value and unit (its message stays in the file), so a
// table never hides a failure. Throws BadInput for a metric no run has.
void write_tidy_csv(const ResultsFile& file, const ExportOptions& options, std::ostream& out);

}  // namespace analysis
