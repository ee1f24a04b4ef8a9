#pragma once
// The state each mechanism owns, one struct per mechanism file; World holds one of each. A
// mechanism writes only its own struct, the issues it is handed and the ledger; it may read the
// others' (e.g. routing reads the department queues).
#include <array>
#include <cstdint>
#include <vector>

#include "models/domains.hpp"
#include "models/issue.hpp"
#include "sim/service_unit.hpp"

namespace gov {

// incidence.cpp: recent arising per community and domain, and the hot spots found from it (P9).
struct HotSpots {
  std::array<float, kDomainCount> recent_rate{};  // smoothed daily arising per domain
  std::array<std::uint16_t, kDomainCount> arisen_today{};
  std::array<bool, kDomainCount> hotspot{};
};

// incidence.cpp: the day's new issues of each community, drawn in parallel and entered in the
// pool in community order (empty between days; kept so their capacity is reused).
struct NewIssues {
  std::vector<std::vector<Issue>> per_community;
};

// detection.cpp: the latent issues of a community, waiting to be reported or found.
struct LatentRef {
  std::uint32_t issue;
  std::uint64_t key;  // the slot may be reused once the issue is gone
};
// A patrol's find, made in the parallel pass and scheduled in community order after it.
struct PatrolFind {
  std::uint32_t issue;
  double t;
  bool fix_on_spot;
};
struct GridPatrols {
  std::vector<std::vector<LatentRef>> latent;  // per community
  // Per community: the day's finds (empty between days; kept so their capacity is reused
  // instead of 2,851 lists being allocated every day).
  std::vector<std::vector<PatrolFind>> found;
  // Per community: patrol hours carried over from quiet days (detection.cpp says why); below 0
  // when a busy day overran, repaid from the next days' time.
  std::vector<double> hours_banked;
};

// hotline.cpp: the 12345 centre's call-takers as one queue.
struct HotlineCentre {
  sim::ServiceUnit call_takers;
  std::vector<sim::JobEvent> events;
  // Consultations per hour: the scenario's ratio to the issue reports expected at initial trust,
  // fixed when the world is built, so every policy sees the same stream.
  double consultations_per_hour = 0;
  std::vector<std::vector<double>> consultation_times_h;  // per tick of the day, in order
};

// settlement.cpp: what a community's Party organisation and volunteers can still take today.
struct CommunityCapacity {
  double mediation_left_today = 0;
  double volunteer_left_today = 0;
};

// cross_domain.cpp: whistles a community may still blow this week (P6).
struct WhistleQuotas {
  std::vector<double> left_this_week;  // per community
};

// accountability.cpp: each department's current false-closure chance and what the call-backs
// of the current scoring period saw (P7). Only closures where the loop is in force are scored.
struct Accountability {
  std::vector<double> false_closure_prob;      // per department, moves with scoring
  std::vector<double> false_closures, caught;  // per department, this period
};

// resident_dynamics.cpp: what a community thinks of government, and how safe it feels.
struct CommunityOpinion {
  double trust_index = 0;  // word of mouth
  double outcome_sum_today = 0;
  double outcomes_today = 0;
  double security = 1;
};

// lifecycle.cpp: the open stock where it is.
struct OpenStock {
  std::vector<std::uint32_t> issues;         // per community
  std::vector<std::uint32_t> safety_issues;  // per community, public-safety domain
  std::uint64_t total = 0;
};

}  // namespace gov
