// §4.7 accountability (accountability.cpp): departments scored on what call-backs caught close
// falsely less, from the first score on.
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("accountability lowers false closures only after departments are scored",
          "[validation][switch:closed_loop][mechanism:accountability]") {
  gov::Scenario s = test::small_city(60);
  s.run.warmup_days = 0;
  s.policies.closed_loop.enabled = true;
  s.policies.closed_loop.callback_share = 1.0;
  s.policies.closed_loop.accountability_strength = 0.0;
  const test::Outcome without = test::run(s, true);
  s.policies.closed_loop.accountability_strength = 1.0;
  s.policies.closed_loop.scoring_period_days = 30;
  s.policies.closed_loop.accountability_adjustment = 1.0;
  const test::Outcome with = test::run(s, true);
  auto daily = [](const test::Outcome& r, int from, int to) {
    for (const auto& v : r.rec.variables) {
      if (v.name != "city_falsely_closed") continue;
      double sum = 0;
      for (int d = from; d < to; ++d) sum += v.data[static_cast<std::size_t>(d)];
      return sum;
    }
    return -1.0;
  };
  // Before the first score (day 30) departments behave as without accountability; after it
  // they close falsely far less often.
  CHECK(daily(with, 0, 30) == Approx(daily(without, 0, 30)).epsilon(0.1));
  CHECK(daily(with, 31, 60) < 0.3 * daily(without, 31, 60));
}
