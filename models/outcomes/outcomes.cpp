// MODEL.md §5 outcome bookkeeping shared by the mechanisms.
#include "models/outcomes/outcomes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gov {

const std::array<CountInfo, kCountSize>& count_info() {
  static const std::array<CountInfo, kCountSize> info = {{
      {"arising", "issues that arose"},
      {"reported", "issues first reported by a resident through the hotline"},
      {"discovered", "issues first found by a grid worker's patrol"},
      {"settled_in_community", "issues settled by community mediation or volunteers"},
      {"closed_on_spot",
       "closures by grid workers on the spot (integrated platform; true or false)"},
      {"dispatched", "issues dispatched to a department for the first time"},
      {"closed", "closures by departments (true, false or unmeetable)"},
      {"resolved", "closures (by departments or on the spot) that truly solved the issue"},
      {"falsely_closed", "closures (department or on the spot) that did not solve the issue"},
      {"closed_unmeetable", "closures explaining that the demand cannot be met under policy"},
      {"reopened", "false closures reopened after a call-back"},
      {"escalated", "issues that escalated (unresolved at their domain's limit)"},
      {"spawned_by_cascade", "issues that arose as follow-ons of an escalation"},
      {"dropped", "latent issues given up without being reported or found"},
      {"duplicate_reports", "extra reports of issues already in the system"},
      {"duplicate_work_orders", "duplicate reports that became extra work orders"},
      {"transfers", "misrouted issues sent back and dispatched again"},
      {"misroutes", "dispatches to a department that was not responsible"},
      {"first_push_misroutes",
       "dispatched issues whose first dispatch went to a department not responsible"},
      {"pushes",
       "dispatches of a part to a department (first, after a transfer or hand-off, summoned)"},
      {"handoffs", "parts handed from one department to another (sequential handling)"},
      {"whistles", "whistles blown (departments summoned)"},
      {"responses", "issues taken up for the first time (department, community or grid worker)"},
      {"responded_within_limit", "responses within the response limit"},
      {"resolved_within_limit", "true resolutions within the domain's time limit"},
      {"judged", "cases judged by their resident (at every closure or settlement)"},
      {"satisfied", "judgements in which the resident was satisfied"},
      {"callbacks", "verification call-backs made"},
      {"false_closures_caught", "false closures caught by a call-back"},
      {"supervision_flags", "overdue issues flagged by supervisors"},
      {"expedited", "queued jobs moved ahead by supervision or an escalation whistle"},
  }};
  return info;
}

double quantile(std::vector<double>& sample, double q) {
  if (sample.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto k = static_cast<std::size_t>(std::clamp(q * static_cast<double>(sample.size() - 1),
                                                     0.0, static_cast<double>(sample.size() - 1)));
  std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(k), sample.end());
  return sample[k];
}

}  // namespace gov
