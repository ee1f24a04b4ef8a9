// MODEL.md §4.6 Community settlement: minor issues of settleable domains are taken up by the
// community Party organisation's mediation (P1 multiplies its capacity) or by volunteers (P8). A
// demand that cannot be met under policy is not settled by mediation either: it goes on to the
// departments, which close it with an explanation.
#include "models/mechanisms/mechanisms.hpp"

namespace gov {

bool try_settle(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (is.severity != Severity::Minor || !w.domain(is.domain).settleable) return false;
  CommunityCapacity& cap = w.community_capacity[is.community];
  double success;
  if (cap.mediation_left_today >= 1.0) {
    cap.mediation_left_today -= 1.0;
    success = w.scenario.community.mediation_success;
    w.ledger.hours.party_members += w.scenario.community.mediation_hours_per_issue;
  } else if (cap.volunteer_left_today >= 1.0) {
    cap.volunteer_left_today -= 1.0;
    success = w.scenario.policies.social_participation.volunteer_skill;
    w.ledger.hours.volunteers += w.scenario.community.mediation_hours_per_issue;
  } else {
    return false;
  }
  auto rng = w.rng(Purpose::Settlement, is.key, is.reopened);
  const bool ok = rng.bernoulli(success) && !is.unmeetable;
  const double mean = w.scenario.community.settle_mean_h;
  const double done = t + (mean > 0 ? rng.exponential(1.0 / mean) : 0.0);
  move(w, idx, IssueState::Settling, t);
  note_response(w, is, t);
  w.schedule(idx, ok ? EventKind::SettlementSucceeded : EventKind::SettlementFailed, done);
  return true;
}

void on_settlement_done(World& w, std::uint32_t idx, bool success, double t) {
  if (success) {
    move(w, idx, IssueState::Settled, t);
  } else {
    start_handling(w, idx, t);
  }
}

void refresh_community_capacity(World& w, int day) {
  const auto& party = w.scenario.policies.party_leadership;
  const auto& social = w.scenario.policies.social_participation;
  const double t = day * 24.0;
  for (std::uint32_t c = 0; c < w.community_capacity.size(); ++c) {
    const Community& com = w.city.communities[c];
    CommunityCapacity& cap = w.community_capacity[c];
    const bool party_on = party.enabled && w.in_force(com.district, t);
    const double mediations = w.capacities.mediations_per_community_per_day *
                              (party_on ? party.capacity_multiplier : 1.0);
    auto rng = w.rng(Purpose::MediationCapacity, c, static_cast<std::uint64_t>(day));
    cap.mediation_left_today = whole_units(mediations, rng);
    cap.volunteer_left_today = 0;
    if (social.enabled && w.in_force(com.district, t)) {
      // Volunteers come from the residents simulated, so they scale with them already.
      const double volunteers =
          com.residents * w.scenario.population.volunteer_willingness * social.volunteer_share;
      cap.volunteer_left_today =
          whole_units(volunteers * social.issues_per_volunteer_per_week / 7.0, rng);
    }
  }
}

}  // namespace gov
