#pragma once
// The state every mechanism works on. Mechanisms live in their own files (incidence.cpp,
// detection.cpp, hotline.cpp, routing.cpp, cross_domain.cpp, settlement.cpp, closure.cpp,
// escalation.cpp, resident_dynamics.cpp, rollout.cpp) and are called by governance_model.cpp.
#include <array>
#include <cstdint>
#include <vector>

#include "models/city.hpp"
#include "models/departments.hpp"
#include "models/domains.hpp"
#include "models/issue.hpp"
#include "models/outcomes.hpp"
#include "models/random_purposes.hpp"
#include "models/residents.hpp"
#include "models/responsibility_map.hpp"
#include "models/scenario.hpp"
#include "sim/agenda.hpp"
#include "sim/random.hpp"
#include "sim/service_unit.hpp"

namespace gov {

enum class EventKind : std::uint8_t {
  Arise,           // the issue starts to exist
  ReportCall,      // the affected resident calls 12345
  DuplicateCall,   // another resident calls about the same issue
  GridFile,        // a grid worker files a found issue
  Dispatch,        // (re)dispatch part `aux` to a department
  SettlementDone,  // community mediation finishes
  Callback,        // closed-loop verification call
  Escalate,        // escalation check at the domain's limit
  GiveUp,          // an unreported issue is given up
};

struct Event {
  double time_h;
  std::uint64_t key;
  std::uint32_t issue;
  EventKind kind;
  std::uint8_t aux;
  bool operator<(const Event& o) const {
    if (time_h != o.time_h) return time_h < o.time_h;
    if (key != o.key) return key < o.key;
    if (kind != o.kind) return kind < o.kind;
    return aux < o.aux;
  }
};

// What a job in a queue stands for; encoded in the job id with the issue's pool index.
enum class JobKind : std::uint8_t {
  Work,
  MisrouteReview,
  DuplicateWork,
  Consultation,
  ReportIntake,
  DuplicateIntake
};

inline std::uint64_t job_id(JobKind kind, std::uint32_t issue, std::uint8_t part,
                            std::uint8_t n = 0) {
  return (std::uint64_t{static_cast<std::uint8_t>(kind)} << 56) | (std::uint64_t{n} << 48) |
         (std::uint64_t{part} << 40) | issue;
}
inline JobKind job_kind(std::uint64_t id) {
  return static_cast<JobKind>(id >> 56);
}
inline std::uint32_t job_issue(std::uint64_t id) {
  return static_cast<std::uint32_t>(id);
}
inline std::uint8_t job_part(std::uint64_t id) {
  return static_cast<std::uint8_t>(id >> 40);
}

struct CommunityState {
  struct LatentRef {
    std::uint32_t issue;
    std::uint64_t key;  // the slot may be reused once the issue is gone
  };
  std::vector<LatentRef> latent;  // issues waiting to be found
  double mediation_left_today = 0;
  double volunteer_left_today = 0;
  double whistles_left_this_week = 0;
  double trust_index = 0;  // word of mouth: the community's view of government
  double outcome_sum_today = 0;
  double outcomes_today = 0;
  std::uint32_t open_issues = 0;
  std::uint32_t open_safety_issues = 0;
  std::array<float, kDomainCount> recent_rate{};  // smoothed daily arising per domain
  std::array<std::uint16_t, kDomainCount> arisen_today{};
  std::array<bool, kDomainCount> hotspot{};
  double security = 1;
};

struct IssueLogRow {
  std::uint64_t key;
  std::uint32_t community;
  std::uint8_t domain, origin, severity, fate, transfers, parts;
  bool false_closure, escalated, whistled;
  double t_arise, t_report, t_response, t_close;
};

struct StaffHours {
  double call_takers = 0, grid_workers = 0, department_staff = 0, supervisors = 0,
         party_members = 0, volunteers = 0, prevention = 0, borrowed_routine = 0;
};

struct World {
  World(const Scenario& s, City c, Residents r);

  const Scenario scenario;  // frozen for the run
  std::uint64_t seed;
  City city;
  Residents residents;
  std::vector<Department> department_list;
  DepartmentSystem departments;
  ResponsibilityMap responsibility;
  sim::ServiceUnit hotline;
  std::vector<sim::JobEvent> hotline_events;
  sim::Agenda<Event> agenda;

  std::vector<Issue> issues;
  std::vector<std::uint32_t> free_issues;
  std::vector<CommunityState> communities;
  std::vector<double> adoption_day;           // per district; +inf when never
  std::vector<std::vector<double>> coupling;  // K, domains x domains
  double mean_density = 1;
  // 12345 consultations per hour: the scenario's ratio to the issue reports expected at initial
  // trust, so the stream is the same for every policy.
  double consultations_per_hour = 0;

  // Outcomes of the current day, and run totals.
  std::vector<DistrictDay> today;
  std::vector<double> response_times_h, resolution_times_h;
  std::vector<double> department_wait_h_today, department_starts_today;  // per department
  std::array<double, kDomainCount> arisen_by_domain{}, escalated_by_domain{};
  std::uint64_t open_stock = 0;
  StaffHours hours;
  std::vector<IssueLogRow> issue_log;
  double run_end_h = 0;

  sim::RandomStream rng(Purpose p, std::uint64_t entity, std::uint64_t time = 0) const {
    return sim::RandomStream(seed, static_cast<std::uint64_t>(p), entity, time);
  }
  // Is a policy switch in force in this district now (rollout, MODEL.md P10)?
  bool in_force(std::uint32_t district, double t_h) const {
    return t_h >= adoption_day[district] * 24.0;
  }
  const DomainSettings& domain(std::uint8_t d) const { return domain_settings[d]; }
  DistrictDay& tally(std::uint32_t community) {
    return today[city.communities[community].district];
  }

  std::uint32_t new_issue(const Issue& proto);
  void schedule(std::uint32_t issue, EventKind kind, double time_h, std::uint8_t aux = 0);
  // Called when an event or job that referred to the issue is done with it.
  void release(std::uint32_t issue);
  void enqueue(std::uint32_t unit, const sim::Job& job);
  void leave_open_stock(Issue& is);
  void enter_open_stock(Issue& is);

  std::array<DomainSettings, kDomainCount> domain_settings;
};

}  // namespace gov
