// §4.2 detection (detection.cpp): grid patrols bound by patrol time at any scale, and on-the-spot
// fixes on the integrated platform.
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("grid patrols find issues in proportion to patrol time, at any population scale",
          "[validation][detection][mechanism:detection]") {
  // Capacity-bound (few finds per worker) and visibility-bound (many) patrols, each at a tenth
  // and at the whole of the small city: finds per resident must agree, because a community's
  // unused patrol time is carried over (detection.cpp) instead of lost on quiet days.
  auto finds_per_resident = [](double finds_per_worker, double scale) {
    gov::Scenario s = test::mechanism_base(90);
    s.grid.finds_per_worker_per_day = finds_per_worker;
    s.population.scale = scale;
    return test::run(s).t("discovered") / scale;
  };
  const double scarce_small = finds_per_resident(0.05, 0.1);
  const double scarce_full = finds_per_resident(0.05, 1.0);
  const double ample_small = finds_per_resident(1.0, 0.1);
  const double ample_full = finds_per_resident(1.0, 1.0);
  CHECK(scarce_small == Approx(scarce_full).epsilon(0.15));
  CHECK(ample_small == Approx(ample_full).epsilon(0.15));
  // The mechanism moves the outcome: scarce patrol time finds much less.
  CHECK(scarce_full < 0.5 * ample_full);
}

TEST_CASE("grid patrols never find more than their patrol time allows",
          "[validation][detection][mechanism:detection]") {
  gov::Scenario s = test::mechanism_base(60);
  s.grid.finds_per_worker_per_day = 0.05;
  gov::GovernanceModel model(s);
  const auto rec = model.run();
  const auto& caps = model.world().capacities;
  const double finds = test::series_total(rec, "city_discovered");
  const double hours = caps.grid_worker_hours_per_day * static_cast<double>(s.run.days);
  // Finds paid from time not yet earned (a busy day overran) are repaid later: at the end of a
  // run, a couple of finds per community at most.
  const double carried =
      2.0 * caps.grid_hours_per_find * static_cast<double>(model.world().city.communities.size());
  CHECK(finds > 0.5 * hours / caps.grid_hours_per_find);  // time binds: most of it is used
  CHECK(finds * caps.grid_hours_per_find <= hours + carried);
}

TEST_CASE("on-the-spot closures take patrol time, can be false and are caught by call-backs",
          "[validation][mechanism:detection]") {
  gov::Scenario s = test::small_city(40);
  s.policies.hotline_grid_integration.enabled = true;
  // Patrol time, not sight, limits finds: 8 h a find, 16 h of patrol a community a day, and
  // few issues reported, so the latent pool stays full.
  for (auto& d : s.domains) {
    d.patrol_visibility = 0.5;
    d.report_propensity = 0.1;
  }
  s.grid.finds_per_worker_per_day = 1.0;
  s.grid.workers_per_cell = 0.4;
  s.grid.on_the_spot_skill = 1.0;
  s.grid.on_the_spot_h = 0.0;
  s.grid.on_the_spot_false_closure_prob = 0.0;
  const test::Outcome free_fix = test::run(s, true);
  CHECK(free_fix.t("closed_on_spot") > 50);
  CHECK(free_fix.t("falsely_closed") < free_fix.t("closed"));  // departments' only
  // Fixing takes patrol time: at 8 h a fix a worker who fixes finds nothing else that day, so
  // fewer issues are found and they wait longer to be found.
  s.grid.on_the_spot_h = 8.0;
  const test::Outcome slow_fix = test::run(s, true);
  INFO("on the spot " << free_fix.t("closed_on_spot") << " -> " << slow_fix.t("closed_on_spot"));
  INFO("detection " << free_fix.s("time_to_detection_mean_h") << " h -> "
                    << slow_fix.s("time_to_detection_mean_h") << " h");
  INFO("found " << free_fix.t("discovered") << " -> " << slow_fix.t("discovered"));
  CHECK(slow_fix.t("discovered") < 0.9 * free_fix.t("discovered"));
  CHECK(slow_fix.s("time_to_detection_mean_h") > 1.05 * free_fix.s("time_to_detection_mean_h"));
  // False on-the-spot closures are caught by call-backs like any closure.
  s.grid.on_the_spot_h = 0.5;
  s.grid.on_the_spot_false_closure_prob = 0.5;
  for (auto& d : s.departments) d.false_closure_prob = 0.0;
  s.policies.closed_loop.enabled = true;
  s.policies.closed_loop.callback_share = 1.0;
  const test::Outcome caught = test::run(s, true);
  CHECK(caught.t("falsely_closed") > 0.3 * caught.t("closed_on_spot"));
  CHECK(caught.t("false_closures_caught") > 0.5 * caught.t("falsely_closed"));
}
