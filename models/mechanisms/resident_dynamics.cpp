// MODEL.md §4.9 Residents' slow state (P11): own outcomes move satisfaction and trust; word of
// mouth spreads a community's experience to its neighbours; security falls with open safety
// issues nearby; residents move out and newcomers arrive with few ties.
#include <algorithm>
#include <array>
#include <cmath>

#include <tbb/parallel_for.h>

#include "models/mechanisms/mechanisms.hpp"

namespace gov {

namespace {

// Visits `count` residents of a community drawn at random, a batch at a time: each batch is
// drawn and its residents asked for (`prefetch`) before any is visited, so the cache misses of a
// batch overlap (residents are touched at random in arrays of millions). Visits keep the order
// of the draws, so a resident drawn twice is visited twice in the same order as one at a time.
template <class Prefetch, class Visit>
void visit_random_residents(const Community& com, sim::RandomStream& rng, std::uint64_t count,
                            Prefetch prefetch, Visit visit) {
  constexpr std::size_t kBatch = 16;
  std::array<std::size_t, kBatch> batch{};
  for (std::uint64_t k = 0; k < count; k += kBatch) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kBatch, count - k));
    for (std::size_t b = 0; b < n; ++b) {
      batch[b] = com.first_resident + rng.below(com.residents);
      prefetch(batch[b]);
    }
    for (std::size_t b = 0; b < n; ++b) visit(batch[b]);
  }
}

// A resident's own outcome (0..1) moves their satisfaction and trust and what their community
// hears.
void record_outcome(World& w, const Issue& is, double outcome) {
  const auto& cfg = w.scenario.residents;
  Residents& r = w.residents;
  const std::size_t i = is.resident;
  const double s = Residents::to_unit(r.satisfaction[i]);
  const double tr = Residents::to_unit(r.trust[i]);
  r.set_opinion(i, is.community,
                Residents::from_unit(tr + cfg.trust_learning_rate * (outcome - tr)),
                Residents::from_unit(s + cfg.satisfaction_learning_rate * (outcome - s)));
  CommunityOpinion& op = w.opinion[is.community];
  op.outcome_sum_today += outcome;
  op.outcomes_today += 1;
}

// The chance the resident is satisfied with their case as it now stands.
double judgement(const World& w, const Issue& is, double t) {
  const auto& cfg = w.scenario.residents;
  double p;
  switch (is.state) {
    case IssueState::ClosedTrue:
    case IssueState::Settled:
      // Guangdong's time limits run from receipt of the demand.
      p = t - is.t_report <= w.domain(is.domain).time_limit_h ? cfg.judgement_solved_in_time
                                                              : cfg.judgement_solved_late;
      break;
    case IssueState::Unmeetable:
      p = cfg.judgement_unmeetable;
      break;
    default:  // closed falsely or dropped: the problem is still there
      p = cfg.judgement_unsolved;
      break;
  }
  p -= cfg.judgement_penalty_per_transfer * is.transfers +
       cfg.judgement_penalty_per_reopening * is.reopened;
  return std::clamp(p, 0.0, 1.0);
}

}  // namespace

void judge_case(World& w, Issue& is, double t) {
  const double p = judgement(w, is, t);
  // A dropped issue was never in anyone's hands: no one asks the resident, who is not satisfied.
  is.satisfied = is.state != IssueState::Dropped &&
                 w.rng(Purpose::Judgement, is.key, is.reopened).bernoulli(p);
  DistrictDay& day = w.tally(is.community);
  if (is.state != IssueState::Dropped) day.add(Count::Judged);
  if (is.satisfied) day.add(Count::Satisfied);
  if (is.in_cohort && is.satisfied) w.ledger.cohort.satisfied += 1;
  record_outcome(w, is, p);
}

void withdraw_judgement(World& w, Issue& is) {
  if (is.in_cohort && is.satisfied) w.ledger.cohort.satisfied -= 1;
  is.satisfied = false;
}

