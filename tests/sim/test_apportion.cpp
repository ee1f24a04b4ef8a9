// Largest-remainder apportionment: whole parts that sum to the total, each within one of its share.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <vector>

#include "sim/apportion.hpp"
#include "sim/random.hpp"

TEST_CASE("apportioned parts sum to the total and stay within one of the exact share",
          "[unit][apportion]") {
  sim::RandomStream rng(3, 0, 0, 0);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> w(1 + rng.below(40));
    for (auto& x : w) x = rng.uniform() < 0.2 ? 0.0 : rng.uniform() * 1000;
    const double total = std::floor(rng.uniform() * 5000);
    const auto parts = sim::apportion(total, w);
    const double wsum = std::accumulate(w.begin(), w.end(), 0.0);
    const auto given = std::accumulate(parts.begin(), parts.end(), std::uint64_t{0});
    if (wsum == 0) {
      CHECK(given == 0);
      continue;
    }
    CHECK(given == static_cast<std::uint64_t>(total));
    for (std::size_t i = 0; i < w.size(); ++i) {
      CHECK(std::fabs(parts[i] - total * w[i] / wsum) < 1.0);
      if (w[i] == 0) CHECK(parts[i] == 0);
    }
  }
}

TEST_CASE("apportionment rounds the total, breaks ties to the earlier place and refuses nothing",
          "[unit][apportion]") {
  CHECK(sim::apportion(2, {1, 1, 1}) == std::vector<std::uint32_t>{1, 1, 0});
  CHECK(sim::apportion(9.6, {1, 2}) == std::vector<std::uint32_t>{3, 7});
  CHECK(sim::apportion(5, {}).empty());
  CHECK(sim::apportion(-3, {1, 1}) == std::vector<std::uint32_t>{0, 0});
  CHECK(sim::apportion(std::nan(""), {1, 1}) == std::vector<std::uint32_t>{0, 0});
}
