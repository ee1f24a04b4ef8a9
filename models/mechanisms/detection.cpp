// MODEL.md §4.2 Detection: resident reports, grid patrols, latent issues that are dropped. On the
// integrated platform (P3) a patrolling grid worker may also fix a minor issue on the spot: that
// takes patrol time (fewer finds that day) and, like any closure, can be false.
#include <algorithm>
#include <cmath>

#include <tbb/parallel_for.h>

#include "models/mechanisms/mechanisms.hpp"

namespace gov {
namespace {

bool integrated(const World& w, std::uint32_t district, double t) {
  return w.scenario.policies.hotline_grid_integration.enabled && w.in_force(district, t);
}

// Patrol time a community's grid workers can carry over from quiet days: patrols are planned by
// the week, and a community with less than a find a week can still save up for one.
constexpr double kPatrolHoursKeptDays = 7.0;
constexpr double kPatrolFindsKept = 2.0;

}  // namespace

void on_arise(World& w, std::uint32_t idx, double t) {
  arise(w, idx, t);
  Issue& is = w.issues[idx];
  HotSpots& hs = w.hot_spots[is.community];
  if (hs.arisen_today[is.domain] < 65535) ++hs.arisen_today[is.domain];
  const DomainSettings& ds = w.domain(is.domain);
  w.schedule(idx, EventKind::Escalate, t + ds.escalation_limit_h);
  auto rng = w.rng(Purpose::Detection, is.key);
  const bool reports = rng.bernoulli(report_probability(w, is));
  const double delay =
      rng.exponential(1.0 / std::max(1e-9, w.scenario.hotline.report_delay_mean_h));
  const double give_up = rng.exponential(1.0 / std::max(1e-9, ds.latent_giveup_mean_days * 24.0));
  if (reports) w.schedule(idx, EventKind::ReportCall, t + delay);
  // A resident who calls before the issue would be given up takes it out of the latent state for
  // good (nothing returns to it), so that give-up could only find it gone: it is not scheduled.
  if (!reports || give_up < delay) w.schedule(idx, EventKind::GiveUp, t + give_up);
  w.patrols.latent[is.community].push_back({idx, is.key});
}

void run_patrols(World& w, int day) {
  const auto& g = w.scenario.grid;
  const std::size_t nc = w.city.communities.size();
  const double t0 = day * 24.0;
  const double per_find = w.capacities.grid_hours_per_find;
  tbb::parallel_for(std::size_t{0}, nc, [&](std::size_t c) {
    auto& latent = w.patrols.latent[c];
    // Forget issues that left the latent state (reported, dropped, or slot reused).
    std::erase_if(latent, [&](const LatentRef& r) {
      const Issue& is = w.issues[r.issue];
      return is.key != r.key || is.state != IssueState::Latent;
    });
    if (!std::isfinite(per_find)) return;
    auto rng = w.rng(Purpose::Patrol, c, static_cast<std::uint64_t>(day));
    const bool fixes = integrated(w, w.city.communities[c].district, t0);
    const auto fixable = [&](const Issue& is) {
      return fixes && is.severity == Severity::Minor && !is.unmeetable;
    };
    // The issues a patrol could see today, and the patrol time finding them all would take; the
    // visible ones are listed in the community's finds, which keep only those found below.
    auto& found = w.patrols.found[c];
    double hours_needed = 0;
    for (const auto& r : latent) {
      const Issue& is = w.issues[r.issue];
      if (is.t_arise >= t0) continue;  // arises later today
      if (!rng.bernoulli(w.domain(is.domain).patrol_visibility)) continue;
      found.push_back({r.issue, 0.0, false});
      hours_needed += per_find + (fixable(is) ? g.on_the_spot_skill * g.on_the_spot_h : 0.0);
    }
    // Patrol time unused on a quiet day is carried over (a week's worth, and at least two finds'
    // worth), and the time in hand is shared over the issues visible on a busy day: each is
    // found with the same chance, and what is found is paid from it. Spending each day's time on
    // that day's issues alone loses it on quiet days, and in a scaled-down city, where a
    // community's patrols have a fraction of a find a day, most days are quiet: grid finds per
    // resident would depend on the scale (docs/model-notes.md).
    double& banked = w.patrols.hours_banked[c];
    const double today = w.capacities.grid_hours_per_day[c];
    banked = std::min(banked + today,
                      std::max(kPatrolHoursKeptDays * today, kPatrolFindsKept * per_find));
    if (found.empty() || banked <= 0) {
      found.clear();
      return;
    }
    const double reach = std::min(1.0, banked / hours_needed);
    std::size_t kept = 0;
    for (const PatrolFind& visible : found) {
      if (!rng.bernoulli(reach)) continue;
      const Issue& is = w.issues[visible.issue];
      // Found during working hours, 08:00-18:00.
      const double t = t0 + 8.0 + 10.0 * rng.uniform();
      const bool fix =
          fixable(is) && w.rng(Purpose::OnTheSpot, is.key).bernoulli(g.on_the_spot_skill);
      banked -= per_find + (fix ? g.on_the_spot_h : 0.0);
      found[kept++] = {visible.issue, t, fix};
    }
    found.resize(kept);
  });
  for (auto& found : w.patrols.found) {
    for (const PatrolFind& f : found) {
      if (f.fix_on_spot) {
        w.schedule(f.issue, EventKind::GridFixedOnSpot, f.t + g.on_the_spot_h);
      } else {
        w.schedule(f.issue, EventKind::GridFile, f.t);
      }
    }
    found.clear();
  }
}

void on_grid_file(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (!is_open(is.state)) return;
  const bool siloed = !integrated(w, w.city.communities[is.community].district, t);
  if (is.state != IssueState::Latent) {
    // Already in the system through the hotline: a second channel's duplicate.
    w.tally(is.community).add(Count::DuplicateReports);
    if (siloed) file_duplicate_work_order(w, idx, t);
    return;
  }
  is.grid_found = true;
  is.t_report = t;
  w.tally(is.community).add(Count::Discovered);
  if (siloed) {
    // The street office re-keys the grid report into the dispatch system.
    move(w, idx, IssueState::Intake, t);
    w.schedule(idx, EventKind::RekeyDone, t + w.scenario.grid.rekey_delay_h);
    return;
  }
  intake_complete(w, idx, t);
}

void on_grid_fixed_on_spot(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  const double found_at = t - w.scenario.grid.on_the_spot_h;
  if (is.state != IssueState::Latent) {
    // A resident's report got there first: the worker's find is a duplicate like any other.
    on_grid_file(w, idx, found_at);
    return;
  }
  is.grid_found = true;
  is.t_report = found_at;
  w.tally(is.community).add(Count::Discovered);
  note_response(w, is, found_at);
  close_issue(w, idx, Closer::GridWorker, 0, t);
}

void on_give_up(World& w, std::uint32_t idx, double t) {
  if (w.issues[idx].state != IssueState::Latent) return;
  move(w, idx, IssueState::Dropped, t);
}

}  // namespace gov
