#pragma once
// The issue lifecycle of MODEL.md §4, in one place: the states an issue (诉求/事件) and each of its
// parts move through, and which moves are legal. Mechanisms never assign a state directly: they
// call World::move (issues) and World::move_part (parts), which check the move against these
// tables and keep the open stock and the per-demand fate ledger in step.
//
//   Latent ──report──▶ Intake ──▶ Settling ──success──▶ Settled
//     │  ╲                │           │failure
//     │   ╲grid (integrated)──────────┼──────────▶ InHandling ──▶ ClosedTrue
//     │    ╲                          └──────────▶     ▲    ╲───▶ ClosedFalse ──call-back──┐
//     │     on the spot ──▶ ClosedTrue / ClosedFalse   │     ╲──▶ Unmeetable             │
//     └──give up──▶ Dropped                            └──────── reopened ◀──────────────┘
//
// A part (one required department) of an issue in handling is Waiting for its turn, Requested (a
// dispatch is scheduled: whistle ladder, hand-off or transfer delay), Queued or InService at one
// department unit (which it remembers), or Done.
#include <array>
#include <cstdint>
#include <string_view>

namespace gov {

enum class IssueState : std::uint8_t {
  Latent,       // arisen, not yet reported or found
  Intake,       // a report is queued at the hotline or being re-keyed by the street
  Settling,     // taken up by community mediation or volunteers
  InHandling,   // dispatched: parts requested, queued, in service or handed off
  ClosedTrue,   // closed and truly solved (by a department or a grid worker on the spot)
  ClosedFalse,  // closed without solving it; a call-back may reopen it
  Unmeetable,   // closed with an explanation: the demand cannot be met under policy
  Settled,      // settled in the community
  Dropped,      // never reported or found; the resident gave up
  kSize
};
inline constexpr std::size_t kIssueStateCount = static_cast<std::size_t>(IssueState::kSize);

inline constexpr std::array<std::string_view, kIssueStateCount> kIssueStateNames = {
    "latent",       "intake",     "settling", "in_handling", "closed_true",
    "closed_false", "unmeetable", "settled",  "dropped"};

inline constexpr bool is_open(IssueState s) {
  return s == IssueState::Latent || s == IssueState::Intake || s == IssueState::Settling ||
         s == IssueState::InHandling;
}
// The resident's problem is gone.
inline constexpr bool is_resolved(IssueState s) {
  return s == IssueState::ClosedTrue || s == IssueState::Settled;
}
// The problem is still there, whatever the records say (escalation and cascades act on these).
inline constexpr bool problem_persists(IssueState s) {
  return is_open(s) || s == IssueState::ClosedFalse;
}

inline constexpr bool can_move(IssueState from, IssueState to) {
  using S = IssueState;
  switch (from) {
    case S::Latent:
      return to == S::Intake || to == S::Settling || to == S::InHandling || to == S::ClosedTrue ||
             to == S::ClosedFalse || to == S::Dropped;
    case S::Intake:
      return to == S::Settling || to == S::InHandling;
    case S::Settling:
      return to == S::Settled || to == S::InHandling;
    case S::InHandling:
      return to == S::ClosedTrue || to == S::ClosedFalse || to == S::Unmeetable;
    case S::ClosedFalse:
      return to == S::InHandling;  // reopened after a call-back
    default:
      return false;  // ClosedTrue, Unmeetable, Settled and Dropped are final
  }
}

enum class PartState : std::uint8_t { Waiting, Requested, Queued, InService, Done };

inline constexpr bool can_move(PartState from, PartState to) {
  using P = PartState;
  switch (from) {
    case P::Waiting:
      return to == P::Requested;
    case P::Requested:
      return to == P::Queued;
    case P::Queued:
      return to == P::InService;
    case P::InService:
      return to == P::Done || to == P::Requested;  // done, or sent back as misrouted
    case P::Done:
      return to == P::Waiting;  // the issue was reopened
  }
  return false;
}

// Who closed an issue: call-backs verify both kinds of closure alike.
enum class Closer : std::uint8_t { None, Department, GridWorker };

// What kind of work a queued job stands for; with the issue and part it makes the job's identity.
enum class JobKind : std::uint8_t {
  Work,                         // a department handles a part
  MisrouteReview,               // a department finds a part is not its own and sends it back
  DuplicateWork,                // a duplicate report handled as an extra work order
  ReportIntake,                 // the hotline takes a first report
  DuplicateIntakeSameChannel,   // the hotline takes another call about an issue it knows
  DuplicateIntakeOtherChannel,  // a call about an issue the grid channel already has
};

}  // namespace gov
