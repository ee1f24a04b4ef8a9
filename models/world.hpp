#pragma once
// The run's world: the frozen scenario, the city and its residents, the capacities derived from
// them, the issue pool, the agenda of timed events, one state struct per mechanism
// (mechanism_state.hpp) and the ledger. Mechanisms live in their own files (mechanisms.hpp is the
// index) and are called by governance_model.cpp; issue states change only through lifecycle.cpp.
#include <array>
#include <cstdint>
#include <vector>

#include "models/capacities.hpp"
#include "models/city/city.hpp"
#include "models/city/residents.hpp"
#include "models/departments.hpp"
#include "models/domains.hpp"
#include "models/issue.hpp"
#include "models/ledger.hpp"
#include "models/mechanisms/mechanism_state.hpp"
#include "models/random_purposes.hpp"
#include "models/responsibility_map.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/agenda.hpp"
#include "sim/random.hpp"
#include "sim/service_unit.hpp"

namespace gov {

enum class EventKind : std::uint8_t {
  Arise,                // the issue starts to exist
  ReportCall,           // the affected resident calls 12345
  DuplicateCall,        // another resident calls about the same issue
  GridFile,             // a grid worker files a found issue
  GridFixedOnSpot,      // a grid worker finishes fixing a minor issue on the spot (P3)
  RekeyDone,            // siloed: the street has re-keyed a grid report into dispatch
  Dispatch,             // part `part` goes to a department (after a ladder, hand-off or transfer)
  SettlementSucceeded,  // community mediation settles it
  SettlementFailed,     // community mediation gives up; it goes to departments
  Callback,             // closed-loop verification call
  Escalate,             // escalation check at the domain's limit
  GiveUp,               // an unreported issue is given up
};

struct Event {
  double time_h;
  std::uint64_t key;
  std::uint32_t issue;
  EventKind kind;
  std::uint8_t part;
  bool operator<(const Event& o) const {
    if (time_h != o.time_h) return time_h < o.time_h;
    if (key != o.key) return key < o.key;
    if (kind != o.kind) return kind < o.kind;
    return part < o.part;
  }
};

// A job's identity in a queue: its kind, issue pool index and part.
inline std::uint64_t job_id(JobKind kind, std::uint32_t issue, std::uint8_t part) {
  return (std::uint64_t{static_cast<std::uint8_t>(kind)} << 56) | (std::uint64_t{part} << 40) |
         issue;
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

// A day's ticks: the agenda's and the engine's tick is one hour.
inline constexpr int kTicksPerDay = 24;

// How far ahead the serial event loops prefetch an issue, and then its resident (events).
inline constexpr std::size_t kIssueAhead = 8;
inline constexpr std::size_t kResidentAhead = 4;

struct World {
  World(const Scenario& s, City c, Residents r);

  const Scenario scenario;  // frozen for the run
  std::uint64_t seed;
  City city;
  Residents residents;
  Capacities capacities;
  std::vector<Department> department_list;
  DepartmentSystem departments;
  ResponsibilityMap responsibility;
  sim::Agenda<Event> agenda;
  std::vector<Issue> issues;
  std::vector<std::uint32_t> free_issues;
  std::vector<double> adoption_day;           // per district; +inf when never
  std::vector<std::vector<double>> coupling;  // K, domains x domains
  double mean_density = 1;
  double run_end_h = 0;
  std::array<DomainSettings, kDomainCount> domain_settings;

  // Mechanisms' own state.
  std::vector<HotSpots> hot_spots;  // per community
  NewIssues new_issues;
  GridPatrols patrols;
  HotlineCentre hotline;
  std::vector<CommunityCapacity> community_capacity;  // per community
  WhistleQuotas whistles;
  Accountability accountability;
  std::vector<CommunityOpinion> opinion;  // per community
  OpenStock stock;

  Ledger ledger;

  sim::RandomStream rng(Purpose p, std::uint64_t entity, std::uint64_t time = 0) const {
    return sim::RandomStream(seed, static_cast<std::uint64_t>(p), entity, time);
  }
  // Is a policy switch in force in this district now (rollout, MODEL.md P10)?
  bool in_force(std::uint32_t district, double t_h) const {
    return t_h >= adoption_day[district] * 24.0;
  }
  bool in_force_for(const Issue& is, double t_h) const {
    return in_force(city.communities[is.community].district, t_h);
  }
  const DomainSettings& domain(std::uint8_t d) const { return domain_settings[d]; }
  DistrictDay& tally(std::uint32_t community) {
    return ledger.today[city.communities[community].district];
  }

  // Hints for the serial event loops, which otherwise wait on a cache miss per issue and per
  // resident: what an upcoming handler will read.
  void prefetch_issue(std::uint32_t issue) const {
    if (issue >= issues.size()) return;  // a job of no issue (consultation)
    // An issue is over a cache line long and, where it starts late in one, lies across three:
    // every line it touches is asked for, not just the first and the last.
    constexpr std::size_t kCacheLineBytes = 64;  // x86-64
    const auto* p = reinterpret_cast<const char*>(&issues[issue]);
    for (std::size_t at = 0; at < sizeof(Issue); at += kCacheLineBytes) __builtin_prefetch(p + at);
    __builtin_prefetch(p + sizeof(Issue) - 1);
  }
  void prefetch_resident_of(std::uint32_t issue) const {
    if (issue >= issues.size()) return;
    residents.prefetch(issues[issue].resident);
  }

  std::uint32_t new_issue(const Issue& proto);
  void schedule(std::uint32_t issue, EventKind kind, double time_h, std::uint8_t part = 0);
  // Called when an event or job that referred to the issue is done with it.
  void release(std::uint32_t issue);
  void enqueue(std::uint32_t unit, const sim::Job& job);
};

}  // namespace gov
