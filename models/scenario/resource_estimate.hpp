#pragma once
// What a run will need in memory, estimated from its frozen scenario before anything is built,
// so that a city too large for the machine is refused with the keys that make it large instead
// of ending in std::bad_alloc hours into an experiment.
#include <cstdint>
#include <string>

#include "models/scenario/scenario.hpp"

namespace gov {

struct ResourceEstimate {
  double residents = 0;
  double setup_bytes = 0;  // a starting population (city and residents), as built or cached
  double run_bytes = 0;    // one run in flight: its copy of the population and its issues
  std::string drivers;     // the keys that set the size, with their values
  // One run's group in a results file: a lower bound, so that a disk refused for it is surely
  // too small. Measured (deflated): about 100 KiB of structure and summaries, 1.5 KiB a day of
  // series whatever the city's size, and 30 bytes per logged issue.
  double results_bytes = 0;
  std::string results_drivers;
};

// Measured on the full city (docs/performance.md): about 12 bytes per resident for 60 days and
// 23.5 for 365 (the issue store grows with the days), hence 10 + 0.04 per day; a guard, not a
// budget. A synthetic city is sized from its settings without building it; Guangzhou's residents
// are counted from its data files (once per pair of files).
ResourceEstimate estimate_resources(const Scenario& s);

}  // namespace gov
