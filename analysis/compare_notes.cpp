// The notes under `govsim compare`'s table (see compare_notes.hpp).
#include "analysis/compare_notes.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "analysis/text_output.hpp"

namespace analysis::compare_notes {

void UndefinedRuns::add(const std::string& metric, const std::string& label, std::size_t undefined,
                        std::size_t defined) {
  if (undefined == 0) return;
  if (!where_.count(metric)) order_.push_back(metric);
  where_[metric].push_back(fmt::format("{} {} of {}{}", label, undefined, undefined + defined,
                                       defined == 0 ? " (no row)" : ""));
}

void UndefinedRuns::note(Comparison& c) const {
  for (const auto& metric : order_) {
    c.notes.push_back(fmt::format(
        "{} is undefined (NaN: e.g. a time averaged over no events) in some runs, left out of "
        "its rows: {}",
        metric, comma_list(where_.at(metric))));
  }
}

void note_unpaired(Comparison& c, std::set<std::string>& noted, const ComparisonRow& row) {
  if (!row.difference || row.difference->paired) return;
  std::string note = fmt::format("{} vs {}: unpaired (Welch): {}", row.group.label,
                                 row.difference->reference, row.difference->why_unpaired);
  if (noted.insert(note).second) c.notes.push_back(std::move(note));
}

void note_failures(Comparison& c, const ResultsFile& file) {
  const auto& failures = file.failures();
  if (failures.empty()) return;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < failures.size() && i < 5; ++i) names.push_back(failures[i].name);
  c.notes.push_back(fmt::format("{}: {} failed run(s) not included: {}{} (see /failures)",
                                file.path().string(), failures.size(), comma_list(names),
                                failures.size() > names.size() ? ", ..." : ""));
}

// A note for each policy whose watched stock still grows at the end of its runs.
void note_transients(Comparison& c, const ResultsFile& file, const CompareOptions& options) {
  for (const std::string& series : options.stock_series) {
    std::vector<std::string> order;
    std::map<std::string, std::pair<double, double>> growth;  // policy -> (sum, runs)
    for (const RunInfo& r : file.runs()) {
      const auto names = file.variable_names(r.name);
      if (std::find(names.begin(), names.end(), series) == names.end()) continue;
      const double g = late_growth_per_day(file.variable(r.name, series).data);
      if (std::isnan(g)) continue;
      if (!growth.count(r.policy)) order.push_back(r.policy);
      growth[r.policy].first += g;
      growth[r.policy].second += 1;
    }
    for (const auto& policy : order) {
      const double mean = growth[policy].first / growth[policy].second;
      if (mean > options.growth_warning_per_day) {
        c.notes.push_back(fmt::format(
            "{}: {} still grows by {:.2f} % a day over the last third of its runs; its "
            "end-of-run numbers are read off a transient (run longer to see where it settles)",
            policy, series, 100.0 * mean));
      }
    }
  }
}

}  // namespace analysis::compare_notes
