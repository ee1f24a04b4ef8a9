// MODEL.md §4.7, P7 accountability: departments are scored periodically (monthly by default) on
// what the call-backs caught, and adjust their false-closure behaviour with a lag. A department
// that sees a share r of its false closures caught moves its false-closure chance toward
// base x (1 - accountability_strength x r) by accountability_adjustment of the gap per period.
// Without call-backs nothing is caught and nothing changes: the effect runs through the loop.
#include <algorithm>

#include "models/mechanisms/mechanisms.hpp"

namespace gov {

void score_departments(World& w, int day) {
  const ClosedLoop& loop = w.scenario.policies.closed_loop;
  if (!loop.enabled || day == 0 || day % static_cast<int>(loop.scoring_period_days) != 0) return;
  Accountability& a = w.accountability;
  for (std::size_t d = 0; d < a.false_closure_prob.size(); ++d) {
    if (a.false_closures[d] > 0) {
      const double caught_share = std::min(1.0, a.caught[d] / a.false_closures[d]);
      const double target = w.department_list[d].false_closure_prob *
                            (1.0 - loop.accountability_strength * caught_share);
      a.false_closure_prob[d] +=
          loop.accountability_adjustment * (target - a.false_closure_prob[d]);
    }
    a.false_closures[d] = a.caught[d] = 0;
  }
}

}  // namespace gov
