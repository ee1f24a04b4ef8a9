// MODEL.md §4.5 Cross-domain handling: in the baseline the parts of an issue go from department to
// department one after another, each hand-off costing a delay and sometimes a stall; parts owned by
// one department (after merging, P4) need no hand-off. The whistle (P6): the ladder grid ->
// community -> street -> departments summons every required department at once, each must start
// within the attendance limit, and the parts run in parallel.
#include <algorithm>

#include "models/mechanisms/mechanisms.hpp"

namespace gov {
namespace {

constexpr int kLadderRungs = 3;  // grid calls, community answers; community -> street; -> depts

bool whistle_allowed(const World& w, const Issue& is, double t, std::string_view trigger) {
  const Whistle& wh = w.scenario.policies.whistle;
  if (!wh.enabled || is.whistled) return false;
  if (std::find(wh.triggers.begin(), wh.triggers.end(), trigger) == wh.triggers.end()) return false;
  if (!w.in_force_for(is, t)) return false;
  return w.whistles.left_this_week[is.community] >= 1.0;
}

double summoned_at(const World& w, double t) {
  return t + kLadderRungs * w.scenario.policies.whistle.rung_delay_h;
}

void blow(World& w, Issue& is) {
  is.whistled = true;
  w.whistles.left_this_week[is.community] -= 1.0;
  w.tally(is.community).add(Count::Whistles);
}

}  // namespace

void request_part(World& w, std::uint32_t idx, std::uint8_t part, double t) {
  Issue& is = w.issues[idx];
  if (is.part_state[part] != PartState::Waiting) return;  // summoned or handed on already
  move_part(is, part, PartState::Requested);
  w.schedule(idx, EventKind::Dispatch, t, part);
}

bool try_whistle(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (is.parts < 2 || !whistle_allowed(w, is, t, "cross_domain")) return false;
  blow(w, is);
  for (std::uint8_t p = 0; p < is.parts; ++p) request_part(w, idx, p, summoned_at(w, t));
  return true;
}

void whistle_on_escalation(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (is.state != IssueState::InHandling || !whistle_allowed(w, is, t, "escalated")) return;
  blow(w, is);
  // "Escalate the call, leaders answer": a part waiting in a queue goes to the top of the queue
  // that holds it; parts not yet started are summoned now instead of waiting for their turn.
  for (std::uint8_t p = 0; p < is.parts; ++p) {
    if (is.part_state[p] == PartState::Queued) expedite(w, idx, p, -6);
    if (is.part_state[p] == PartState::Waiting) request_part(w, idx, p, summoned_at(w, t));
  }
}

void on_part_started(World& w, std::uint32_t idx, std::uint8_t part, JobKind kind, double t) {
  Issue& is = w.issues[idx];
  move_part(is, part, PartState::InService);
  if (kind == JobKind::Work) note_response(w, is, t);
}

void on_part_done(World& w, std::uint32_t idx, std::uint8_t part, double t) {
  Issue& is = w.issues[idx];
  move_part(is, part, PartState::Done);
  is.tried_departments = 0;
  const std::uint16_t department = is.part_department[part];
  if (is.parts_done() == is.parts) {
    close_issue(w, idx, Closer::Department, department, t);
    return;
  }
  // The next part still waiting for its turn; under a whistle every part is already under way.
  std::uint8_t next = 0;
  while (next < is.parts && is.part_state[next] != PartState::Waiting) ++next;
  if (next == is.parts) return;
  if (responsible_department(w, is, next) == department) {
    request_part(w, idx, next, t);  // the same department carries on: no hand-off
    return;
  }
  w.tally(is.community).add(Count::Handoffs);
  if (is.handoffs < 255) ++is.handoffs;
  auto rng = w.rng(Purpose::Handoff, is.key, part);
  const auto& r = w.scenario.routing;
  double delay = r.handoff_delay_h;
  if (rng.bernoulli(r.stall_probability)) delay += r.stall_delay_h;
  request_part(w, idx, next, t + delay);
}

void refresh_whistle_quota(World& w, int day) {
  if (day % 7 != 0) return;
  const auto& party = w.scenario.policies.party_leadership;
  for (std::uint32_t c = 0; c < w.whistles.left_this_week.size(); ++c) {
    const bool party_on = party.enabled && w.in_force(w.city.communities[c].district, day * 24.0);
    const double quota =
        w.capacities.whistles_per_community_per_week * (party_on ? party.capacity_multiplier : 1.0);
    auto rng = w.rng(Purpose::WhistleQuota, c, static_cast<std::uint64_t>(day / 7));
    w.whistles.left_this_week[c] = whole_units(quota, rng);
  }
}

}  // namespace gov
