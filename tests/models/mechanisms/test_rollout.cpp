// §4.10 rollout (rollout.cpp): policies spread from the core districts over the neighbour graph.
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

TEST_CASE("rollout reaches every district in hops / rate days",
          "[validation][switch:rollout][mechanism:rollout]") {
  gov::Scenario s = test::small_city(40);  // 4 districts on a 2 x 2 grid
  s.policies.rollout.enabled = true;
  s.policies.rollout.start_districts = {"D1"};
  s.policies.rollout.diffusion_rate_per_day = 0.1;
  s.policies.whistle.enabled = true;
  s.policies.whistle.quota_per_community_per_week = 50;
  gov::GovernanceModel model(s);
  const auto rec = model.run();
  const auto& days = model.world().adoption_day;
  CHECK(days[0] == 0.0);
  CHECK(days[1] == Approx(10.0));
  CHECK(days[2] == Approx(10.0));
  CHECK(days[3] == Approx(20.0));  // two hops from D1
  double full = -1;
  for (const auto& sc : rec.summary) {
    if (sc.name == "days_to_full_adoption") full = sc.value;
  }
  CHECK(full == Approx(20.0));
  // Before adoption the far district blows no whistle; after it, it does.
  double early = 0, late = 0;
  for (const auto& v : rec.variables) {
    if (v.name != "district_whistles") continue;
    for (int d = 0; d < 40; ++d)
      (d < 20 ? early : late) += v.data[static_cast<std::size_t>(d) * 4 + 3];
  }
  CHECK(early == 0);
  CHECK(late > 0);
}
