// MODEL.md §4.7 Closure and the loop (P7): a closure is true, false (the problem is still there)
// or, for a demand that cannot be met under policy, closed with an explanation. Where the loop is
// in force a share of closures is verified by a call-back, which reopens false ones whoever made
// them (departments or grid workers on the spot); overdue issues are flagged by supervisors.
#include "models/mechanisms/mechanisms.hpp"

namespace gov {
namespace {

bool loop_in_force(const World& w, const Issue& is, double t) {
  return w.scenario.policies.closed_loop.enabled && w.in_force_for(is, t);
}

}  // namespace

void close_issue(World& w, std::uint32_t idx, Closer by, std::uint16_t department, double t) {
  Issue& is = w.issues[idx];
  const bool looped = loop_in_force(w, is, t);
  is.closer = by;
  is.closing_department = department;
  const bool by_department = by == Closer::Department;
  if (by_department && is.unmeetable) {
    // Explained, not solved: the resident judges it, a call-back does not reopen it.
    move(w, idx, IssueState::Unmeetable, t);
  } else {
    const double p_false = by_department ? w.accountability.false_closure_prob[department]
                                         : w.scenario.grid.on_the_spot_false_closure_prob;
    const bool false_closure = w.rng(Purpose::Closure, is.key, is.reopened).bernoulli(p_false);
    if (by_department && looped && false_closure) w.accountability.false_closures[department] += 1;
    move(w, idx, false_closure ? IssueState::ClosedFalse : IssueState::ClosedTrue, t);
  }
  if (looped && w.rng(Purpose::Callback, is.key, is.reopened)
                    .bernoulli(w.scenario.policies.closed_loop.callback_share)) {
    w.schedule(idx, EventKind::Callback, t + w.scenario.closure.callback_delay_h);
  }
}

void on_callback(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  DistrictDay& day = w.tally(is.community);
  day.add(Count::Callbacks);
  w.ledger.hours.call_takers += w.scenario.hotline.intake_min / 60.0;
  if (is.state != IssueState::ClosedFalse) return;
  // Caught: reopened, supervised, and handled again from the first part.
  day.add(Count::FalseClosuresCaught);
  if (is.closer == Closer::Department) w.accountability.caught[is.closing_department] += 1;
  if (is.reopened < 255) ++is.reopened;
  is.supervised = true;
  is.tried_departments = 0;
  for (std::uint8_t p = 0; p < is.parts; ++p) {
    if (is.part_state[p] == PartState::Done) move_part(is, p, PartState::Waiting);
  }
  move(w, idx, IssueState::InHandling, t);
  if (is.whistled) {
    for (std::uint8_t p = 0; p < is.parts; ++p) request_part(w, idx, p, t);
  } else {
    request_part(w, idx, 0, t);
  }
}

void run_supervision(World& w, int day) {
  if (!w.scenario.policies.closed_loop.enabled) return;
  const double t = day * 24.0;
  std::vector<double> flags_left(w.city.districts.size(), 0.0);
  for (std::uint32_t d = 0; d < flags_left.size(); ++d) {
    if (!w.in_force(d, t)) continue;
    auto rng = w.rng(Purpose::SupervisionCapacity, d, static_cast<std::uint64_t>(day));
    flags_left[d] = whole_units(w.capacities.supervision_flags_per_district_per_day, rng);
    w.ledger.hours.supervisors += w.capacities.supervisors_per_district * 8.0;
  }
  for (std::uint32_t idx = 0; idx < w.issues.size(); ++idx) {
    Issue& is = w.issues[idx];
    if (is.state != IssueState::InHandling || is.supervised) continue;
    if (t - is.t_report <= w.domain(is.domain).time_limit_h) continue;
    double& left = flags_left[w.city.communities[is.community].district];
    if (left < 1.0) continue;
    left -= 1.0;
    is.supervised = true;
    w.tally(is.community).add(Count::SupervisionFlags);
    for (std::uint8_t p = 0; p < is.parts; ++p) expedite(w, idx, p, -3);
  }
}

}  // namespace gov
