// §4.4 dispatch and routing (routing.cpp): misroutes and transfers of overlapping duties, removed
// by merging departments (P4).
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("merging overlapping departments removes their transfers and cuts waiting",
          "[validation][switch:department_integration][mechanism:routing]") {
  gov::Scenario s = test::mechanism_base();
  // Call-takers' classification errors, which merging does not touch, are held low so that the
  // misroutes from overlapping duties show.
  s.hotline.classification_error = 0.08;
  const test::Outcome before = test::run(s);
  s.policies.department_integration.merge_groups = {
      {"urban_management", "housing_construction", "ecology_environment"},
      {"transport", "public_security"}};
  const test::Outcome after = test::run(s);
  // Misroutes left are classification errors only.
  CHECK(after.s("misroutes_per_dispatched") < 0.5 * before.s("misroutes_per_dispatched"));
  CHECK(after.s("transfers_per_dispatched") < 0.5 * before.s("transfers_per_dispatched"));
  CHECK(after.s("department_wait_mean_h") < 0.95 * before.s("department_wait_mean_h"));
  CHECK(after.s("time_to_resolution_mean_h") < before.s("time_to_resolution_mean_h"));
}
