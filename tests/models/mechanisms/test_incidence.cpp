// §4.1 incidence (incidence.cpp): prevention at hot spots (P9) and the open-issues feedback with
// its ceiling.
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("source governance lowers incidence at hot spots",
          "[validation][switch:source_governance][mechanism:incidence]") {
  gov::Scenario s = test::mechanism_base(60);
  const test::Outcome before = test::run(s);
  s.policies.source_governance.enabled = true;
  s.policies.source_governance.prevention_share = 0.2;
  s.policies.source_governance.hotspot_quantile = 0.5;
  const test::Outcome after = test::run(s);
  INFO("incidence " << before.s("incidence_per_1000_per_day") << " -> "
                    << after.s("incidence_per_1000_per_day"));
  CHECK(after.s("incidence_per_1000_per_day") < 0.95 * before.s("incidence_per_1000_per_day"));
}

TEST_CASE("open issues nearby raise incidence up to their ceiling and no further",
          "[validation][incidence][mechanism:incidence]") {
  gov::Scenario s = test::mechanism_base(60);
  s.incidence.unresolved_nearby_elasticity = 0;
  const test::Outcome none = test::run(s);
  // A strong feedback (an elasticity of about 0.1 and above grew the open stock without bound).
  s.incidence.unresolved_nearby_elasticity = 10;
  s.incidence.unresolved_nearby_max_multiplier = 3;
  const test::Outcome strong = test::run(s);
  // The ceiling bounds the residents' own issues; follow-on issues (cascades) come on top.
  const auto own = [](const test::Outcome& o) {
    return o.s("issues_per_day") - o.s("cascade_issues_per_day");
  };
  CHECK(own(strong) > 1.5 * own(none));
  CHECK(own(strong) < 3.15 * own(none));
  // A ceiling of 1 is no feedback at all: the same random world gives the same run.
  s.incidence.unresolved_nearby_max_multiplier = 1;
  const test::Outcome capped = test::run(s);
  CHECK(capped.t("arising") == none.t("arising"));
  CHECK(capped.s("resolution_rate") == none.s("resolution_rate"));
}
