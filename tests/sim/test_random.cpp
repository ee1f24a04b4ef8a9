// Counter-based streams: pure functions of their key, with the right distributions.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/random.hpp"

namespace {

struct Moments {
  double mean = 0, var = 0;
};

template <class F>
Moments moments(int n, F draw) {
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw(i);
    s += x;
    s2 += x * x;
  }
  const double m = s / n;
  return {m, s2 / n - m * m};
}

}  // namespace

TEST_CASE("a stream is a pure function of (seed, purpose, entity, time)", "[unit][random]") {
  sim::RandomStream a(7, 1, 42, 3), b(7, 1, 42, 3);
  for (int i = 0; i < 100; ++i) REQUIRE(a.next_u64() == b.next_u64());
  sim::RandomStream other_purpose(7, 2, 42, 3), other_entity(7, 1, 43, 3), other_time(7, 1, 42, 4),
      other_seed(8, 1, 42, 3);
  const auto first = sim::RandomStream(7, 1, 42, 3).next_u64();
  CHECK(other_purpose.next_u64() != first);
  CHECK(other_entity.next_u64() != first);
  CHECK(other_time.next_u64() != first);
  CHECK(other_seed.next_u64() != first);
}

TEST_CASE("uniform, exponential and normal have their moments", "[unit][random]") {
  constexpr int n = 200000;
  sim::RandomStream r(1, 1, 1, 1);
  const auto u = moments(n, [&](int) { return r.uniform(); });
  CHECK(u.mean == Approx(0.5).margin(0.005));
  CHECK(u.var == Approx(1.0 / 12).margin(0.002));
  const auto e = moments(n, [&](int) { return r.exponential(2.0); });
  CHECK(e.mean == Approx(0.5).epsilon(0.01));
  CHECK(e.var == Approx(0.25).epsilon(0.03));
  const auto z = moments(n, [&](int) { return r.normal(); });
  CHECK(z.mean == Approx(0.0).margin(0.01));
  CHECK(z.var == Approx(1.0).epsilon(0.02));
  const auto ln = moments(n, [&](int) { return r.lognormal_mean_cv(3.0, 0.8); });
  CHECK(ln.mean == Approx(3.0).epsilon(0.02));
  CHECK(std::sqrt(ln.var) / ln.mean == Approx(0.8).epsilon(0.05));
}

TEST_CASE("Poisson draws have mean = variance = lambda, by inversion and by PTRS",
          "[unit][random]") {
  for (double lambda : {0.3, 4.0, 11.9, 12.5, 40.0, 1000.0}) {
    sim::RandomStream r(3, 9, static_cast<std::uint64_t>(lambda * 10), 0);
    const auto m = moments(200000, [&](int) { return static_cast<double>(r.poisson(lambda)); });
    INFO("lambda = " << lambda);
    CHECK(m.mean == Approx(lambda).epsilon(0.01).margin(0.005));
    CHECK(m.var == Approx(lambda).epsilon(0.03).margin(0.01));
  }
  sim::RandomStream r(3, 9, 1, 1);
  CHECK(r.poisson(0.0) == 0);
  CHECK(r.poisson(-1.0) == 0);
}

TEST_CASE("below(n) is uniform over 0..n-1", "[unit][random]") {
  sim::RandomStream r(5, 5, 5, 5);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) ++counts[r.below(7)];
  for (int c : counts) CHECK(c == Approx(10000).epsilon(0.05));
}
