// The Morris method: the design (r trajectories of k + 1 grid points, one parameter per step)
// and the elementary effects on a function whose effects are known exactly.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "analysis/morris.hpp"
#include "sim/experiment/experiment_spec.hpp"

namespace {

sim::ExperimentSpec morris_spec(int trajectories, int levels) {
  sim::ExperimentSpec spec;
  spec.sweep_method = "morris";
  spec.morris_trajectories = trajectories;
  spec.morris_levels = levels;
  spec.seed = 11;
  spec.sweep = {{"a", {0, 2}, {}, "uniform", {}},
                {"b", {0, 10}, {}, "uniform", {}},
                {"c", {0, 1}, {}, "uniform", {}}};
  return spec;
}

}  // namespace

TEST_CASE("a morris design moves one parameter per step by half the grid", "[unit][morris]") {
  const auto spec = morris_spec(20, 4);
  const auto points = sim::sweep_points(spec);
  REQUIRE(points.size() == 20 * 4);
  for (std::size_t t = 0; t < 20; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t m = 1; m <= 3; ++m) {
      const auto& before = points[t * 4 + m - 1];
      const auto& after = points[t * 4 + m];
      std::size_t changed = 0;
      for (std::size_t i = 0; i < 3; ++i) {
        const double width = spec.sweep[i].values[1] - spec.sweep[i].values[0];
        // On the grid of 4 levels, and a step of delta = 2/3 of the range.
        CHECK(std::fabs(std::round(after[i].second / width * 3) - after[i].second / width * 3) <
              1e-9);
        if (after[i].second == before[i].second) continue;
        ++changed;
        moved.insert(i);
        CHECK(std::fabs(std::fabs(after[i].second - before[i].second) - width * 2.0 / 3.0) < 1e-9);
      }
      CHECK(changed == 1);
    }
    CHECK(moved.size() == 3);  // every parameter once per trajectory
  }
  CHECK(sim::sweep_points(spec) == points);  // the same design from the same seed
}

TEST_CASE("elementary effects of a known function", "[unit][morris]") {
  // f = 3a + 0 b + (c - 1/2)^2 on a in [0, 2], b in [0, 10], c in [0, 1], 4 levels: a's effect
  // per whole range is 3 x 2 = 6 on every step; b has none; each step of c joins levels 1/3
  // apart from 1/2 in a way that makes |EE| = 1/3 exactly, with either sign.
  const auto spec = morris_spec(30, 4);
  const auto points = sim::sweep_points(spec);
  std::vector<std::vector<double>> values;
  std::vector<double> y;
  for (const auto& p : points) {
    values.push_back({p[0].second, p[1].second, p[2].second});
    y.push_back(3 * p[0].second + (p[2].second - 0.5) * (p[2].second - 0.5));
  }
  const auto m = analysis::morris_indices(values, y, 30, 4, {"a", "b", "c"});
  CHECK(m.mu_star[0] == Approx(6));
  CHECK(m.mu[0] == Approx(6));
  CHECK(m.sigma[0] == Approx(0).margin(1e-9));
  CHECK(m.mu_star[1] == 0);
  CHECK(m.mu_star[2] == Approx(1.0 / 3));
  CHECK(std::fabs(m.mu[2]) < 1.0 / 3);  // effects of both signs
  CHECK(m.sigma[2] > 0.1);
  CHECK(m.effects == std::vector<std::size_t>{30, 30, 30});
  // A missing output skips the two steps that touch it.
  y[5] = NAN;
  const auto skipped = analysis::morris_indices(values, y, 30, 4, {"a", "b", "c"});
  std::size_t used = 0;
  for (auto e : skipped.effects) used += e;
  CHECK(used == 88);
  // A file whose steps do not follow the design is refused.
  values[1] = values[0];
  CHECK_THROWS_AS(analysis::morris_indices(values, y, 30, 4, {"a", "b", "c"}), analysis::BadInput);
}
