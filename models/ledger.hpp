#pragma once
// The one ledger every mechanism writes its counts, times and staff-hours to; OutcomeRecorder
// reads and resets the daily part at the end of each day. Per-demand fates (MODEL.md §5: every
// demand that arose is in the denominator of resolution and satisfaction) are kept here too.
#include <array>
#include <cstdint>
#include <vector>

#include "models/domains.hpp"
#include "models/lifecycle.hpp"
#include "models/outcomes/outcomes.hpp"

namespace gov {

struct StaffHours {
  double call_takers = 0, grid_workers = 0, department_staff = 0, supervisors = 0,
         party_members = 0, volunteers = 0, prevention = 0, borrowed_routine = 0;
};

struct IssueLogRow {
  std::uint64_t key;
  std::uint32_t community;
  std::uint8_t domain, origin, severity, state, closer, transfers, handoffs, parts, reopened;
  bool escalated, whistled, unmeetable, satisfied;
  double t_arise, t_report, t_response, t_close;
};

// The cohort: issues that arose after the warm-up. Each is counted in exactly one state at any
// time, so the fates add up to the cohort's size (a tested identity).
struct CohortLedger {
  std::array<double, kIssueStateCount> by_state{};
  double arisen = 0;
  double satisfied = 0;  // cases whose latest judgement was satisfied
  double in(IssueState s) const { return by_state[static_cast<std::size_t>(s)]; }
  double received() const { return arisen - in(IssueState::Latent)-in(IssueState::Dropped); }
  double resolved() const { return in(IssueState::ClosedTrue) + in(IssueState::Settled); }
  double open() const {
    return in(IssueState::Latent) + in(IssueState::Intake) + in(IssueState::Settling) +
           in(IssueState::InHandling);
  }
};

// Samples of times (hours) for the day's resolutions and responses.
struct TimeSamples {
  std::vector<double> response_from_report;
  std::vector<double> resolution_from_report;
  std::vector<double> resolution_from_arising;
  std::vector<double> detection;  // arising to report or grid filing
  void clear() {
    response_from_report.clear();
    resolution_from_report.clear();
    resolution_from_arising.clear();
    detection.clear();
  }
};

struct Ledger {
  std::vector<DistrictDay> today;  // per district
  TimeSamples times_today;
  std::vector<double> department_wait_h_today, department_starts_today;  // per department
  std::array<double, kDomainCount> arisen_by_domain{}, escalated_by_domain{};
  CohortLedger cohort;
  StaffHours hours;
  std::vector<IssueLogRow> issue_log;
};

}  // namespace gov
