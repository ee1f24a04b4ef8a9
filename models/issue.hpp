#pragma once
// An issue (诉求/事件): what it is, where it is in its lifecycle (models/lifecycle.hpp) and what
// happened to it on the way. Issues live in a pool while anything still refers to them (a queued
// job, a pending event); `key` is their stable identity across policies.
#include <array>
#include <cstdint>
#include <limits>

#include "models/lifecycle.hpp"

namespace gov {

enum class Origin : std::uint8_t { Resident, Grid, Cascade };
enum class Severity : std::uint8_t { Minor, Normal, Serious };

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::size_t kMaxParts = 3;

struct Issue {
  std::uint64_t key = 0;
  double t_arise = 0;
  double t_report = -1;    // first entry into the system (call, grid filing)
  double t_response = -1;  // first department (or community) takes it up
  double t_close = -1;     // last time it left the open states
  std::uint32_t community = 0;
  std::uint32_t resident = 0;
  std::uint32_t pending = 0;  // events and jobs that still refer to this issue
  std::array<std::uint16_t, kMaxParts> part_department{};
  std::array<std::uint8_t, kMaxParts> part_domain{};
  std::array<PartState, kMaxParts> part_state{};
  std::array<std::uint32_t, kMaxParts> part_unit{kNone, kNone, kNone};  // unit holding its job
  std::uint16_t closing_department = 0;  // the department of the latest closure
  std::uint16_t tried_departments = 0;   // bit per owner index tried for the current part
  std::uint8_t domain = 0;
  std::uint8_t filed_domain = 0;  // as classified at intake
  Severity severity = Severity::Normal;
  Origin origin = Origin::Resident;
  IssueState state = IssueState::Latent;
  Closer closer = Closer::None;
  std::uint8_t parts = 1;
  std::uint8_t attempts = 0;  // dispatches so far
  std::uint8_t transfers = 0;
  std::uint8_t handoffs = 0;  // parts handed from one department to the next
  std::uint8_t reopened = 0;
  std::uint8_t generation = 0;  // cascade depth
  bool unmeetable = false;      // the demand cannot be met under policy (drawn when it arises)
  bool in_cohort = false;       // arose after the warm-up: counted in per-demand outcomes
  bool satisfied = false;       // the resident was satisfied with the latest outcome
  bool escalated = false;
  bool whistled = false;
  bool supervised = false;
  bool reported = false;    // reached the hotline
  bool grid_found = false;  // found by a grid worker

  std::uint8_t parts_done() const {
    std::uint8_t n = 0;
    for (std::uint8_t p = 0; p < parts; ++p)
      n = static_cast<std::uint8_t>(n + (part_state[p] == PartState::Done));
    return n;
  }
};

}  // namespace gov
