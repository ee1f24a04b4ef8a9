// §4.8 escalation and cascades (escalation.cpp) against a Galton-Watson branching process: with
// every issue escalating once and Poisson(m) offspring, the mean total progeny of a root is
// 1 / (1 - m).
#include <catch2/catch.hpp>

#include "models/governance_model.hpp"
#include "tests/support.hpp"

namespace {

gov::Scenario galton_watson(double m) {
  gov::Scenario s = test::small_city(10);
  s.run.warmup_days = 0;
  s.incidence.active_days = 1;  // roots arise on day 0 only
  s.incidence.unresolved_nearby_elasticity = 0;
  for (auto& d : s.domains) {
    d.incidence_per_1000_per_day = 0;
    d.report_propensity = 0;  // nobody reports, nobody finds: every issue stays latent
    d.patrol_visibility = 0;
    d.latent_giveup_mean_days = 1e5;
    d.escalation_limit_h = 1;
  }
  // About 40,000 roots: the standard error of the mean progeny at m = 0.8 is then 1% of it.
  s.domains[0].incidence_per_1000_per_day = 84.0;
  s.cascades.coupling.assign(11, std::vector<double>(11, 0.0));
  s.cascades.coupling[0][0] = m;
  return s;
}

}  // namespace

TEST_CASE("mean cascade size is 1/(1-m) and the reported branching ratio is m",
          "[validation][cascades][mechanism:escalation]") {
  for (double m : {0.5, 0.8}) {
    gov::GovernanceModel model(galton_watson(m));
    const auto rec = model.run();
    const double total = test::series_total(rec, "city_arising");
    const double roots = total - test::series_total(rec, "city_spawned_by_cascade");
    double ratio = -1;
    for (const auto& sc : rec.summary) {
      if (sc.name == "branching_ratio") ratio = sc.value;
    }
    INFO("m = " << m << ", roots " << roots << ", total " << total);
    REQUIRE(roots > 30000);
    CHECK(total / roots == Approx(1.0 / (1.0 - m)).epsilon(0.03));
    CHECK(ratio == Approx(m).epsilon(0.01));
  }
}
