// MODEL.md §4.5 Cross-domain handling: sequential handoffs in the baseline (delay and stall), or
// the whistle (P6): the ladder grid -> community -> street -> departments summons every required
// department at once, each must start within the attendance limit, and parts run in parallel.
#include <algorithm>
#include <cmath>

#include "models/mechanisms.hpp"

namespace gov {
namespace {

constexpr int kLadderRungs =
    3;  // grid calls, community answers; community -> street; street -> departments

bool whistle_allowed(const World& w, const Issue& is, double t, std::string_view trigger) {
  const Whistle& wh = w.scenario.policies.whistle;
  if (!wh.enabled || is.whistled) return false;
  if (std::find(wh.triggers.begin(), wh.triggers.end(), trigger) == wh.triggers.end()) return false;
  if (!w.in_force(w.city.communities[is.community].district, t)) return false;
  return w.communities[is.community].whistles_left_this_week >= 1.0;
}

void blow(World& w, Issue& is) {
  is.whistled = true;
  w.communities[is.community].whistles_left_this_week -= 1.0;
  w.tally(is.community).add(Count::Whistles);
}

}  // namespace

void request_part(World& w, std::uint32_t idx, std::uint8_t part, double t) {
  Issue& is = w.issues[idx];
  // A part already summoned (or already handed on) must not be dispatched twice.
  if (is.parts_requested & (1u << part)) return;
  is.parts_requested = static_cast<std::uint8_t>(is.parts_requested | (1u << part));
  w.schedule(idx, EventKind::Dispatch, t, part);
}

bool try_whistle(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (is.parts < 2 || !whistle_allowed(w, is, t, "cross_domain")) return false;
  blow(w, is);
  const double arrive = t + kLadderRungs * w.scenario.policies.whistle.rung_delay_h;
  for (std::uint8_t p = 0; p < is.parts; ++p) request_part(w, idx, p, arrive);
  return true;
}

void whistle_on_escalation(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (is.state != IssueState::InHandling || !whistle_allowed(w, is, t, "escalated")) return;
  blow(w, is);
  // The part in hand is raised to the top ("escalate the call, leaders answer"); parts not yet
  // started are summoned now instead of waiting for their turn.
  const std::uint8_t p = is.next_part;
  const auto unit = w.departments.unit_for(is.part_department[p], w.city.communities[is.community]);
  auto& queue = w.departments.units()[unit].queue;
  queue.raise_priority(job_id(JobKind::Work, idx, p), -6);
  queue.raise_priority(job_id(JobKind::MisrouteReview, idx, p), -6);
  const double arrive = t + kLadderRungs * w.scenario.policies.whistle.rung_delay_h;
  for (std::uint8_t q = p + 1; q < is.parts; ++q) request_part(w, idx, q, arrive);
}

void on_part_done(World& w, std::uint32_t idx, std::uint8_t part, double t) {
  Issue& is = w.issues[idx];
  if (is.state != IssueState::InHandling) return;
  ++is.parts_done;
  is.tried_departments = 0;
  if (is.parts_done >= is.parts) {
    close_issue(w, idx, is.part_department[part], t);
    return;
  }
  if (is.whistled) return;  // the other parts are under way in parallel
  auto rng = w.rng(Purpose::Handoff, is.key, part);
  const auto& r = w.scenario.routing;
  double delay = r.handoff_delay_h;
  if (rng.bernoulli(r.stall_probability)) delay += r.stall_delay_h;
  request_part(w, idx, static_cast<std::uint8_t>(part + 1), t + delay);
}

void refresh_whistle_quota(World& w, int day) {
  if (day % 7 != 0) return;
  const Whistle& wh = w.scenario.policies.whistle;
  const auto& party = w.scenario.policies.party_leadership;
  for (std::size_t c = 0; c < w.communities.size(); ++c) {
    const auto district = w.city.communities[c].district;
    const bool party_on = party.enabled && w.in_force(district, day * 24.0);
    w.communities[c].whistles_left_this_week =
        wh.quota_per_community_per_week * (party_on ? party.capacity_multiplier : 1.0);
  }
}

}  // namespace gov
