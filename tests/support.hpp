#pragma once
// Shared by the test files: paths into the source tree and small scenarios.
#include <filesystem>
#include <string>

#include "models/scenario/scenario.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "sim/results/record.hpp"

namespace test {

inline std::filesystem::path source_dir() {
  return GOVSIM_SOURCE_DIR;
}

inline gov::Scenario load(const std::string& relative) {
  return gov::load_scenario_file(source_dir() / relative);
}

// The synthetic city on the Guangzhou baseline's rates, shortened for tests.
inline gov::Scenario small_city(int days = 20) {
  gov::Scenario s = load("scenarios/synthetic-small.yaml");
  s.run.days = days;
  s.run.warmup_days = days / 4;
  return s;
}

// Whole-run sum of a variable (NaN days count as 0); 0 when the record has no such variable.
inline double series_total(const sim::RunRecord& rec, const std::string& name) {
  double t = 0;
  for (const auto& v : rec.variables) {
    if (v.name != name) continue;
    for (double x : v.data) t += x == x ? x : 0.0;
  }
  return t;
}

}  // namespace test
