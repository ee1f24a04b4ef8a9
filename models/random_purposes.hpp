#pragma once
// Purposes of the model's random streams. A stream is keyed by (seed, purpose, entity, time);
// giving every decision its own purpose keeps one decision's draws from shifting another's, so two
// policies see the same random world wherever their choices have not diverged.
#include <cstdint>

namespace gov {

enum class Purpose : std::uint64_t {
  CityLayout = 1,
  CityPopulation,
  ResidentInit,
  Incidence,          // entity: community * domains + domain, time: day
  IssueTraits,        // entity: issue key
  Detection,          // entity: issue key
  Patrol,             // entity: community, time: day
  Consultations,      // entity: 0, time: tick
  Intake,             // entity: issue key, time: attempt
  Routing,            // entity: issue key, time: part * 16 + attempt
  Service,            // entity: job key, time: part * 16 + attempt
  Handoff,            // entity: issue key, time: part
  Settlement,         // entity: issue key
  MediationCapacity,  // entity: community, time: day
  Closure,            // entity: issue key, time: attempt
  Callback,           // entity: issue key, time: attempt
  Escalation,         // entity: issue key
  Mobility,           // entity: community, time: day
  Ties,               // entity: community, time: day
  IssueLog,           // entity: issue key
  Duplicates,         // entity: issue key
};

}  // namespace gov