double report_probability(const World& w, const Issue& is) {
  const auto& cfg = w.scenario.residents;
  const Residents& r = w.residents;
  const double trust = effective_trust(Residents::to_unit(r.trust[is.resident]),
                                       w.opinion[is.community].trust_index);
  const double trust_factor = trust / std::max(0.05, w.scenario.population.initial_trust);
  const double mean_ties = std::max(1e-9, w.scenario.population.mean_ties);
  const double tie_factor =
      1.0 - cfg.atomisation * (1.0 - std::min(1.0, r.ties[is.resident] / mean_ties));
  return std::clamp(w.domain(is.domain).report_propensity * trust_factor * tie_factor, 0.0, 1.0);
}

void daily_resident_step(World& w, int day) {
  const auto& cfg = w.scenario.residents;
  const auto& pop = w.scenario.population;
  const auto& social = w.scenario.policies.social_participation;
  const std::size_t nc = w.city.communities.size();
  const Adjacency& nb = w.city.community_neighbours;
  // Word of mouth reads yesterday's indices of neighbours, so it is computed into a copy.
  std::vector<double> next_trust(nc);
  tbb::parallel_for(std::size_t{0}, nc, [&](std::size_t c) {
    const CommunityOpinion& cs = w.opinion[c];
    double heard =
        cs.outcomes_today > 0 ? cs.outcome_sum_today / cs.outcomes_today : cs.trust_index;
    if (nb.degree(c) > 0) {
      double s = 0;
      for (const auto* j = nb.begin(c); j != nb.end(c); ++j) s += w.opinion[*j].trust_index;
      heard = 0.5 * heard + 0.5 * s / static_cast<double>(nb.degree(c));
    }
    next_trust[c] = cs.trust_index + cfg.word_of_mouth_rate_per_day * (heard - cs.trust_index);
  });
  tbb::parallel_for(std::size_t{0}, nc, [&](std::size_t c) {
    const Community& com = w.city.communities[c];
    CommunityOpinion& cs = w.opinion[c];
    cs.trust_index = next_trust[c];
    cs.outcome_sum_today = 0;
    cs.outcomes_today = 0;
    // Security: open public-safety issues per 1,000 residents here and next door.
    double open = w.stock.safety_issues[c], people = com.residents;
    for (const auto* j = nb.begin(c); j != nb.end(c); ++j) {
      open += w.stock.safety_issues[*j];
      people += w.city.communities[*j].residents;
    }
    cs.security = std::exp(-cfg.security_sensitivity * 1000.0 * open / std::max(1.0, people));
    if (com.residents == 0) return;
    // Mobility: movers are replaced by newcomers (few ties, default trust).
    auto rng = w.rng(Purpose::Mobility, c, static_cast<std::uint64_t>(day));
    const double hazard = com.residents * (com.floating_share * pop.floating_mobility_per_day +
                                           (1.0 - com.floating_share) * pop.local_mobility_per_day);
    const auto movers = rng.poisson(hazard);
    const auto replace = [&](std::size_t i) {
      replace_resident(w.residents, i, static_cast<std::uint32_t>(c), com, pop, w.seed,
                       static_cast<std::uint64_t>(day));
    };
    visit_random_residents(
        com, rng, movers, [&](std::size_t i) { w.residents.prefetch(i); }, replace);
    // Community activity (P8) builds ties.
    if (social.enabled && w.in_force(com.district, day * 24.0)) {
      auto trng = w.rng(Purpose::Ties, c, static_cast<std::uint64_t>(day));
      const auto gains = trng.poisson(com.residents * social.ties_gain_per_year / 365.0);
      auto& ties = w.residents.ties;
      visit_random_residents(
          com, trng, gains, [&](std::size_t i) { __builtin_prefetch(&ties[i], 1); },
          [&](std::size_t i) {
            if (ties[i] < 255) ++ties[i];
          });
    }
  });
}

}  // namespace gov
