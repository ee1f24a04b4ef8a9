// §4.3 intake (hotline.cpp): duplicates and re-keying, removed by hotline-grid integration (P3).
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("hotline-grid integration removes duplicate handling and re-keying delay",
          "[validation][switch:hotline_grid_integration][mechanism:hotline]") {
  gov::Scenario s = test::mechanism_base();
  const test::Outcome before = test::run(s);
  s.policies.hotline_grid_integration.enabled = true;
  const test::Outcome after = test::run(s);
  CHECK(before.t("duplicate_work_orders") > 100);
  CHECK(after.t("duplicate_work_orders") < 0.3 * before.t("duplicate_work_orders"));
  CHECK(after.t("closed_on_spot") > 0);
  CHECK(after.s("time_to_response_mean_h") < 0.8 * before.s("time_to_response_mean_h"));
}
