#include "models/departments.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <tbb/parallel_for.h>

#include "models/domains.hpp"
#include "models/issue.hpp"
#include "sim/apportion.hpp"

namespace gov {
namespace {

Department from_settings(const DepartmentSettings& s) {
  Department d;
  d.name = s.name;
  d.city_level = s.level == "city";
  for (std::size_t i = 0; i < s.domains.size(); ++i) {
    d.domains.push_back(*domain_index(s.domains[i]));
    d.weights.push_back(s.ownership_weights.empty() ? 1.0 : s.ownership_weights[i]);
  }
  d.staff_per_100k = s.staff_per_100k;
  d.staff = s.staff;
  d.routine_share = s.routine_share;
  d.false_closure_prob = s.false_closure_prob;
  d.misroute_review_h = s.misroute_review_h;
  return d;
}

// Pools a merge group: staff add up, duties are the union, rates are staff-weighted.
Department merge(const std::vector<Department>& group) {
  Department m;
  m.city_level = group.front().city_level;
  m.misroute_review_h = group.front().misroute_review_h;
  double wsum = 0;
  for (const auto& d : group) {
    m.name += (m.name.empty() ? "" : "+") + d.name;
    m.staff_per_100k += d.staff_per_100k;
    m.staff += d.staff;
    const double w = d.city_level ? d.staff : d.staff_per_100k;
    wsum += w;
    m.routine_share += w * d.routine_share;
    m.false_closure_prob += w * d.false_closure_prob;
    m.misroute_review_h = std::min(m.misroute_review_h, d.misroute_review_h);
    for (std::size_t i = 0; i < d.domains.size(); ++i) {
      const auto it = std::find(m.domains.begin(), m.domains.end(), d.domains[i]);
      if (it == m.domains.end()) {
        m.domains.push_back(d.domains[i]);
        m.weights.push_back(d.weights[i]);
      } else {
        m.weights[static_cast<std::size_t>(it - m.domains.begin())] += d.weights[i];
      }
    }
  }
  if (wsum > 0) {
    m.routine_share /= wsum;
    m.false_closure_prob /= wsum;
  }
  return m;
}

int servers_for(double staff) {
  return staff <= 0 ? 0 : std::max(1, static_cast<int>(std::lround(staff)));
}

}  // namespace

std::vector<Department> make_departments(const Scenario& s) {
  std::vector<Department> all;
  for (const auto& d : s.departments) all.push_back(from_settings(d));
  std::vector<bool> merged(all.size(), false);
  std::vector<Department> out;
  for (const auto& group : s.policies.department_integration.merge_groups) {
    std::vector<Department> members;
    for (const auto& name : group) {
      for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].name == name && !merged[i]) {
          members.push_back(all[i]);
          merged[i] = true;
        }
      }
    }
    if (!members.empty()) out.push_back(merge(members));
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!merged[i]) out.push_back(all[i]);
  }
  return out;
}

DepartmentSystem::DepartmentSystem(std::vector<Department> departments, const City& city,
                                   const RoutingSettings& routing, double population_scale,
                                   double share_to_streets, double prevention_share)
    : departments_(std::move(departments)),
      districts_(city.districts.size()),
      streets_(city.streets.size()) {
  central_.assign(departments_.size() * districts_, kNone);
  street_.assign(departments_.size() * streets_, kNone);
  const double handling = 1.0 - prevention_share;
  for (std::size_t di = 0; di < departments_.size(); ++di) {
    const Department& dep = departments_[di];
    const double per_server = population_scale * (1.0 - dep.routine_share) * handling;
    if (dep.city_level) {
      const auto u = static_cast<std::uint32_t>(units_.size());
      DepartmentUnit unit;
      unit.department = static_cast<std::uint16_t>(di);
      unit.travel_h = routing.travel_city_h;
      unit.queue = sim::ServiceUnit(servers_for(dep.staff * per_server));
      units_.push_back(std::move(unit));
      for (std::size_t d = 0; d < districts_; ++d) central_[di * districts_ + d] = u;
      continue;
    }
    for (std::size_t d = 0; d < districts_; ++d) {
      const District& dist = city.districts[d];
      const int total = servers_for(dep.staff_per_100k * dist.population_target / 1e5 * per_server);
      std::vector<int> team(dist.street_count, 0);
      int posted = 0;
      if (share_to_streets > 0 && total > 1) {
        // Posted staff go to streets in proportion to their residents (largest remainder).
        std::vector<double> residents(dist.street_count,
                                      1.0);  // equal shares if nobody lives there
        double pop = 0;
        for (std::uint32_t k = 0; k < dist.street_count; ++k)
          pop += city.streets[dist.first_street + k].residents;
        if (pop > 0) {
          for (std::uint32_t k = 0; k < dist.street_count; ++k)
            residents[k] = city.streets[dist.first_street + k].residents;
        }
        const auto teams = sim::apportion(std::round(total * share_to_streets), residents);
        for (std::uint32_t k = 0; k < dist.street_count; ++k) {
          team[k] = static_cast<int>(teams[k]);
          posted += team[k];
        }
        if (posted >= total) {  // keep one server central for streets without a team
          auto big = std::max_element(team.begin(), team.end());
          --*big;
          --posted;
        }
      }
      DepartmentUnit central;
      central.department = static_cast<std::uint16_t>(di);
      central.district = static_cast<std::int32_t>(d);
      central.travel_h = routing.travel_district_h;
      central.queue = sim::ServiceUnit(total - posted);
      central_[di * districts_ + d] = static_cast<std::uint32_t>(units_.size());
      units_.push_back(std::move(central));
      for (std::uint32_t k = 0; k < dist.street_count; ++k) {
        if (team[k] <= 0) continue;
        DepartmentUnit t;
        t.department = static_cast<std::uint16_t>(di);
        t.district = static_cast<std::int32_t>(d);
        t.street = static_cast<std::int32_t>(dist.first_street + k);
        t.travel_h = routing.travel_street_h;
        t.queue = sim::ServiceUnit(team[k]);
        street_[di * streets_ + dist.first_street + k] = static_cast<std::uint32_t>(units_.size());
        units_.push_back(std::move(t));
      }
    }
  }
}

std::uint32_t DepartmentSystem::unit_for(std::uint16_t d, const Community& c) const {
  const std::uint32_t team = street_[d * streets_ + c.street];
  // A posted team takes its street's work while it can start soon; once as many jobs wait as it
  // has servers, the district pool backs it up (overflow), as a district would in practice.
  if (team != kNone) {
    const sim::ServiceUnit& q = units_[team].queue;
    if (q.queue_length() < static_cast<std::size_t>(q.servers())) return team;
  }
  return central_[d * districts_ + c.district];
}

void DepartmentSystem::advance_all(double until_h) {
  tbb::parallel_for(std::size_t{0}, units_.size(), [&](std::size_t i) {
    units_[i].events.clear();
    units_[i].queue.advance(until_h, units_[i].events);
  });
}

double DepartmentSystem::total_servers() const {
  double n = 0;
  for (const auto& u : units_) n += u.queue.servers();
  return n;
}

}  // namespace gov
