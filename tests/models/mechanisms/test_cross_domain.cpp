// §4.5 handling across departments (cross_domain.cpp): sequential hand-offs, merged owners and the
// whistle (P6).
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("the whistle cuts time to resolution of cross-domain issues",
          "[validation][switch:whistle][mechanism:cross_domain]") {
  gov::Scenario s = test::mechanism_base();
  const test::Outcome before = test::run(s);
  s.policies.whistle.enabled = true;
  s.policies.whistle.quota_per_community_per_week = 50;
  const test::Outcome after = test::run(s);
  CHECK(after.t("whistles") > 100);
  INFO("cross-domain resolution " << before.cross_domain_resolution_h << " h -> "
                                  << after.cross_domain_resolution_h << " h");
  CHECK(after.cross_domain_resolution_h < 0.7 * before.cross_domain_resolution_h);
}

TEST_CASE("merging departments removes hand-offs between parts they now both own",
          "[validation][switch:department_integration][mechanism:cross_domain]") {
  gov::Scenario s = test::small_city(40);
  for (auto& d : s.domains) d.cross_domain_share = 0.5;
  const test::Outcome apart = test::run(s, true);
  CHECK(apart.s("handoffs_per_dispatched") > 0.1);
  std::vector<std::string> all;
  for (const auto& d : s.departments) all.push_back(d.name);
  s.policies.department_integration.merge_groups = {all};  // one department owns every domain
  const test::Outcome merged = test::run(s, true);
  CHECK(merged.t("handoffs") == 0);
  CHECK(merged.s("time_to_resolution_mean_h") < apart.s("time_to_resolution_mean_h"));
}

TEST_CASE("the whistle quota scales with the population simulated",
          "[validation][mechanism:cross_domain]") {
  gov::Scenario s = test::small_city(42);
  for (auto& d : s.domains) d.cross_domain_share = 0.5;
  s.policies.whistle.enabled = true;
  s.policies.whistle.quota_per_community_per_week = 1.0;  // binding: far fewer than demanded
  s.population.scale = 1.0;
  const test::Outcome whole = test::run(s, true);
  s.population.scale = 0.5;
  const test::Outcome half = test::run(s, true);
  const double ratio = half.t("whistles") / whole.t("whistles");
  INFO("whistles " << whole.t("whistles") << " at scale 1, " << half.t("whistles") << " at 0.5");
  CHECK(whole.t("whistles") > 100);
  CHECK(ratio == Approx(0.5).margin(0.08));
}
