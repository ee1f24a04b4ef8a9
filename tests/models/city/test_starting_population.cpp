// Runs that share a city, population and seed start from one build: copying it gives the same
// run as building it, builds are shared across threads, and a mismatched start is refused.
#include <tbb/parallel_for.h>
#include <catch2/catch.hpp>

#include <cstring>

#include "models/city/starting_population.hpp"
#include "models/governance_model.hpp"
#include "tests/support.hpp"

namespace {

bool same_record(const sim::RunRecord& a, const sim::RunRecord& b) {
  if (a.variables.size() != b.variables.size() || a.summary.size() != b.summary.size())
    return false;
  for (std::size_t i = 0; i < a.variables.size(); ++i) {
    const auto& x = a.variables[i].data;
    const auto& y = b.variables[i].data;
    if (x.size() != y.size() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) != 0)
      return false;
  }
  for (std::size_t i = 0; i < a.summary.size(); ++i) {
    if (std::memcmp(&a.summary[i].value, &b.summary[i].value, sizeof(double)) != 0) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a run started from a shared build equals a run that built its own",
          "[unit][starting_population]") {
  gov::Scenario s = test::small_city(10);
  s.policies.whistle.enabled = true;
  const gov::StartingPopulation start = gov::build_starting_population(s);
  const auto own = gov::GovernanceModel(s).run();
  const auto shared = gov::GovernanceModel(s, start).run();
  CHECK(same_record(own, shared));
  // The run changed its own copy, not the shared build.
  const gov::StartingPopulation fresh = gov::build_starting_population(s);
  CHECK(start.residents.trust == fresh.residents.trust);
  CHECK(start.residents.totals == fresh.residents.totals);
  // Policies do not enter the key; the seed, the scale and population settings do.
  gov::Scenario policy = s;
  policy.policies.closed_loop.enabled = true;
  CHECK(gov::starting_population_key(policy) == start.key);
  gov::Scenario other = s;
  other.run.seed += 1;
  CHECK(gov::starting_population_key(other) != start.key);
  other = s;
  other.population.initial_trust += 0.01;
  CHECK(gov::starting_population_key(other) != start.key);
  CHECK_THROWS_WITH(gov::GovernanceModel(other, start), Catch::Contains("another city"));
}

TEST_CASE("the cache builds each set-up once, across threads, and forgets the oldest",
          "[unit][starting_population]") {
  gov::Scenario s = test::small_city(5);
  gov::StartingPopulationCache cache(2);
  std::vector<std::shared_ptr<const gov::StartingPopulation>> got(8);
  tbb::parallel_for(std::size_t{0}, got.size(), [&](std::size_t i) { got[i] = cache.get(s); });
  CHECK(cache.builds() == 1);
  for (const auto& p : got) CHECK(p.get() == got.front().get());
  gov::Scenario b = s, c = s;
  b.run.seed += 1;
  c.run.seed += 2;
  cache.get(b);
  cache.get(c);  // capacity 2: the first set-up (least recently used) is forgotten
  CHECK(cache.builds() == 3);
  cache.get(b);
  CHECK(cache.builds() == 3);
  cache.get(s);
  CHECK(cache.builds() == 4);
}
