#include "models/capacities.hpp"

#include <algorithm>
#include <cmath>

namespace gov {

Capacities derive_capacities(const Scenario& s, const City& city) {
  Capacities c;
  const double k = s.population.scale;
  c.scale = k;
  c.call_takers = std::max(1, static_cast<int>(std::lround(s.hotline.call_takers * k)));
  const double hours = s.grid.workers_per_cell * s.grid.patrol_hours_per_worker_per_day * k;
  c.grid_hours_per_day.reserve(city.communities.size());
  for (const auto& com : city.communities) c.grid_hours_per_day.push_back(hours * com.cells);
  c.grid_hours_per_find =
      s.grid.finds_per_worker_per_day > 0
          ? s.grid.patrol_hours_per_worker_per_day / s.grid.finds_per_worker_per_day
          : INFINITY;
  c.grid_worker_hours_per_day = hours * city.grid_cells;
  c.mediations_per_community_per_day = s.community.mediation_capacity_per_day * k;
  c.whistles_per_community_per_week = s.policies.whistle.quota_per_community_per_week * k;
  c.supervisors_per_district = s.policies.closed_loop.supervision_staff_per_district * k;
  c.supervision_flags_per_district_per_day =
      c.supervisors_per_district * s.closure.supervision_flags_per_staff_per_day;
  if (s.policies.source_governance.enabled) {
    double staff = 0;
    for (const auto& d : s.departments) {
      staff += d.level == "city" ? d.staff * k
                                 : d.staff_per_100k * static_cast<double>(city.residents()) / 1e5;
    }
    c.prevention_staff = staff * s.policies.source_governance.prevention_share;
  }
  return c;
}

}  // namespace gov
