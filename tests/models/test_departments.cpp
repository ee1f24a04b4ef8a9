// Departments (departments.cpp): resource sinking posts staff to streets, saving travel at the cost
// of pooling.
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("resource sinking cuts travel but, with few posted staff, raises waiting",
          "[validation][switch:resource_sinking][departments]") {
  gov::Scenario s = test::mechanism_base();
  const test::Outcome before = test::run(s);
  s.policies.resource_sinking.share = 0.5;
  const test::Outcome after = test::run(s);
  INFO("busy hours per issue " << before.s("department_busy_hours_per_issue") << " -> "
                               << after.s("department_busy_hours_per_issue"));
  INFO("wait " << before.s("department_wait_mean_h") << " -> "
               << after.s("department_wait_mean_h"));
  // Street travel saves 0.7 h an issue: at least a seventh of the issues must go to posted teams.
  CHECK(after.s("department_busy_hours_per_issue") <
        before.s("department_busy_hours_per_issue") - 0.1);
  CHECK(after.s("department_wait_mean_h") > 1.2 * before.s("department_wait_mean_h"));
}
