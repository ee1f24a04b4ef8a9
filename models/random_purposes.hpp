#pragma once
// Purposes of the model's random streams: the one table of stream keys. A stream is keyed by
// (seed, purpose, entity, time); giving every decision its own purpose keeps one decision's draws
// from shifting another's, so two policies see the same random world wherever their choices have
// not diverged. Each row says what its entity and time are; no two decisions share a row.
#include <cstdint>

namespace gov {

enum class Purpose : std::uint64_t {
  CityLayout = 1,
  CityPopulation,
  ResidentInit,
  Incidence,            // entity: community * domains + domain, time: day
  IssueTraits,          // entity: issue key
  Detection,            // entity: issue key
  Patrol,               // entity: community, time: day
  Consultations,        // entity: 0, time: tick
  Intake,               // entity: issue key
  Routing,              // entity: issue key, time: part * 16 + attempt (mod 16)
  Service,              // entity: issue key, time: part * 16 + reopenings (mod 16)
  Handoff,              // entity: issue key, time: part
  Settlement,           // entity: issue key, time: reopenings
  MediationCapacity,    // entity: community, time: day
  Closure,              // entity: issue key, time: reopenings
  Callback,             // entity: issue key, time: reopenings
  Escalation,           // entity: issue key
  Mobility,             // entity: community, time: day
  Ties,                 // entity: community, time: day
  IssueLog,             // entity: issue key
  Duplicates,           // entity: issue key, time: 0 (how many) or 1 + minute of the call (merge)
  ResponsibleOwner,     // entity: issue key, time: part
  DuplicateService,     // entity: issue key, time: minute the duplicate work order is filed
  OnTheSpot,            // entity: issue key
  Judgement,            // entity: issue key, time: reopenings
  WhistleQuota,         // entity: community, time: week
  SupervisionCapacity,  // entity: district, time: day
};

}  // namespace gov
