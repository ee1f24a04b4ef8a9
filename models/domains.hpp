#pragma once
// The eleven issue domains of MODEL.md §3. Scenario files name them; the code indexes them.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gov {

inline constexpr std::size_t kDomainCount = 11;

inline constexpr std::array<std::string_view, kDomainCount> kDomainNames = {
    "urban_sanitation", "housing_property",         "construction_violation", "environment_noise",
    "labour_wages",     "market_consumer",          "traffic_transport",      "water_utilities",
    "public_safety",    "social_assistance_health", "neighbour_disputes"};

// Public safety drives residents' sense of security (MODEL.md §4.9).
inline constexpr std::uint8_t kPublicSafety = 8;
static_assert(kDomainNames[kPublicSafety] == "public_safety");

inline std::optional<std::uint8_t> domain_index(std::string_view name) {
  for (std::size_t i = 0; i < kDomainCount; ++i) {
    if (kDomainNames[i] == name) return static_cast<std::uint8_t>(i);
  }
  return std::nullopt;
}

}  // namespace gov
