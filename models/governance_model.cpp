#include "models/governance_model.hpp"

#include <fmt/format.h>
#include <algorithm>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/mechanisms/mechanisms.hpp"
#include "models/outcomes/output_catalogue.hpp"
#include "sim/interval_sort.hpp"

namespace gov {
namespace {

// The phases of a day, in the order they run; `parallel` says the phase spreads its main work
// over threads (issue generation and patrols still allocate and schedule serially after it).
enum class Phase : std::size_t {
  DailyRefresh,
  Consultations,
  IssueGeneration,
  GridPatrols,
  Supervision,
  AgendaSort,
  Events,
  HotlineQueue,
  IntakeCompletions,
  DepartmentQueues,
  DepartmentCompletions,
  ResidentStep,
  HotSpots,
  Outcomes,
};

std::vector<sim::PhaseInfo> phase_table() {
  return {{"scoring, whistle quotas, community capacity", false},
          {"drawing the day's consultations", true},
          {"issue generation", true},
          {"grid patrols", true},
          {"closed-loop supervision", false},
          {"sorting each tick's events", true},
          {"event handlers", false},
          {"12345 call-takers' queue (with hand-in)", false},
          {"intake completions", false},
          {"department queues", true},
          {"department completions", false},
          {"residents' daily step", true},
          {"hot spots", false},
          {"daily outcomes", false}};
}

void lap(sim::PhaseClock& clock, Phase phase) {
  clock.lap(static_cast<std::size_t>(phase));
}

}  // namespace

GovernanceModel::GovernanceModel(const Scenario& scenario)
    : GovernanceModel(scenario, nullptr, std::chrono::steady_clock::now()) {}

GovernanceModel::GovernanceModel(const Scenario& scenario, const StartingPopulation& start)
    : GovernanceModel(scenario, &start, std::chrono::steady_clock::now()) {}

GovernanceModel::GovernanceModel(const Scenario& scenario, const StartingPopulation* start,
                                 std::chrono::steady_clock::time_point t0)
    : phases_(phase_table()) {
  if (start != nullptr && start->key != starting_population_key(scenario)) {
    throw std::logic_error(
        "GovernanceModel: the starting population was built for another city, "
        "population or seed");
  }
  StartingPopulation population = start ? *start : build_starting_population(scenario);
  w_ = std::make_unique<World>(scenario, std::move(population.city),
                               std::move(population.residents));
  w_->adoption_day = adoption_days(w_->city, scenario.policies.rollout);
  recorder_ = std::make_unique<OutcomeRecorder>(*w_, static_cast<int>(scenario.run.days));
  build_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

GovernanceModel::~GovernanceModel() = default;

sim::RunRecord GovernanceModel::run(const RunOptions& options) {
#ifndef NDEBUG
  check_ = true;
#else
  check_ = options.check_invariants;
#endif
  const auto start = std::chrono::steady_clock::now();
  sim::EngineOptions eo;
  eo.days = static_cast<int>(w_->scenario.run.days);
  eo.ticks_per_day = kTicksPerDay;
  eo.on_day_done = options.on_day_done;
  phases_.restart();
  sim::run(*this, eo);
  log_remaining_issues();
  sim::RunRecord rec = recorder_->to_record(*w_);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const World& w = *w_;
  rec.attributes = {{"scenario", w.scenario.name},
                    {"seed", std::to_string(w.scenario.run.seed)},
                    {"days", std::to_string(w.scenario.run.days)},
                    {"residents", std::to_string(w.city.residents())},
                    // Shortest exact text: stored as a number in results files, whatever the value.
                    {"build_seconds", fmt::format("{}", build_seconds_)},
                    {"run_seconds", fmt::format("{}", secs)}};
  rec.numeric_attributes = {"seed", "days", "residents", "build_seconds", "run_seconds"};
  const auto& log = w.ledger.issue_log;
  if (!log.empty()) {
    sim::Dimension issue{"issue", "", "logged issue (row)", {}, {}};
    for (std::size_t i = 0; i < log.size(); ++i) issue.values.push_back(static_cast<double>(i));
    rec.dimensions.push_back(issue);
    auto column = [&](const char* name, auto get) {
      std::vector<double> data;
      data.reserve(log.size());
      for (const auto& r : log) data.push_back(static_cast<double>(get(r)));
      rec.variables.push_back(declared_variable(name, std::move(data)));
    };
    column("issue_key_hi", [](const IssueLogRow& r) { return r.key >> 32; });
    column("issue_key_lo", [](const IssueLogRow& r) { return r.key & 0xFFFFFFFFu; });
    column("issue_community", [](const IssueLogRow& r) { return r.community; });
    column("issue_domain", [](const IssueLogRow& r) { return r.domain; });
    column("issue_origin", [](const IssueLogRow& r) { return r.origin; });
    column("issue_severity", [](const IssueLogRow& r) { return r.severity; });
    column("issue_state", [](const IssueLogRow& r) { return r.state; });
    column("issue_closer", [](const IssueLogRow& r) { return r.closer; });
    column("issue_transfers", [](const IssueLogRow& r) { return r.transfers; });
    column("issue_handoffs", [](const IssueLogRow& r) { return r.handoffs; });
    column("issue_parts", [](const IssueLogRow& r) { return r.parts; });
    column("issue_reopened", [](const IssueLogRow& r) { return r.reopened; });
    column("issue_unmeetable", [](const IssueLogRow& r) { return r.unmeetable; });
    column("issue_satisfied", [](const IssueLogRow& r) { return r.satisfied; });
    column("issue_escalated", [](const IssueLogRow& r) { return r.escalated; });
    column("issue_whistled", [](const IssueLogRow& r) { return r.whistled; });
    column("issue_t_arise", [](const IssueLogRow& r) { return r.t_arise; });
    column("issue_t_report", [](const IssueLogRow& r) { return r.t_report; });
    column("issue_t_response", [](const IssueLogRow& r) { return r.t_response; });
    column("issue_t_close", [](const IssueLogRow& r) { return r.t_close; });
  }
  return rec;
}

void GovernanceModel::begin_day(int day) {
  World& w = *w_;
  phases_.restart();  // the caller's time between days (progress reports) is not the model's
  score_departments(w, day);
  refresh_whistle_quota(w, day);
  refresh_community_capacity(w, day);
  lap(phases_, Phase::DailyRefresh);
  draw_consultations(w, day);
  lap(phases_, Phase::Consultations);
  generate_daily_issues(w, day);
  lap(phases_, Phase::IssueGeneration);
  run_patrols(w, day);
  lap(phases_, Phase::GridPatrols);
  run_supervision(w, day);
  lap(phases_, Phase::Supervision);
}

void GovernanceModel::run_tick(std::size_t tick, double t0_h, double t1_h) {
  World& w = *w_;
  w.agenda.start_tick(tick);
  lap(phases_, Phase::AgendaSort);
  hand_in_consultations(w, tick);
  lap(phases_, Phase::HotlineQueue);
  drain_events();
  lap(phases_, Phase::Events);
  advance_call_takers(w, t1_h);
  lap(phases_, Phase::HotlineQueue);
  handle_intake_completions(w);
  lap(phases_, Phase::IntakeCompletions);
  drain_events();
  lap(phases_, Phase::Events);
  w.departments.advance_all(t1_h);
  lap(phases_, Phase::DepartmentQueues);
  handle_unit_events(t0_h, t1_h);
  lap(phases_, Phase::DepartmentCompletions);
  drain_events();
  lap(phases_, Phase::Events);
}

void GovernanceModel::drain_events() {
  const World& w = *w_;
  Event e;
  while (w_->agenda.pop(e)) {
    if (const Event* next = w.agenda.upcoming(kIssueAhead)) w.prefetch_issue(next->issue);
    if (const Event* next = w.agenda.upcoming(kResidentAhead)) w.prefetch_resident_of(next->issue);
    handle(e);
  }
}

void GovernanceModel::handle(const Event& e) {
  World& w = *w_;
  if (w.issues[e.issue].key != e.key) throw std::logic_error("event refers to a released issue");
  switch (e.kind) {
    case EventKind::Arise:
      on_arise(w, e.issue, e.time_h);
      break;
    case EventKind::ReportCall:
      on_report_call(w, e.issue, e.time_h);
      break;
    case EventKind::DuplicateCall:
      on_duplicate_call(w, e.issue, e.time_h);
      break;
    case EventKind::GridFile:
      on_grid_file(w, e.issue, e.time_h);
      break;
    case EventKind::GridFixedOnSpot:
      on_grid_fixed_on_spot(w, e.issue, e.time_h);
      break;
    case EventKind::RekeyDone:
      on_rekey_done(w, e.issue, e.time_h);
      break;
    case EventKind::Dispatch:
      dispatch(w, e.issue, e.part, e.time_h);
      break;
    case EventKind::SettlementSucceeded:
      on_settlement_done(w, e.issue, true, e.time_h);
      break;
    case EventKind::SettlementFailed:
      on_settlement_done(w, e.issue, false, e.time_h);
      break;
    case EventKind::Callback:
      on_callback(w, e.issue, e.time_h);
      break;
    case EventKind::Escalate:
      on_escalate(w, e.issue, e.time_h);
      break;
    case EventKind::GiveUp:
      on_give_up(w, e.issue, e.time_h);
      break;
  }
  w.release(e.issue);
}

void GovernanceModel::handle_unit_events(double t0_h, double t1_h) {
  World& w = *w_;
  // Units ran in parallel; their events are merged here in one fixed order (time, unit, rank):
  // taken unit after unit, each unit's in its own order, then sorted by (time, place taken).
  unit_events_.clear();
  auto& units = w.departments.units();
  for (std::uint32_t u = 0; u < units.size(); ++u) {
    for (const auto& ev : units[u].events) {
      unit_events_.push_back({ev, u, static_cast<std::uint32_t>(unit_events_.size())});
    }
  }
  sim::sort_in_interval(
      unit_events_, t0_h, t1_h - t0_h, [](const UnitEvent& e) { return e.event.time_h; },
      unit_events_scratch_,
      [](const UnitEvent& a, const UnitEvent& b) {
        return a.event.time_h != b.event.time_h ? a.event.time_h < b.event.time_h : a.rank < b.rank;
      });
  for (std::size_t k = 0; k < unit_events_.size(); ++k) {
    if (k + kIssueAhead < unit_events_.size())
      w.prefetch_issue(job_issue(unit_events_[k + kIssueAhead].event.id));
    if (k + kResidentAhead < unit_events_.size())
      w.prefetch_resident_of(job_issue(unit_events_[k + kResidentAhead].event.id));
    const sim::JobEvent& ev = unit_events_[k].event;
    const std::uint32_t u = unit_events_[k].unit;
    const std::uint32_t idx = job_issue(ev.id);
    const JobKind kind = job_kind(ev.id);
    const std::uint8_t part = job_part(ev.id);
    const bool part_job = kind == JobKind::Work || kind == JobKind::MisrouteReview;
    if (ev.kind == sim::JobEvent::Kind::Started) {
      if (kind == JobKind::Work) {
        const auto dep = units[u].department;
        w.ledger.department_wait_h_today[dep] += ev.time_h - ev.arrival_h;
        w.ledger.department_starts_today[dep] += 1;
      }
      if (part_job) on_part_started(w, idx, part, kind, ev.time_h);
      continue;
    }
    if (kind == JobKind::Work) {
      on_part_done(w, idx, part, ev.time_h);
    } else if (kind == JobKind::MisrouteReview) {
      on_misroute_reviewed(w, idx, part, ev.time_h);
    }
    w.release(idx);
  }
}

void GovernanceModel::end_day(int day) {
  World& w = *w_;
  daily_resident_step(w, day);
  lap(phases_, Phase::ResidentStep);
  update_hotspots(w);
  lap(phases_, Phase::HotSpots);
  recorder_->end_day(w, day);
  lap(phases_, Phase::Outcomes);
  if (check_) check_invariants(day);
}

void GovernanceModel::log_remaining_issues() {
  World& w = *w_;
  std::vector<bool> free(w.issues.size(), false);
  for (auto idx : w.free_issues) free[idx] = true;
  // A follow-on issue due after the last day was allocated but never arose: it is no demand.
  const double end_h = static_cast<double>(w.scenario.run.days) * 24.0;
  for (std::uint32_t idx = 0; idx < w.issues.size(); ++idx) {
    if (!free[idx] && w.issues[idx].t_arise < end_h) log_issue(w, w.issues[idx]);
  }
}

void GovernanceModel::check_invariants(int day) const {
  const World& w = *w_;
  auto fail = [day](const std::string& what) {
    throw std::logic_error("invariant broken on day " + std::to_string(day) + ": " + what);
  };
  std::uint64_t open = 0;
  for (auto n : w.stock.issues) open += n;
  if (open != w.stock.total) fail("open stock differs from the sum over communities");
  // Stock and flow: open(d) = open(d-1) + arising + reopened - leaving.
  double stock_now = 0, stock_before = 0, inflow = 0, outflow = 0;
  for (std::size_t d = 0; d < w.city.districts.size(); ++d) {
    const OutcomeRecorder& r = *recorder_;
    stock_now += r.open_at_end(day, d);
    if (day > 0) stock_before += r.open_at_end(day - 1, d);
    inflow += r.count(day, d, Count::Arising) + r.count(day, d, Count::Reopened);
    outflow += r.count(day, d, Count::Closed) + r.count(day, d, Count::SettledInCommunity) +
               r.count(day, d, Count::ClosedOnSpot) + r.count(day, d, Count::Dropped);
  }
  if (stock_now != stock_before + inflow - outflow) fail("stock and flow do not balance");
  // The residents' kept totals are what a sweep over them gives.
  for (std::size_t c = 0; c < w.city.communities.size(); ++c) {
    if (w.residents.totals[c] != w.residents.sum_community(w.city.communities[c]))
      fail("residents' totals differ from their sum in community " + std::to_string(c));
  }
  // Every demand of the cohort is in exactly one state.
  const CohortLedger& cohort = w.ledger.cohort;
  double fates = 0;
  for (double n : cohort.by_state) {
    if (n < 0) fail("a cohort state holds a negative count");
    fates += n;
  }
  if (fates != cohort.arisen) fail("cohort fates do not add up to the demands that arose");
  if (cohort.satisfied < 0 || cohort.satisfied > cohort.arisen) fail("satisfied out of range");
  for (const auto& u : w.departments.units()) {
    if (u.queue.servers() >= 0 && u.queue.busy_servers() > u.queue.servers())
      fail("more busy servers than servers");
  }
  std::vector<bool> free(w.issues.size(), false);
  for (auto idx : w.free_issues) free[idx] = true;
  for (std::uint32_t idx = 0; idx < w.issues.size(); ++idx) {
    if (free[idx]) continue;
    const Issue& is = w.issues[idx];
    if (is.t_report >= 0 && is.t_report < is.t_arise) fail("reported before it arose");
    if (is.t_response >= 0 && is.t_response < is.t_report) fail("response before report");
    if (!is_open(is.state) && is.t_close >= 0 && is.t_close < is.t_arise)
      fail("closed before it arose");
    std::uint8_t active = 0;
    for (std::uint8_t p = 0; p < is.parts; ++p) {
      const PartState ps = is.part_state[p];
      const bool held = ps == PartState::Queued || ps == PartState::InService;
      if (held != (is.part_unit[p] != kNone)) fail("a part's unit disagrees with its state");
      if (ps != PartState::Waiting && ps != PartState::Done) ++active;
    }
    if (active > 0 && is.state != IssueState::InHandling)
      fail("a part is under way on an issue not in handling");
    if (is.state == IssueState::InHandling && active == 0 && is.parts_done() != is.parts)
      fail("an issue in handling has no part under way");
  }
}

}  // namespace gov
