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

TEST_CASE("the per-problem push failure follows the call-takers' classification error",
          "[validation][mechanism:routing]") {
  // One push per problem (Sanya's ratio) against every push: re-dispatches after a transfer
  // mostly succeed, so the per-problem share is the larger; both rise with filing errors.
  gov::Scenario s = test::mechanism_base();
  s.hotline.classification_error = 0.05;
  const test::Outcome low = test::run(s);
  s.hotline.classification_error = 0.6;
  const test::Outcome high = test::run(s);
  for (const test::Outcome* o : {&low, &high}) {
    CHECK(o->s("first_push_failure_share") > o->s("push_failure_share"));
    CHECK(o->s("first_push_failure_share") <= o->s("misroutes_per_dispatched"));
  }
  // 55 points more wrong filings: each misroutes unless the wrong domain's owners include the
  // responsible department, so the share rises by less than 0.55 (here about 0.3).
  const double rise = high.s("first_push_failure_share") - low.s("first_push_failure_share");
  CHECK(rise > 0.2);
  CHECK(rise < 0.55);
}
