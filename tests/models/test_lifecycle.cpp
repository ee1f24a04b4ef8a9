// The issue lifecycle (lifecycle.cpp): outcomes come out of capacity, queues and residents'
// judgement.
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("halving department capacity lowers resolution and satisfaction",
          "[validation][lifecycle]") {
  gov::Scenario s = test::small_city(60);
  const test::Outcome full = test::run(s, true);
  for (auto& d : s.departments) {
    d.staff_per_100k *= 0.5;
    d.staff *= 0.5;
  }
  const test::Outcome half = test::run(s, true);
  INFO("resolution " << full.s("resolution_rate") << " -> " << half.s("resolution_rate"));
  INFO("satisfaction " << full.s("satisfaction_rate") << " -> " << half.s("satisfaction_rate"));
  CHECK(half.s("department_wait_mean_h") > 1.5 * full.s("department_wait_mean_h"));
  CHECK(half.s("open_share") > full.s("open_share") + 0.02);
  CHECK(half.s("resolution_rate") < full.s("resolution_rate") - 0.02);
  CHECK(half.s("satisfaction_rate") < full.s("satisfaction_rate") - 0.02);
  CHECK(half.s("resolved_within_limit_share") < full.s("resolved_within_limit_share"));
}
