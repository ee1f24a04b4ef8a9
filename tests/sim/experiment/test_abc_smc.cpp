// ABC-SMC against models whose posterior is known exactly.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/experiment/abc_smc.hpp"
#include "sim/random.hpp"

namespace {

// A batch simulator whose draws depend only on (generation, proposal index), like the model's.
template <class Draw>
sim::AbcSimulator simulator(Draw draw) {
  return [draw](int g, std::size_t first, const std::vector<std::vector<double>>& thetas) {
    std::vector<double> d;
    for (std::size_t b = 0; b < thetas.size(); ++b) {
      sim::RandomStream rng(99, 1, static_cast<std::uint64_t>(g), first + b);
      d.push_back(draw(thetas[b][0], rng));
    }
    return d;
  };
}

}  // namespace

TEST_CASE("ABC-SMC recovers the posterior of a normal mean", "[unit][calibration]") {
  // y_1..y_25 ~ N(theta, 1) with mean 1.3; flat prior on [-10, 10] (the prior's tails beyond
  // +-50 posterior sd are negligible): posterior N(1.3, 1/25). The sample mean is sufficient.
  const double ybar = 1.3, n = 25;
  auto draw = [&](double theta, sim::RandomStream& rng) {
    return std::abs(theta + rng.normal() / std::sqrt(n) - ybar);
  };
  sim::AbcOptions o;
  o.population = 2000;
  o.generations = 9;
  o.seed = 5;
  const auto r = sim::abc_smc({{"theta", -10, 10, false}}, simulator(draw), o);
  REQUIRE(r.complete);
  const auto& last = r.generations.back();
  INFO("tolerance " << last.tolerance << ", ESS " << last.effective_sample_size());
  CHECK(last.tolerance < 0.05);
  // Accepting within eps adds at most eps^2/3 to the variance.
  CHECK(last.mean()[0] == Approx(1.3).margin(0.02));
  CHECK(last.variance()[0] == Approx(1.0 / n).epsilon(0.15));
  CHECK(last.effective_sample_size() > 500);
  // The tolerances shrink generation by generation.
  for (std::size_t g = 2; g < r.generations.size(); ++g)
    CHECK(r.generations[g].tolerance <= r.generations[g - 1].tolerance);
}

TEST_CASE("ABC-SMC recovers a Poisson rate's gamma posterior exactly matched",
          "[unit][calibration]") {
  // 10 counts summing to 42, flat prior on (0, 20]: the posterior is Gamma(43, rate 10), mean 4.3,
  // variance 0.43. Distances are whole numbers, so a tolerance below 1 is an exact match.
  auto draw = [](double lambda, sim::RandomStream& rng) {
    return std::abs(static_cast<double>(rng.poisson(10 * lambda)) - 42.0);
  };
  sim::AbcOptions o;
  o.population = 2000;
  o.generations = 8;
  o.seed = 11;
  o.quantile = 0.25;  // so that the tolerance reaches 0 (a third of the draws within 1 match)
  const auto r = sim::abc_smc({{"lambda", 1e-6, 20, false}}, simulator(draw), o);
  REQUIRE(r.complete);
  const auto& last = r.generations.back();
  CHECK(last.tolerance == 0.0);
  CHECK(last.mean()[0] == Approx(4.3).margin(0.05));
  CHECK(last.variance()[0] == Approx(0.43).epsilon(0.12));
}

TEST_CASE("ABC-SMC on a log scale stays inside its prior and is reproducible",
          "[unit][calibration]") {
  auto draw = [](double x, sim::RandomStream& rng) {
    return std::abs(std::log(x) + 0.1 * rng.normal() - std::log(3.0));
  };
  sim::AbcOptions o;
  o.population = 300;
  o.generations = 5;
  o.batch = 64;
  const auto a = sim::abc_smc({{"x", 0.1, 100, true}}, simulator(draw), o);
  const auto b = sim::abc_smc({{"x", 0.1, 100, true}}, simulator(draw), o);
  REQUIRE(a.generations.size() == 5);
  for (const auto& t : a.tried) {
    CHECK(t.theta[0] >= 0.1);
    CHECK(t.theta[0] <= 100);
  }
  CHECK(a.generations.back().particles == b.generations.back().particles);
  CHECK(a.generations.back().mean()[0] == Approx(3.0).epsilon(0.1));
  CHECK_THROWS(sim::abc_smc({{"x", 0, 1, true}}, simulator(draw), o));
  CHECK_THROWS(sim::abc_smc({{"x", 1, 1, false}}, simulator(draw), o));
}
