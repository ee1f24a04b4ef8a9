// MODEL.md §4.1 Incidence, and P9 source governance (prevention at hot spots).
#include <algorithm>
#include <cmath>

#include <tbb/parallel_for.h>

#include "models/mechanisms/mechanisms.hpp"

namespace gov {
namespace {

double prevention_multiplier(const World& w, const HotSpots& hs, std::uint8_t d,
                             std::uint32_t district, double t) {
  const auto& sg = w.scenario.policies.source_governance;
  if (!sg.enabled || !hs.hotspot[d] || !w.in_force(district, t)) return 1.0;
  return 1.0 - prevented_share(sg);
}

}  // namespace

double prevented_share(const SourceGovernance& sg) {
  // Saturating dose-response (Michaelis-Menten form): the first prevention staff remove the most
  // incidence, and no amount removes more than max_incidence_reduction. Both parameters are
  // assumptions; scenarios/sweeps/source-governance-dose.yaml sweeps them.
  const double dose = sg.prevention_share;
  return dose <= 0 ? 0.0 : sg.max_incidence_reduction * dose / (dose + sg.half_effect_share);
}

void draw_issue_traits(const World& w, Issue& is) {
  auto rng = w.rng(Purpose::IssueTraits, is.key);
  const DomainSettings& ds = w.domain(is.domain);
  const double u = rng.uniform();
  is.severity = u < ds.minor_share ? Severity::Minor
                                   : (u < ds.minor_share + ds.serious_share ? Severity::Serious
                                                                            : Severity::Normal);
  is.parts = 1;
  is.part_domain[0] = is.domain;
  if (rng.bernoulli(ds.cross_domain_share)) {
    // Cross-domain issues need a second department, a third in three cases out of ten.
    is.parts = rng.bernoulli(0.3) ? 3 : 2;
    for (std::uint8_t p = 1; p < is.parts; ++p) {
      std::uint8_t d;
      do {
        d = static_cast<std::uint8_t>(rng.below(kDomainCount));
      } while (std::find(is.part_domain.begin(), is.part_domain.begin() + p, d) !=
               is.part_domain.begin() + p);
      is.part_domain[p] = d;
    }
  }
  is.filed_domain = is.domain;
  is.unmeetable = rng.bernoulli(ds.unmeetable_share);
}

void generate_daily_issues(World& w, int day) {
  const auto& inc = w.scenario.incidence;
  if (inc.active_days > 0 && day >= inc.active_days) return;
  const std::size_t nc = w.city.communities.size();
  // Each community's new issues are drawn whole (traits included) on its own thread; only taking
  // pool slots and scheduling their arising is left serial, in community order.
  auto& fresh = w.new_issues.per_community;
  const double t0 = day * 24.0;
  tbb::parallel_for(std::size_t{0}, nc, [&](std::size_t c) {
    const Community& com = w.city.communities[c];
    if (com.residents == 0) return;
    const HotSpots& hs = w.hot_spots[c];
    const double people =
        com.residents * ((1.0 - com.floating_share) + com.floating_share * inc.floating_multiplier);
    double m = people / 1000.0;
    if (com.rural) m *= inc.rural_multiplier;
    m *= std::pow(com.density_per_km2 / w.mean_density, inc.density_elasticity);
    m *= std::min(
        1.0 + inc.unresolved_nearby_elasticity * w.stock.issues[c] * 1000.0 / com.residents,
        inc.unresolved_nearby_max_multiplier);
    for (std::uint8_t d = 0; d < kDomainCount; ++d) {
      const double mean = m * w.domain(d).incidence_per_1000_per_day *
                          prevention_multiplier(w, hs, d, com.district, t0);
      auto rng = w.rng(Purpose::Incidence, c * kDomainCount + d, static_cast<std::uint64_t>(day));
      // Issue keys hold 16 bits of sequence per community and day; 4096 is far above any
      // plausible daily count (the Guangzhou mean is under 10) and keeps keys unique.
      const auto n = std::min<std::uint64_t>(rng.poisson(mean), 4096);
      for (std::uint64_t k = 0; k < n; ++k) {
        Issue is;
        is.t_arise = t0 + 24.0 * rng.uniform();
        is.resident = com.first_resident + static_cast<std::uint32_t>(rng.below(com.residents));
        is.domain = d;
        fresh[c].push_back(is);
      }
    }
    for (std::size_t k = 0; k < fresh[c].size(); ++k) {
      Issue& is = fresh[c][k];
      is.key = (static_cast<std::uint64_t>(day) << 40) | (static_cast<std::uint64_t>(c) << 16) | k;
      is.community = static_cast<std::uint32_t>(c);
      is.origin = Origin::Resident;
      draw_issue_traits(w, is);
    }
  });
  for (auto& list : fresh) {
    for (const Issue& is : list) w.schedule(w.new_issue(is), EventKind::Arise, is.t_arise);
    list.clear();
  }
}

void update_hotspots(World& w) {
  // Smoothed daily arising per community and domain; hot spots are the communities above the
  // configured quantile of the per-resident rate (MODEL.md P9: found from data).
  const double q = w.scenario.policies.source_governance.hotspot_quantile;
  for (auto& hs : w.hot_spots) {
    for (std::size_t d = 0; d < kDomainCount; ++d) {
      hs.recent_rate[d] = 0.9f * hs.recent_rate[d] + 0.1f * static_cast<float>(hs.arisen_today[d]);
      hs.arisen_today[d] = 0;
    }
  }
  for (std::uint8_t d = 0; d < kDomainCount; ++d) {
    std::vector<double> rates;
    rates.reserve(w.hot_spots.size());
    for (std::size_t c = 0; c < w.hot_spots.size(); ++c) {
      const auto n = w.city.communities[c].residents;
      rates.push_back(n ? static_cast<double>(w.hot_spots[c].recent_rate[d]) / n : 0.0);
    }
    std::vector<double> sorted = rates;
    const double threshold = quantile(sorted, q);
    for (std::size_t c = 0; c < w.hot_spots.size(); ++c) {
      w.hot_spots[c].hotspot[d] = rates[c] > threshold && rates[c] > 0;
    }
  }
}

}  // namespace gov
