// The issue lifecycle (lifecycle.hpp): every change of an issue's or a part's state goes through
// here, so the open stock, the per-demand fate ledger, the timing of responses and resolutions,
// and the resident's judgement of the case cannot drift apart.
#include <stdexcept>
#include <string>

#include "models/mechanisms/mechanisms.hpp"

namespace gov {
namespace {

[[noreturn]] void illegal(const Issue& is, std::string_view what, std::string_view from,
                          std::string_view to) {
  throw std::logic_error("issue " + std::to_string(is.key) + ": illegal " + std::string(what) +
                         " move from " + std::string(from) + " to " + std::string(to));
}

void enter_stock(World& w, const Issue& is) {
  ++w.stock.total;
  ++w.stock.issues[is.community];
  if (is.domain == kPublicSafety) ++w.stock.safety_issues[is.community];
}

void leave_stock(World& w, const Issue& is) {
  --w.stock.total;
  --w.stock.issues[is.community];
  if (is.domain == kPublicSafety) --w.stock.safety_issues[is.community];
}

// A true resolution: times from report and from arising, and whether within the time limit
// (Guangdong's limits run from receipt of the demand).
void note_resolution(World& w, const Issue& is, double t) {
  DistrictDay& day = w.tally(is.community);
  const double took = t - is.t_report;
  day.resolution_h_sum += took;
  w.ledger.times_today.resolution_from_report.push_back(took);
  w.ledger.times_today.resolution_from_arising.push_back(t - is.t_arise);
  if (took <= w.domain(is.domain).time_limit_h) day.add(Count::ResolvedWithinLimit);
}

}  // namespace

void arise(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  if (is.state != IssueState::Latent) illegal(is, "arise", kIssueStateNames[0], "latent");
  is.in_cohort = t >= static_cast<double>(w.scenario.run.warmup_days) * 24.0;
  if (is.in_cohort) {
    w.ledger.cohort.arisen += 1;
    w.ledger.cohort.by_state[static_cast<std::size_t>(IssueState::Latent)] += 1;
  }
  enter_stock(w, is);
  DistrictDay& day = w.tally(is.community);
  day.add(Count::Arising);
  if (is.origin == Origin::Cascade) day.add(Count::SpawnedByCascade);
  w.ledger.arisen_by_domain[is.domain] += 1;
}

void move(World& w, std::uint32_t idx, IssueState to, double t) {
  Issue& is = w.issues[idx];
  const IssueState from = is.state;
  if (!can_move(from, to)) {
    illegal(is, "issue", kIssueStateNames[static_cast<std::size_t>(from)],
            kIssueStateNames[static_cast<std::size_t>(to)]);
  }
  is.state = to;
  if (is.in_cohort) {
    w.ledger.cohort.by_state[static_cast<std::size_t>(from)] -= 1;
    w.ledger.cohort.by_state[static_cast<std::size_t>(to)] += 1;
  }
  DistrictDay& day = w.tally(is.community);
  if (from == IssueState::Latent && to != IssueState::Dropped) {
    w.ledger.times_today.detection.push_back(is.t_report - is.t_arise);
  }
  if (is_open(from) && !is_open(to)) {
    leave_stock(w, is);
    is.t_close = t;
  } else if (!is_open(from) && is_open(to)) {
    // Reopened after a call-back caught a false closure: the case is open again, unjudged.
    enter_stock(w, is);
    day.add(Count::Reopened);
    withdraw_judgement(w, is);
    return;
  }
  const bool by_grid = is.closer == Closer::GridWorker;
  switch (to) {
    case IssueState::ClosedTrue:
      day.add(by_grid ? Count::ClosedOnSpot : Count::Closed);
      day.add(Count::Resolved);
      note_resolution(w, is, t);
      judge_case(w, is, t);
      break;
    case IssueState::ClosedFalse:
      day.add(by_grid ? Count::ClosedOnSpot : Count::Closed);
      day.add(Count::FalselyClosed);
      judge_case(w, is, t);
      break;
    case IssueState::Unmeetable:
      day.add(Count::Closed);
      day.add(Count::ClosedUnmeetable);
      judge_case(w, is, t);
      break;
    case IssueState::Settled:
      day.add(Count::SettledInCommunity);
      note_resolution(w, is, t);
      judge_case(w, is, t);
      break;
    case IssueState::Dropped:
      day.add(Count::Dropped);
      judge_case(w, is, t);
      break;
    default:
      break;
  }
}

void move_part(Issue& is, std::uint8_t part, PartState to) {
  static constexpr std::string_view names[] = {"waiting", "requested", "queued", "in_service",
                                               "done"};
  const PartState from = is.part_state[part];
  if (part >= is.parts || !can_move(from, to)) {
    illegal(is, "part " + std::to_string(part), names[static_cast<std::size_t>(from)],
            names[static_cast<std::size_t>(to)]);
  }
  is.part_state[part] = to;
  if (to != PartState::Queued && to != PartState::InService) is.part_unit[part] = kNone;
}

void note_response(World& w, Issue& is, double t) {
  if (is.t_response >= 0) return;
  is.t_response = t;
  DistrictDay& day = w.tally(is.community);
  const double took = t - is.t_report;
  day.add(Count::Responses);
  day.response_h_sum += took;
  w.ledger.times_today.response_from_report.push_back(took);
  if (took <= w.scenario.hotline.response_limit_h) day.add(Count::RespondedWithinLimit);
}

void log_issue(World& w, const Issue& is) {
  const std::string& mode = w.scenario.run.issue_log;
  if (mode == "none") return;
  if (mode == "sampled" &&
      !w.rng(Purpose::IssueLog, is.key).bernoulli(w.scenario.run.issue_log_sample))
    return;
  w.ledger.issue_log.push_back(
      {is.key, is.community, is.domain, static_cast<std::uint8_t>(is.origin),
       static_cast<std::uint8_t>(is.severity), static_cast<std::uint8_t>(is.state),
       static_cast<std::uint8_t>(is.closer), is.transfers, is.handoffs, is.parts, is.reopened,
       is.escalated, is.whistled, is.unmeetable, is.satisfied, is.t_arise, is.t_report,
       is.t_response, is.t_close});
}

}  // namespace gov
