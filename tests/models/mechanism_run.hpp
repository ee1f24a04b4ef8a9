#pragma once
// What the mechanism tests share: a small synthetic city run to its outcomes, with common random
// numbers (the same seed in both arms of a comparison).
#include <cmath>
#include <map>
#include <string>

#include "models/governance_model.hpp"
#include "models/lifecycle.hpp"
#include "tests/support.hpp"

namespace test {

struct Outcome {
  std::map<std::string, double> summary;
  std::map<std::string, double> totals;  // whole-run sums of city_* series
  double cross_domain_resolution_h = 0;  // mean report-to-closure of solved multi-department issues
  sim::RunRecord rec;
  double s(const std::string& name) const { return summary.at(name); }
  double t(const std::string& name) const { return totals.at(name); }
};

// With `check_invariants`, the lifecycle's identities are checked every simulated day (slower).
inline Outcome run(const gov::Scenario& s, bool check_invariants = false) {
  gov::GovernanceModel model(s);
  gov::RunOptions options;
  options.check_invariants = check_invariants;
  Outcome o;
  o.rec = model.run(options);
  for (const auto& sc : o.rec.summary) o.summary[sc.name] = sc.value;
  for (const auto& v : o.rec.variables) {
    if (v.name.rfind("city_", 0) != 0 || v.dims.size() != 1) continue;
    o.totals[v.name.substr(5)] = series_total(o.rec, v.name);
  }
  double sum = 0, n = 0;
  for (const auto& r : model.world().ledger.issue_log) {
    if (r.parts >= 2 && r.state == static_cast<std::uint8_t>(gov::IssueState::ClosedTrue)) {
      sum += r.t_close - r.t_report;
      n += 1;
    }
  }
  o.cross_domain_resolution_h = n > 0 ? sum / n : NAN;
  return o;
}

// The small city with the full issue log, and the detection mix the mechanism tests' sizes were
// set for (the first calibration's grid finds), fixed so that refitting the baseline's grid finds
// does not move them.
inline gov::Scenario mechanism_base(int days = 40) {
  gov::Scenario s = small_city(days);
  s.run.issue_log = "full";
  s.grid.finds_per_worker_per_day = 0.34;
  return s;
}

}  // namespace test
