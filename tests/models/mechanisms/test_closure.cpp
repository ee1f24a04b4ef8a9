// §4.7 closure and the loop (closure.cpp): false closures caught by call-backs, unmeetable demands
// explained, supervision raising overdue jobs (P7).
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("call-back verification catches false closures",
          "[validation][switch:closed_loop][mechanism:closure]") {
  gov::Scenario s = test::mechanism_base();
  const test::Outcome before = test::run(s);
  s.policies.closed_loop.enabled = true;
  s.policies.closed_loop.callback_share = 1.0;
  s.policies.closed_loop.accountability_strength = 0.0;  // isolate verification from deterrence
  const test::Outcome after = test::run(s);
  CHECK(before.t("false_closures_caught") == 0);
  CHECK(after.t("false_closures_caught") > 0.9 * after.t("falsely_closed") - 50);
  CHECK(after.s("resolution_rate") > before.s("resolution_rate") + 0.05);
  // Accountability acts through periodic scoring: weekly, closing the whole gap at each score.
  s.policies.closed_loop.accountability_strength = 1.0;
  s.policies.closed_loop.scoring_period_days = 7;
  s.policies.closed_loop.accountability_adjustment = 1.0;
  const test::Outcome deterred = test::run(s);
  CHECK(deterred.t("falsely_closed") < 0.5 * after.t("falsely_closed"));
}

TEST_CASE("unmeetable demands are explained, not solved, and lower satisfaction",
          "[validation][mechanism:closure]") {
  gov::Scenario s = test::small_city(40);
  s.residents.judgement_unmeetable = 0.3;  // an explanation satisfies less often than a solution
  for (auto& d : s.domains) d.unmeetable_share = 0.0;
  const test::Outcome none = test::run(s, true);
  for (auto& d : s.domains) d.unmeetable_share = 0.3;
  const test::Outcome some = test::run(s, true);
  CHECK(none.s("unmeetable_share") == 0.0);
  CHECK(some.s("unmeetable_share") > 0.1);
  CHECK(some.s("resolution_rate") < none.s("resolution_rate") - 0.1);
  CHECK(some.s("satisfaction_rate") < none.s("satisfaction_rate") - 0.05);
}

TEST_CASE("supervision under resource sinking raises the job in the queue that holds it",
          "[validation][switch:resource_sinking][mechanism:closure]") {
  // Posted street teams make a part's queue depend on queue lengths at dispatch: the raise must
  // use the unit the part remembers (expedite() throws when the job is not there).
  gov::Scenario s = test::small_city(40);
  s.policies.resource_sinking.share = 0.3;
  s.policies.closed_loop.enabled = true;
  s.policies.whistle.enabled = true;
  s.policies.whistle.triggers = {"escalated"};
  for (auto& d : s.domains) d.time_limit_h = 24.0;  // many overdue issues to flag
  const test::Outcome r = test::run(s, true);
  CHECK(r.t("supervision_flags") > 100);
  // Most flagged issues wait in a queue; each of those must be raised.
  CHECK(r.t("expedited") > 0.5 * r.t("supervision_flags"));
}
