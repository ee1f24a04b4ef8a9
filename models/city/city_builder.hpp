#pragma once
// Builds the City from Guangzhou's division tables or as a synthetic city of any size.
#include <cstdint>

#include "models/city/city.hpp"
#include "models/scenario/scenario.hpp"

namespace gov {

// Data file paths in `settings` must already be resolved (see load_scenario). The city's
// structure does not depend on population.scale; only resident counts do.
City build_city(const CitySettings& settings, double population_scale, std::uint64_t seed);

}  // namespace gov

namespace gov {
// District names and codes without building the city (for validating references).
std::vector<std::string> district_names(const CitySettings& settings);
}  // namespace gov
