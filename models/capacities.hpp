#pragma once
// Every capacity the model uses, derived once from the frozen scenario and the built city. A
// scenario states capacities per resident (or per grid cell, per community, per district) at
// population.scale 1; here they are scaled to the residents simulated, so per-capita reach is the
// same at every scale and no mechanism multiplies by the scale itself.
#include <cstdint>
#include <vector>

#include "models/city/city.hpp"
#include "models/scenario/scenario.hpp"

namespace gov {

struct Capacities {
  double scale = 1;  // population.scale, for DepartmentSystem's staffing of departments
  int call_takers = 1;
  std::vector<double> grid_hours_per_day;  // per community: patrol hours of its grid workers
  double grid_hours_per_find = 1;          // patrol time it takes to find and file one issue
  double grid_worker_hours_per_day = 0;    // city total, for staff-hours
  double mediations_per_community_per_day = 0;
  double whistles_per_community_per_week = 0;
  double supervisors_per_district = 0;
  double supervision_flags_per_district_per_day = 0;
  double prevention_staff = 0;  // department staff taken off handling for prevention (P9)
};

Capacities derive_capacities(const Scenario& s, const City& city);

// Stochastic rounding: floor(x) plus one with probability frac(x), so that a fractional
// capacity (a small community at a small scale) is met on average rather than lost.
template <class Rng>
double whole_units(double x, Rng& rng) {
  const double f = static_cast<double>(static_cast<std::int64_t>(x));
  return f + (rng.bernoulli(x - f) ? 1.0 : 0.0);
}

}  // namespace gov
