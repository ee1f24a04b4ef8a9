// MODEL.md §4.3 Intake at the 12345 hotline centre, and duplicates (P3 hotline-grid integration).
#include <algorithm>
#include <cmath>

#include <tbb/parallel_for.h>

#include "models/mechanisms/mechanisms.hpp"
#include "sim/interval_sort.hpp"

namespace gov {
namespace {

double intake_h(const World& w) {
  return w.scenario.hotline.intake_min / 60.0;
}

void enqueue_intake(World& w, std::uint32_t idx, JobKind kind, double t) {
  ++w.issues[idx].pending;
  w.hotline.call_takers.arrive({job_id(kind, idx, 0), t, intake_h(w), 0});
}

bool integrated(const World& w, const Issue& is, double t) {
  return w.scenario.policies.hotline_grid_integration.enabled && w.in_force_for(is, t);
}

}  // namespace

void on_report_call(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (!is_open(is.state)) return;
  if (is.state != IssueState::Latent) {
    // Found by the grid first: the hotline takes the call all the same.
    w.tally(is.community).add(Count::DuplicateReports);
    enqueue_intake(w, idx, JobKind::DuplicateIntakeOtherChannel, t);
    return;
  }
  is.reported = true;
  is.t_report = t;
  move(w, idx, IssueState::Intake, t);
  w.tally(is.community).add(Count::Reported);
  enqueue_intake(w, idx, JobKind::ReportIntake, t);
  auto rng = w.rng(Purpose::Duplicates, is.key);
  const auto n = rng.poisson(w.domain(is.domain).duplicate_mean);
  for (std::uint64_t k = 0; k < n && k < 32; ++k) {
    w.schedule(idx, EventKind::DuplicateCall,
               t + rng.exponential(1.0 / std::max(1e-9, w.scenario.hotline.report_delay_mean_h)));
  }
}

void on_duplicate_call(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (!is_open(is.state) || is.state == IssueState::Latent) return;
  w.tally(is.community).add(Count::DuplicateReports);
  enqueue_intake(w, idx, JobKind::DuplicateIntakeSameChannel, t);
}

void on_rekey_done(World& w, std::uint32_t idx, double t) {
  if (w.issues[idx].state == IssueState::Intake) intake_complete(w, idx, t);
}

void draw_consultations(World& w, int day) {
  auto& per_tick = w.hotline.consultation_times_h;
  per_tick.resize(kTicksPerDay);
  const double tick_h = w.agenda.tick_h();
  tbb::parallel_for(0, kTicksPerDay, [&](int k) {
    const auto tick = static_cast<std::size_t>(day) * kTicksPerDay + static_cast<std::size_t>(k);
    auto rng = w.rng(Purpose::Consultations, 0, tick);
    const auto n = rng.poisson(w.hotline.consultations_per_hour * tick_h);
    const double t0 = static_cast<double>(tick) * tick_h;
    // Handed in in time order, so the call centre merges rather than sorts its arrivals; the
    // calls are alike, so their order among themselves is immaterial.
    auto& times = per_tick[static_cast<std::size_t>(k)];
    times.resize(n);
    for (double& t : times) t = t0 + tick_h * rng.uniform();
    std::vector<double> scratch;
    sim::sort_in_interval(
        times, t0, tick_h, [](double t) { return t; }, scratch);
  });
}

void hand_in_consultations(World& w, std::size_t tick) {
  // Consultations load call-takers but create no issue: the centre's silent jobs (world.cpp).
  for (const double t : w.hotline.consultation_times_h[tick % kTicksPerDay]) {
    w.hotline.call_takers.arrive_silent(t);
  }
}

void file_duplicate_work_order(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  const auto& owners = w.responsibility.owners(is.domain);
  if (owners.empty()) return;
  const std::uint16_t dep = is.attempts > 0 ? is.part_department[0] : owners.front().department;
  const auto unit = w.departments.unit_for(dep, w.city.communities[is.community]);
  auto rng = w.rng(Purpose::DuplicateService, is.key, static_cast<std::uint64_t>(t * 60));
  const DomainSettings& ds = w.domain(is.domain);
  w.tally(is.community).add(Count::DuplicateWorkOrders);
  w.enqueue(unit, {job_id(JobKind::DuplicateWork, idx, 0), t,
                   rng.lognormal_mean_cv(ds.service_mean_h, ds.service_cv) +
                       w.departments.units()[unit].travel_h,
                   2});
}

void advance_call_takers(World& w, double until_h) {
  w.hotline.events.clear();
  w.hotline.call_takers.advance(until_h, w.hotline.events);
}

void handle_intake_completions(World& w) {
  const auto& events = w.hotline.events;
  for (std::size_t k = 0; k < events.size(); ++k) {
    if (k + kIssueAhead < events.size()) w.prefetch_issue(job_issue(events[k + kIssueAhead].id));
    const sim::JobEvent& e = events[k];
    if (e.kind != sim::JobEvent::Kind::Completed) continue;
    const JobKind kind = job_kind(e.id);
    const std::uint32_t idx = job_issue(e.id);
    Issue& is = w.issues[idx];
    if (kind == JobKind::ReportIntake && is.state == IssueState::Intake) {
      auto rng = w.rng(Purpose::Intake, is.key);
      if (rng.bernoulli(w.scenario.hotline.classification_error)) {
        is.filed_domain =
            static_cast<std::uint8_t>((is.domain + 1 + rng.below(kDomainCount - 1)) % kDomainCount);
      }
      intake_complete(w, idx, e.time_h);
    } else if (kind != JobKind::ReportIntake && is_open(is.state)) {
      // Duplicates the centre fails to merge become extra work orders (duplicate handling).
      // A siloed centre cannot see grid reports, so it cannot merge a cross-channel duplicate.
      const double merge_share =
          integrated(w, is, e.time_h) ? w.scenario.policies.hotline_grid_integration.dedupe_share
          : kind == JobKind::DuplicateIntakeSameChannel ? w.scenario.hotline.dedupe_share
                                                        : 0.0;
      auto rng = w.rng(Purpose::Duplicates, is.key, 1 + static_cast<std::uint64_t>(e.time_h * 60));
      if (!rng.bernoulli(merge_share) && is.state == IssueState::InHandling) {
        file_duplicate_work_order(w, idx, e.time_h);
      }
    }
    w.release(idx);
  }
}

}  // namespace gov
