#pragma once
// Residents as a structure of arrays, grouped by community (community c owns indices
// [first_resident, first_resident + residents)). Six bytes each: what can be derived (grid cell,
// security, reporting propensity, move-out hazard) is derived, not stored.
#include <cstdint>
#include <vector>

#include "models/city.hpp"
#include "models/scenario.hpp"

namespace gov {

struct Residents {
  // Trust and satisfaction in [0, 1] stored as 16-bit fixed point.
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
};

// Initial residents: traits and state drawn per resident from keyed streams, in parallel.
Residents build_residents(const City& city, const PopulationSettings& pop, std::uint64_t seed);

// Resets one resident to a newcomer (mobility): default trust, few ties, new traits.
void replace_resident(Residents& r, std::size_t index, const Community& c,
                      const PopulationSettings& pop, std::uint64_t seed, std::uint64_t day);

}  // namespace gov
