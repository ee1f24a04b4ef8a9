// MODEL.md §4.7 Closure and the loop (P7): false closures, call-back verification that reopens
// them, supervision of overdue issues, and accountability that lowers the false-closure chance.
#include <algorithm>

#include "models/mechanisms.hpp"

namespace gov {
namespace {

bool loop_in_force(const World& w, const Issue& is, double t) {
  return w.scenario.policies.closed_loop.enabled &&
         w.in_force(w.city.communities[is.community].district, t);
}

}  // namespace

void close_issue(World& w, std::uint32_t idx, std::uint16_t department, double t) {
  Issue& is = w.issues[idx];
  const auto& loop = w.scenario.policies.closed_loop;
  const bool looped = loop_in_force(w, is, t);
  // Accountability: departments that know closures are verified close falsely less often.
  double p_false = w.department_list[department].false_closure_prob;
  if (looped) p_false *= 1.0 - loop.accountability_strength * loop.callback_share;
  auto rng = w.rng(Purpose::Closure, is.key, is.reopened);
  is.false_closure = rng.bernoulli(p_false);
  is.state = IssueState::Closed;
  is.t_close = t;
  DistrictDay& day = w.tally(is.community);
  day.add(Count::Closed);
  w.leave_open_stock(is);
  if (is.false_closure) {
    day.add(Count::FalselyClosed);
    record_outcome(w, idx, 0.0);
  } else {
    const bool in_time = note_resolution(w, is, t);
    record_outcome(w, idx, in_time ? 1.0 : 0.5);
  }
  if (looped && rng.bernoulli(loop.callback_share)) {
    w.schedule(idx, EventKind::Callback, t + w.scenario.closure.callback_delay_h);
  } else {
    log_issue(w, is);
  }
}

void on_callback(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (is.state != IssueState::Closed) return;
  DistrictDay& day = w.tally(is.community);
  day.add(Count::Callbacks);
  w.hours.call_takers += w.scenario.hotline.intake_min / 60.0;
  if (!is.false_closure) {
    log_issue(w, is);
    return;
  }
  // Caught: reopened, supervised, and sent back to the department that closed it.
  day.add(Count::FalseClosuresCaught);
  day.add(Count::Reopened);
  is.false_closure = false;
  ++is.reopened;
  is.supervised = true;
  is.state = IssueState::InHandling;
  is.parts_done = 0;
  is.next_part = 0;
  is.tried_departments = 0;
  w.enter_open_stock(is);
  is.parts_requested = 0;
  if (is.whistled) {
    for (std::uint8_t p = 0; p < is.parts; ++p) request_part(w, idx, p, t);
  } else {
    request_part(w, idx, 0, t);
  }
}

void run_supervision(World& w, int day) {
  const auto& loop = w.scenario.policies.closed_loop;
  if (!loop.enabled) return;
  const double t = day * 24.0;
  std::vector<double> capacity(w.city.districts.size());
  for (std::size_t d = 0; d < capacity.size(); ++d) {
    if (!w.in_force(static_cast<std::uint32_t>(d), t)) continue;
    capacity[d] = loop.supervision_staff_per_district * w.scenario.population.scale *
                  w.scenario.closure.supervision_flags_per_staff_per_day;
    w.hours.supervisors += loop.supervision_staff_per_district * w.scenario.population.scale * 8.0;
  }
  for (std::uint32_t idx = 0; idx < w.issues.size(); ++idx) {
    Issue& is = w.issues[idx];
    if (is.state != IssueState::InHandling || is.supervised) continue;
    if (t - is.t_report <= w.domain(is.domain).time_limit_h) continue;
    const auto d = w.city.communities[is.community].district;
    if (capacity[d] < 1.0) continue;
    capacity[d] -= 1.0;
    is.supervised = true;
    w.tally(is.community).add(Count::SupervisionFlags);
    const auto unit =
        w.departments.unit_for(is.part_department[is.next_part], w.city.communities[is.community]);
    auto& queue = w.departments.units()[unit].queue;
    queue.raise_priority(job_id(JobKind::Work, idx, is.next_part), -3);
    queue.raise_priority(job_id(JobKind::MisrouteReview, idx, is.next_part), -3);
  }
}

}  // namespace gov
