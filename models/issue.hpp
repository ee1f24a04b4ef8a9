#pragma once
// An issue (诉求/事件) and where it is in its life. Issues live in a pool while anything still
// refers to them (a queued job, a pending event); `key` is their stable identity across policies.
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

namespace gov {

enum class Origin : std::uint8_t { Resident, Grid, Cascade };
enum class Severity : std::uint8_t { Minor, Normal, Serious };

enum class IssueState : std::uint8_t {
  Latent,      // exists, not yet in the system
  Intake,      // a report is queued at the hotline or being re-keyed by the street
  Settling,    // taken up in the community
  InHandling,  // being dispatched, transferred, queued or handled by departments
  Closed,      // closed by a department (truly or falsely); may be reopened by a call-back
  Settled,     // settled in the community
  OnSpot,      // closed on the spot by a grid worker (integrated platform)
  Dropped,     // never reported or found; given up
};

inline bool is_open(IssueState s) {
  return s == IssueState::Latent || s == IssueState::Intake || s == IssueState::Settling ||
         s == IssueState::InHandling;
}

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::size_t kMaxParts = 3;

struct Issue {
  std::uint64_t key = 0;
  double t_arise = 0;
  double t_report = -1;    // first entry into the system (call, grid filing)
  double t_response = -1;  // first department (or community) takes it up
  double t_close = -1;     // last closure
  std::uint32_t community = 0;
  std::uint32_t resident = 0;
  std::uint32_t pending = 0;  // events and jobs that still refer to this issue
  std::array<std::uint16_t, kMaxParts> part_department{};
  std::array<std::uint8_t, kMaxParts> part_domain{};
  std::uint16_t tried_departments = 0;  // bit per owner index tried for the current part
  std::uint8_t domain = 0;
  std::uint8_t filed_domain = 0;  // as classified at intake
  Severity severity = Severity::Normal;
  Origin origin = Origin::Resident;
  IssueState state = IssueState::Latent;
  std::uint8_t parts = 1;
  std::uint8_t next_part = 0;        // sequential handling: the part being handled
  std::uint8_t parts_done = 0;       // count of parts finished
  std::uint8_t parts_requested = 0;  // bit per part already dispatched or on its way
  std::uint8_t parts_in_hand = 0;    // bit per part with a job in a department's queue
  std::uint8_t attempts = 0;         // dispatches so far (transfers + reopenings + 1)
  std::uint8_t transfers = 0;
  std::uint8_t reopened = 0;
  std::uint8_t generation = 0;  // cascade depth
  bool false_closure = false;
  bool escalated = false;
  bool whistled = false;
  bool supervised = false;
  bool reported = false;    // reached the hotline
  bool grid_found = false;  // found by a grid worker
};

}  // namespace gov
