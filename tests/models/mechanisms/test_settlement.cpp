// §4.6 community settlement (settlement.cpp): Party leadership (P1) and volunteers (P8) settle more
// in the community.
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("Party leadership settles more issues in the community",
          "[validation][switch:party_leadership][mechanism:settlement]") {
  gov::Scenario s = test::mechanism_base();
  s.community.mediation_capacity_per_day =
      0.05;  // scarce, so that capacity is what limits settlement
  const test::Outcome before = test::run(s);
  s.policies.party_leadership.enabled = true;
  s.policies.party_leadership.capacity_multiplier = 3;
  const test::Outcome after = test::run(s);
  CHECK(after.t("settled_in_community") > 1.5 * before.t("settled_in_community"));
}

TEST_CASE("volunteers settle minor issues and thicken ties",
          "[validation][switch:social_participation][mechanism:settlement]") {
  gov::Scenario s = test::mechanism_base();
  const test::Outcome before = test::run(s);
  s.policies.social_participation.enabled = true;
  s.policies.social_participation.volunteer_share = 0.5;
  const test::Outcome after = test::run(s);
  CHECK(after.t("settled_in_community") > 2.0 * before.t("settled_in_community") + 20);
  CHECK(after.s("settled_share") > before.s("settled_share"));
}
