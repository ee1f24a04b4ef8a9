#include "models/world.hpp"

#include <limits>

namespace gov {

World::World(const Scenario& s, City c, Residents r)
    : scenario(s),
      seed(static_cast<std::uint64_t>(s.run.seed)),
      city(std::move(c)),
      residents(std::move(r)),
      department_list(make_departments(s)),
      departments(
          department_list, city, s.routing, s.population.scale, s.policies.resource_sinking.share,
          s.policies.source_governance.enabled ? s.policies.source_governance.prevention_share
                                               : 0.0),
      responsibility(department_list),
      hotline(
          std::max(1, static_cast<int>(std::lround(s.hotline.call_takers * s.population.scale)))),
      agenda(1.0),
      communities(city.communities.size()),
      adoption_day(city.districts.size(), 0.0),
      today(city.districts.size()),
      department_wait_h_today(department_list.size(), 0.0),
      department_starts_today(department_list.size(), 0.0) {
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
  for (auto& cs : communities) cs.trust_index = s.population.initial_trust;
  double expected_reports_per_day = 0;
  for (const auto& d : domain_settings) {
    expected_reports_per_day += d.incidence_per_1000_per_day * d.report_propensity;
  }
  expected_reports_per_day *= static_cast<double>(city.residents()) / 1000.0;
  consultations_per_hour =
      s.hotline.consultations_per_issue_report * expected_reports_per_day / 24.0;
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

void World::schedule(std::uint32_t issue, EventKind kind, double time_h, std::uint8_t aux) {
  ++issues[issue].pending;
  agenda.push({time_h, issues[issue].key, issue, kind, aux});
}

void World::release(std::uint32_t issue) {
  Issue& is = issues[issue];
  --is.pending;
  const bool terminal = !is_open(is.state);
  if (is.pending == 0 && terminal) free_issues.push_back(issue);
}

void World::enqueue(std::uint32_t unit, const sim::Job& job) {
  ++issues[job_issue(job.id)].pending;
  auto& u = departments.units()[unit];
  ++u.arrivals;
  u.queue.arrive(job);
}

void World::leave_open_stock(Issue& is) {
  --open_stock;
  CommunityState& cs = communities[is.community];
  --cs.open_issues;
  if (is.domain == kPublicSafety) --cs.open_safety_issues;
}

void World::enter_open_stock(Issue& is) {
  ++open_stock;
  CommunityState& cs = communities[is.community];
  ++cs.open_issues;
  if (is.domain == kPublicSafety) ++cs.open_safety_issues;
}

}  // namespace gov
