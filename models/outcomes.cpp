// MODEL.md §5 outcome bookkeeping shared by the mechanisms.
#include "models/outcomes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/mechanisms.hpp"

namespace gov {

const std::array<CountInfo, kCountSize>& count_info() {
  static const std::array<CountInfo, kCountSize> info = {{
      {"arising", "issues that arose"},
      {"reported", "issues first reported by a resident through the hotline"},
      {"discovered", "issues first found by a grid worker's patrol"},
      {"settled_in_community", "issues settled by community mediation or volunteers"},
      {"closed_on_spot", "minor issues closed on the spot by a grid worker (integrated platform)"},
      {"dispatched", "issues dispatched to a department for the first time"},
      {"closed", "closures by departments (true and false)"},
      {"resolved", "closures by departments that truly solved the issue"},
      {"falsely_closed", "closures by departments that did not solve the issue"},
      {"reopened", "false closures reopened after a call-back"},
      {"escalated", "issues that escalated (unresolved at their domain's limit)"},
      {"spawned_by_cascade", "issues that arose as follow-ons of an escalation"},
      {"dropped", "latent issues given up without being reported or found"},
      {"duplicate_reports", "extra reports of issues already in the system"},
      {"duplicate_work_orders", "duplicate reports that became extra work orders"},
      {"transfers", "misrouted issues sent back and dispatched again"},
      {"misroutes", "dispatches to a department that was not responsible"},
      {"whistles", "whistles blown (departments summoned)"},
      {"responses", "issues taken up for the first time (department or community)"},
      {"responded_within_limit", "responses within the response limit"},
      {"resolved_within_limit", "true resolutions within the domain's time limit"},
      {"satisfied", "issues truly resolved within the time limit (a satisfied resident)"},
      {"callbacks", "verification call-backs made"},
      {"false_closures_caught", "false closures caught by a call-back"},
      {"supervision_flags", "overdue issues flagged by supervisors"},
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

void note_response(World& w, Issue& is, double t) {
  if (is.t_response >= 0) return;
  is.t_response = t;
  DistrictDay& day = w.tally(is.community);
  const double took = t - is.t_report;
  day.add(Count::Responses);
  day.response_h_sum += took;
  w.response_times_h.push_back(took);
  if (took <= w.scenario.hotline.response_limit_h) day.add(Count::RespondedWithinLimit);
}

bool note_resolution(World& w, Issue& is, double t) {
  DistrictDay& day = w.tally(is.community);
  const double took = t - is.t_report;
  day.resolution_h_sum += took;
  w.resolution_times_h.push_back(took);
  if (is.state == IssueState::Closed) day.add(Count::Resolved);
  const bool in_time = took <= w.domain(is.domain).time_limit_h;
  if (in_time) {
    day.add(Count::ResolvedWithinLimit);
    day.add(Count::Satisfied);
  }
  return in_time;
}

void log_issue(World& w, const Issue& is) {
  const std::string& mode = w.scenario.run.issue_log;
  if (mode == "none") return;
  if (mode == "sampled" &&
      !w.rng(Purpose::IssueLog, is.key).bernoulli(w.scenario.run.issue_log_sample))
    return;
  w.issue_log.push_back({is.key, is.community, is.domain, static_cast<std::uint8_t>(is.origin),
                         static_cast<std::uint8_t>(is.severity),
                         static_cast<std::uint8_t>(is.state), is.transfers, is.parts,
                         is.false_closure, is.escalated, is.whistled, is.t_arise, is.t_report,
                         is.t_response, is.t_close});
}

}  // namespace gov
