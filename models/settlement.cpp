// MODEL.md §4.6 Community settlement: minor issues of settleable domains are taken up by the
// community Party organisation's mediation (P1 multiplies its capacity) or by volunteers (P8).
#include <cmath>

#include "models/mechanisms.hpp"

namespace gov {

bool try_settle(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (is.severity != Severity::Minor || !w.domain(is.domain).settleable) return false;
  CommunityState& cs = w.communities[is.community];
  double success;
  if (cs.mediation_left_today >= 1.0) {
    cs.mediation_left_today -= 1.0;
    success = w.scenario.community.mediation_success;
    w.hours.party_members += w.scenario.community.mediation_hours_per_issue;
  } else if (cs.volunteer_left_today >= 1.0) {
    cs.volunteer_left_today -= 1.0;
    success = w.scenario.policies.social_participation.volunteer_skill;
    w.hours.volunteers += w.scenario.community.mediation_hours_per_issue;
  } else {
    return false;
  }
  auto rng = w.rng(Purpose::Settlement, is.key, is.reopened);
  const bool ok = rng.bernoulli(success);
  const double mean = w.scenario.community.settle_mean_h;
  const double done = t + (mean > 0 ? rng.exponential(1.0 / mean) : 0.0);
  is.state = IssueState::Settling;
  note_response(w, is, t);
  w.schedule(idx, EventKind::SettlementDone, done, ok ? 1 : 0);
  return true;
}

void on_settlement_done(World& w, std::uint32_t idx, bool success, double t) {
  Issue& is = w.issues[idx];
  if (is.state != IssueState::Settling) return;
  if (!success) {
    is.state = IssueState::InHandling;
    if (!try_whistle(w, idx, t)) {
      is.parts_requested = 1;
      dispatch(w, idx, 0, t);
    }
    return;
  }
  is.state = IssueState::Settled;
  is.t_close = t;
  w.tally(is.community).add(Count::SettledInCommunity);
  w.leave_open_stock(is);
  const bool in_time = note_resolution(w, is, t);
  record_outcome(w, idx, in_time ? 1.0 : 0.5);
  log_issue(w, is);
}

void refresh_community_capacity(World& w, int day) {
  const auto& cfg = w.scenario.community;
  const auto& party = w.scenario.policies.party_leadership;
  const auto& social = w.scenario.policies.social_participation;
  const double t = day * 24.0;
  for (std::size_t c = 0; c < w.communities.size(); ++c) {
    const Community& com = w.city.communities[c];
    CommunityState& cs = w.communities[c];
    const bool party_on = party.enabled && w.in_force(com.district, t);
    // Capacities scale with the population simulated, so per-capita reach does not change.
    const double mediation = cfg.mediation_capacity_per_day * w.scenario.population.scale *
                             (party_on ? party.capacity_multiplier : 1.0);
    auto rng = w.rng(Purpose::MediationCapacity, c, static_cast<std::uint64_t>(day));
    cs.mediation_left_today =
        std::floor(mediation) + (rng.bernoulli(mediation - std::floor(mediation)) ? 1.0 : 0.0);
    cs.volunteer_left_today = 0;
    if (social.enabled && w.in_force(com.district, t)) {
      const double volunteers =
          com.residents * w.scenario.population.volunteer_willingness * social.volunteer_share;
      const double v = volunteers * social.issues_per_volunteer_per_week / 7.0;
      cs.volunteer_left_today = std::floor(v) + (rng.bernoulli(v - std::floor(v)) ? 1.0 : 0.0);
    }
  }
}

}  // namespace gov
