#pragma once
// `govsim report`: one self-contained HTML page (inline SVG, no scripts, nothing fetched) of an
// experiment: its provenance, the paired effects of the primary metrics as a forest plot, daily
// series by policy with their spread over replicates, a map of a district variable, and the
// Sobol' indices when the file holds a Saltelli sweep.
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "analysis/results_reader.hpp"

namespace analysis {

// A district's boundary in longitude/latitude, matched to results by name.
struct DistrictOutline {
  std::string name;   // as the results name districts
  std::string label;  // as the map names them (romanised: no CJK font needed)
  std::vector<std::vector<std::pair<double, double>>> rings;
};

struct ReportOptions {
  std::string baseline = "baseline";
  // Forest-plot (and Sobol') metrics; empty: the file's primary metrics, else a default set.
  std::vector<std::string> metrics;
  std::vector<std::string> series = {"city_open", "city_resolved", "city_reported"};
  std::string map_variable = "district_open";  // a run variable over (day, district)
  std::string map_policy;                      // empty: the baseline
  std::vector<DistrictOutline> outlines;       // empty: no map, and the page says why
};

// Throws BadInput for an unknown baseline, metric, series or map variable (naming what the file
// has) or a file without successful runs.
void write_report(const ResultsFile& file, const ReportOptions& options, std::ostream& out);

}  // namespace analysis
