#pragma once
// Internal to analysis/: the notes `govsim compare` prints under its table (runs where a metric
// is undefined, unpaired comparisons, failed runs, stocks still growing), written by
// compare_notes.cpp for compare.cpp.
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/results_reader.hpp"

namespace analysis::compare_notes {

// Runs where a metric is undefined are left out of its statistics; one note per metric says
// where.
class UndefinedRuns {
 public:
  void add(const std::string& metric, const std::string& label, std::size_t undefined,
           std::size_t defined);
  void note(Comparison& c) const;

 private:
  std::vector<std::string> order_;
  std::map<std::string, std::vector<std::string>> where_;
};

// One note per pair compared without pairing (Welch), with the reason.
void note_unpaired(Comparison& c, std::set<std::string>& noted, const ComparisonRow& row);
// Failed runs of `file`, named (the first five).
void note_failures(Comparison& c, const ResultsFile& file);
// A note for each policy whose watched stock still grows at the end of its runs.
void note_transients(Comparison& c, const ResultsFile& file, const CompareOptions& options);

}  // namespace analysis::compare_notes
