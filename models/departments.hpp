#pragma once
// Functional departments (职能部门) as multi-server priority queues. A district-level department
// has one central unit per district and, under resource sinking (P2), teams posted to streets; a
// city-level department has one unit. Merged departments (P4) pool their staff into one.
#include <cstdint>
#include <string>
#include <vector>

#include "models/city/city.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/service_unit.hpp"

namespace gov {

struct Department {
  std::string name;
  bool city_level = false;
  std::vector<std::uint8_t> domains;
  std::vector<double> weights;  // per domain in `domains`
  double staff_per_100k = 0;
  double staff = 0;
  double routine_share = 0;
  double false_closure_prob = 0;
  double misroute_review_h = 1;
};

struct DepartmentUnit {
  std::uint16_t department = 0;
  std::int32_t district = -1;  // -1: city level
  std::int32_t street = -1;    // >= 0: a team posted to this street
  double travel_h = 0;
  sim::ServiceUnit queue;
  std::vector<sim::JobEvent> events;  // filled by advance, consumed by the model
  // Counters for daily series.
  std::uint64_t arrivals = 0;
  double busy_hours_at_day_start = 0;
  double borrowed_hours_at_day_start = 0;
};

class DepartmentSystem {
 public:
  // `share_to_streets` and prevention share reduce handling servers as MODEL.md P2/P9 say.
  DepartmentSystem(std::vector<Department> departments, const City& city,
                   const RoutingSettings& routing, double population_scale, double share_to_streets,
                   double prevention_share);

  const std::vector<Department>& departments() const { return departments_; }
  std::vector<DepartmentUnit>& units() { return units_; }
  const std::vector<DepartmentUnit>& units() const { return units_; }
  // The unit that handles department `d`'s work in this community's street and district: the
  // street's posted team unless its queue is as long as its staff, else the district pool.
  std::uint32_t unit_for(std::uint16_t d, const Community& c) const;
  // Advances every unit to `until_h` in parallel; events land in each unit's `events`.
  void advance_all(double until_h);
  double total_servers() const;

 private:
  std::vector<Department> departments_;
  std::vector<DepartmentUnit> units_;
  std::size_t districts_ = 0, streets_ = 0;
  std::vector<std::uint32_t> central_;  // department * districts + district
  std::vector<std::uint32_t> street_;   // department * streets + street, or kNone
};

// Department templates from the scenario with P4 merge groups applied (names already validated).
std::vector<Department> make_departments(const Scenario& s);

}  // namespace gov
