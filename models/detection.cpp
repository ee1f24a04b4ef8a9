// MODEL.md §4.2 Detection: resident reports, grid patrols, latent issues that are dropped.
#include <algorithm>
#include <cmath>

#include <tbb/parallel_for.h>

#include "models/mechanisms.hpp"

namespace gov {

void on_arise(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  DistrictDay& day = w.tally(is.community);
  day.add(Count::Arising);
  if (is.origin == Origin::Cascade) day.add(Count::SpawnedByCascade);
  w.arisen_by_domain[is.domain] += 1;
  CommunityState& cs = w.communities[is.community];
  if (cs.arisen_today[is.domain] < 65535) ++cs.arisen_today[is.domain];
  w.enter_open_stock(is);
  const DomainSettings& ds = w.domain(is.domain);
  w.schedule(idx, EventKind::Escalate, t + ds.escalation_limit_h);
  auto rng = w.rng(Purpose::Detection, is.key);
  const bool reports = rng.bernoulli(report_probability(w, is));
  const double delay =
      rng.exponential(1.0 / std::max(1e-9, w.scenario.hotline.report_delay_mean_h));
  const double give_up = rng.exponential(1.0 / std::max(1e-9, ds.latent_giveup_mean_days * 24.0));
  if (reports) w.schedule(idx, EventKind::ReportCall, t + delay);
  w.schedule(idx, EventKind::GiveUp, t + give_up);
  cs.latent.push_back({idx, is.key});
}

void run_patrols(World& w, int day) {
  const auto& g = w.scenario.grid;
  const std::size_t nc = w.city.communities.size();
  std::vector<std::vector<std::pair<std::uint32_t, double>>> found(nc);
  const double t0 = day * 24.0;
  tbb::parallel_for(std::size_t{0}, nc, [&](std::size_t c) {
    CommunityState& cs = w.communities[c];
    // Forget issues that left the latent state (reported, dropped, or slot reused).
    std::erase_if(cs.latent, [&](const CommunityState::LatentRef& r) {
      const Issue& is = w.issues[r.issue];
      return is.key != r.key || is.state != IssueState::Latent;
    });
    if (cs.latent.empty()) return;
    auto rng = w.rng(Purpose::Patrol, c, static_cast<std::uint64_t>(day));
    // Grid workers scale with the population simulated, like every other capacity.
    const double capacity_f = g.workers_per_cell * g.finds_per_worker_per_day *
                              w.city.communities[c].cells * w.scenario.population.scale;
    auto capacity = static_cast<std::uint64_t>(capacity_f);
    if (rng.bernoulli(capacity_f - std::floor(capacity_f))) ++capacity;
    for (const auto& r : cs.latent) {
      if (capacity == 0) break;
      const Issue& is = w.issues[r.issue];
      if (is.t_arise >= t0) continue;  // arises later today
      if (rng.bernoulli(w.domain(is.domain).patrol_visibility)) {
        // Filed during working hours, 08:00-18:00.
        found[c].emplace_back(r.issue, t0 + 8.0 + 10.0 * rng.uniform());
        --capacity;
      }
    }
  });
  for (std::size_t c = 0; c < nc; ++c) {
    for (const auto& [idx, t] : found[c]) w.schedule(idx, EventKind::GridFile, t);
  }
}

void on_grid_file(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (!is_open(is.state)) return;
  const auto district = w.city.communities[is.community].district;
  const bool integrated =
      w.scenario.policies.hotline_grid_integration.enabled && w.in_force(district, t);
  if (is.state != IssueState::Latent) {
    // Already in the system through the hotline: a second channel's duplicate.
    w.tally(is.community).add(Count::DuplicateReports);
    if (!integrated) file_duplicate_work_order(w, idx, t);
    return;
  }
  is.grid_found = true;
  is.t_report = t;
  w.tally(is.community).add(Count::Discovered);
  if (integrated) {
    auto rng = w.rng(Purpose::Detection, is.key, 1);
    if (is.severity == Severity::Minor && rng.bernoulli(w.scenario.grid.on_the_spot_skill)) {
      is.state = IssueState::OnSpot;
      is.t_close = t;
      w.tally(is.community).add(Count::ClosedOnSpot);
      note_response(w, is, t);
      note_resolution(w, is, t);
      w.leave_open_stock(is);
      record_outcome(w, idx, 1.0);
      log_issue(w, is);
      return;
    }
    intake_complete(w, idx, t);
    return;
  }
  // Siloed: the street office re-keys the grid report into the dispatch system.
  is.state = IssueState::Intake;
  w.schedule(idx, EventKind::Dispatch, t + w.scenario.grid.rekey_delay_h, 0xFF);
}

void on_give_up(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (is.state != IssueState::Latent) return;
  is.state = IssueState::Dropped;
  is.t_close = t;
  w.tally(is.community).add(Count::Dropped);
  w.leave_open_stock(is);
  log_issue(w, is);
}

}  // namespace gov
