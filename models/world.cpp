#include "models/world.hpp"

#include "models/mechanisms/mechanisms.hpp"

#include <cmath>
#include <limits>

namespace gov {

World::World(const Scenario& s, City c, Residents r)
    : scenario(s),
      seed(static_cast<std::uint64_t>(s.run.seed)),
      city(std::move(c)),
      residents(std::move(r)),
      capacities(derive_capacities(s, city)),
      department_list(make_departments(s)),
      departments(
          department_list, city, s.routing, capacities.scale, s.policies.resource_sinking.share,
          s.policies.source_governance.enabled ? s.policies.source_governance.prevention_share
                                               : 0.0),
      responsibility(department_list),
      agenda(24.0 / kTicksPerDay),
      adoption_day(city.districts.size(), 0.0),
      hot_spots(city.communities.size()),
      community_capacity(city.communities.size()),
      opinion(city.communities.size()) {
  for (const auto& d : s.domains) domain_settings[*domain_index(d.name)] = d;
  coupling = s.cascades.coupling;
  if (coupling.empty()) {
    coupling.assign(kDomainCount,
                    std::vector<double>(kDomainCount, s.cascades.default_cross_coupling));
    for (std::size_t i = 0; i < kDomainCount; ++i)
      coupling[i][i] = s.cascades.default_self_coupling;
  }
  double dens = 0, pop = 0;
  for (const auto& com : city.communities) {
    dens += static_cast<double>(com.density_per_km2) * com.residents;
    pop += com.residents;
  }
  mean_density = pop > 0 && dens > 0 ? dens / pop : 1.0;

  const std::size_t nc = city.communities.size();
  new_issues.per_community.resize(nc);
  patrols.latent.resize(nc);
  patrols.found.resize(nc);
  patrols.hours_banked.assign(nc, 0.0);
  whistles.left_this_week.assign(nc, 0.0);
  stock.issues.assign(nc, 0);
  stock.safety_issues.assign(nc, 0);
  for (auto& o : opinion) o.trust_index = s.population.initial_trust;
  const std::size_t nd = department_list.size();
  accountability.false_closure_prob.resize(nd);
  for (std::size_t d = 0; d < nd; ++d)
    accountability.false_closure_prob[d] = department_list[d].false_closure_prob;
  accountability.caught.assign(nd, 0.0);
  accountability.false_closures.assign(nd, 0.0);

  // Consultations are the call-takers' silent jobs, answered in their own priority class.
  hotline.call_takers = sim::ServiceUnit(
      capacities.call_takers, {.service_h = s.hotline.consultation_min / 60.0, .priority = 1});
  double expected_reports_per_day = 0;
  for (const auto& d : domain_settings) {
    expected_reports_per_day += d.incidence_per_1000_per_day * d.report_propensity;
  }
  expected_reports_per_day *= static_cast<double>(city.residents()) / 1000.0;
  hotline.consultations_per_hour =
      s.hotline.consultations_per_issue_report * expected_reports_per_day / 24.0;

  ledger.today.resize(city.districts.size());
  ledger.department_wait_h_today.assign(nd, 0.0);
  ledger.department_starts_today.assign(nd, 0.0);
}

std::uint32_t World::new_issue(const Issue& proto) {
  std::uint32_t idx;
  if (!free_issues.empty()) {
    idx = free_issues.back();
    free_issues.pop_back();
    issues[idx] = proto;
  } else {
    idx = static_cast<std::uint32_t>(issues.size());
    issues.push_back(proto);
  }
  return idx;
}

void World::schedule(std::uint32_t issue, EventKind kind, double time_h, std::uint8_t part) {
  ++issues[issue].pending;
  agenda.push({time_h, issues[issue].key, issue, kind, part});
}

void World::release(std::uint32_t issue) {
  Issue& is = issues[issue];
  --is.pending;
  if (is.pending == 0 && !is_open(is.state)) {
    log_issue(*this, is);  // its record is final: nothing refers to it any more
    free_issues.push_back(issue);
  }
}

void World::enqueue(std::uint32_t unit, const sim::Job& job) {
  ++issues[job_issue(job.id)].pending;
  auto& u = departments.units()[unit];
  ++u.arrivals;
  u.queue.arrive(job);
}

}  // namespace gov
