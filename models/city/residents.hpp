#pragma once
// Residents as a structure of arrays, grouped by community (community c owns indices
// [first_resident, first_resident + residents)). Six bytes each: what can be derived (grid cell,
// security, reporting propensity, move-out hazard) is derived, not stored.
#include <array>
#include <cstdint>
#include <vector>

#include "models/city/city.hpp"
#include "models/scenario/scenario.hpp"

namespace gov {

// Sums of one community's residents' stored (16-bit) trust and satisfaction and their head count,
// for one group. Integers, so the totals are exact whatever order residents change in.
struct GroupTotals {
  std::uint64_t trust = 0, satisfaction = 0, residents = 0;
  bool operator==(const GroupTotals&) const = default;
};
enum class ResidentGroup : std::uint8_t { Local, Floating };
using CommunityTotals = std::array<GroupTotals, 2>;  // indexed by ResidentGroup

struct Residents {
  // Trust and satisfaction in [0, 1] stored as 16-bit fixed point. Written only through
  // set_opinion, replace_resident and build_residents, which keep `totals` in step: the daily
  // outcomes read the totals and never sweep the residents.
  std::vector<std::uint16_t> trust;
  std::vector<std::uint16_t> satisfaction;
  std::vector<std::uint8_t> ties;  // neighbours known, saturating at 255
  std::vector<std::uint8_t>
      traits;  // bit 0 floating, bit 1 renter, bits 2-3 age band, bit 4 volunteer

  static constexpr std::uint8_t kFloating = 1u << 0;
  static constexpr std::uint8_t kRenter = 1u << 1;
  static constexpr std::uint8_t kVolunteerWilling = 1u << 4;
  static constexpr int kAgeShift = 2;

  std::size_t size() const { return trust.size(); }
  static constexpr std::size_t bytes_per_resident() {
    return 2 * sizeof(std::uint16_t) + 2 * sizeof(std::uint8_t);
  }
  static double to_unit(std::uint16_t q) { return q / 65535.0; }
  static std::uint16_t from_unit(double x) {
    x = x < 0 ? 0 : (x > 1 ? 1 : x);
    return static_cast<std::uint16_t>(x * 65535.0 + 0.5);
  }
  bool floating(std::size_t r) const { return traits[r] & kFloating; }
  ResidentGroup group(std::size_t r) const {
    return floating(r) ? ResidentGroup::Floating : ResidentGroup::Local;
  }

  // Asks for resident r's state ahead of use: residents are touched at random, each a cache miss
  // in each of the four arrays.
  void prefetch(std::size_t r) const {
    __builtin_prefetch(&trust[r]);
    __builtin_prefetch(&satisfaction[r]);
    __builtin_prefetch(&ties[r]);
    __builtin_prefetch(&traits[r]);
  }

  std::vector<CommunityTotals> totals;  // per community

  void set_opinion(std::size_t r, std::uint32_t community, std::uint16_t new_trust,
                   std::uint16_t new_satisfaction);
  // Recomputes one community's totals from its residents (the reference the kept totals must
  // equal; used at build time and by the invariant check).
  CommunityTotals sum_community(const Community& c) const;
};

// Initial residents: traits and state drawn per resident from keyed streams, in parallel.
Residents build_residents(const City& city, const PopulationSettings& pop, std::uint64_t seed);

// Resets one resident to a newcomer (mobility): default trust, few ties, new traits.
void replace_resident(Residents& r, std::size_t index, std::uint32_t community, const Community& c,
                      const PopulationSettings& pop, std::uint64_t seed, std::uint64_t day);

}  // namespace gov
