#include "models/city/residents.hpp"

#include <algorithm>
#include <cmath>

#include <tbb/parallel_for.h>

#include "models/random_purposes.hpp"
#include "sim/random.hpp"

namespace gov {
namespace {

void draw_resident(Residents& r, std::size_t i, const Community& c, const PopulationSettings& pop,
                   sim::RandomStream& rng, double mean_ties) {
  std::uint8_t traits = 0;
  const bool floating = rng.bernoulli(c.floating_share);
  if (floating) traits |= Residents::kFloating;
  // Floating residents mostly rent; registered residents mostly own (assumption).
  if (rng.bernoulli(floating ? 0.85 : 0.25)) traits |= Residents::kRenter;
  // Age bands 0-14, 15-59, 60+ with the 2020 census shares 13.87% / 74.72% / 11.41%.
  const double u = rng.uniform();
  const int band = u < 0.1387 ? 0 : (u < 0.1387 + 0.7472 ? 1 : 2);
  traits |= static_cast<std::uint8_t>(band << Residents::kAgeShift);
  if (rng.bernoulli(pop.volunteer_willingness)) traits |= Residents::kVolunteerWilling;
  r.traits[i] = traits;
  // Floating residents know fewer neighbours (atomisation): half the mean ties (assumption).
  const double ties = static_cast<double>(rng.poisson(floating ? 0.5 * mean_ties : mean_ties));
  r.ties[i] = static_cast<std::uint8_t>(std::min(255.0, ties));
  const double noise = 0.1 * (rng.uniform() - 0.5);
  r.trust[i] = Residents::from_unit(pop.initial_trust + noise);
  r.satisfaction[i] = Residents::from_unit(pop.initial_satisfaction + noise);
}

GroupTotals& totals_of(Residents& r, std::size_t i, std::uint32_t community) {
  return r.totals[community][static_cast<std::size_t>(r.group(i))];
}

void add_to_totals(Residents& r, std::size_t i, std::uint32_t community) {
  GroupTotals& g = totals_of(r, i, community);
  g.trust += r.trust[i];
  g.satisfaction += r.satisfaction[i];
  g.residents += 1;
}

void remove_from_totals(Residents& r, std::size_t i, std::uint32_t community) {
  GroupTotals& g = totals_of(r, i, community);
  g.trust -= r.trust[i];
  g.satisfaction -= r.satisfaction[i];
  g.residents -= 1;
}

}  // namespace

void Residents::set_opinion(std::size_t r, std::uint32_t community, std::uint16_t new_trust,
                            std::uint16_t new_satisfaction) {
  GroupTotals& g = totals_of(*this, r, community);
  g.trust = g.trust - trust[r] + new_trust;
  g.satisfaction = g.satisfaction - satisfaction[r] + new_satisfaction;
  trust[r] = new_trust;
  satisfaction[r] = new_satisfaction;
}

CommunityTotals Residents::sum_community(const Community& c) const {
  CommunityTotals t{};
  for (std::uint32_t k = 0; k < c.residents; ++k) {
    const std::size_t i = c.first_resident + k;
    GroupTotals& g = t[static_cast<std::size_t>(group(i))];
    g.trust += trust[i];
    g.satisfaction += satisfaction[i];
    g.residents += 1;
  }
  return t;
}

Residents build_residents(const City& city, const PopulationSettings& pop, std::uint64_t seed) {
  Residents r;
  const std::size_t n = city.residents();
  r.trust.resize(n);
  r.satisfaction.resize(n);
  r.ties.resize(n);
  r.traits.resize(n);
  r.totals.resize(city.communities.size());
  tbb::parallel_for(std::size_t{0}, city.communities.size(), [&](std::size_t ci) {
    const Community& c = city.communities[ci];
    for (std::uint32_t k = 0; k < c.residents; ++k) {
      const std::size_t i = c.first_resident + k;
      sim::RandomStream rng(seed, static_cast<std::uint64_t>(Purpose::ResidentInit), i, 0);
      draw_resident(r, i, c, pop, rng, pop.mean_ties);
    }
    r.totals[ci] = r.sum_community(c);
  });
  return r;
}

void replace_resident(Residents& r, std::size_t index, std::uint32_t community, const Community& c,
                      const PopulationSettings& pop, std::uint64_t seed, std::uint64_t day) {
  remove_from_totals(r, index, community);
  sim::RandomStream rng(seed, static_cast<std::uint64_t>(Purpose::ResidentInit), index, day + 1);
  draw_resident(r, index, c, pop, rng, pop.new_resident_ties);
  add_to_totals(r, index, community);
}

}  // namespace gov
