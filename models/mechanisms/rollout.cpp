// MODEL.md §4.10 Rollout (P10): policies start in the core districts and spread over the district
// neighbour graph; a district adopts 1/rate days after its nearest adopting neighbour, so a
// district h hops from the start adopts on day h / rate.
#include <limits>

#include "models/city/city_graph.hpp"
#include "models/mechanisms/mechanisms.hpp"

namespace gov {

std::vector<double> adoption_days(const City& city, const Rollout& rollout) {
  std::vector<double> days(city.districts.size(), 0.0);
  if (!rollout.enabled) return days;
  std::vector<std::uint32_t> start;
  for (const auto& name : rollout.start_districts) {
    const int d = city.find_district(name);
    if (d >= 0) start.push_back(static_cast<std::uint32_t>(d));
  }
  const auto hops = district_hops(city, start);
  for (std::size_t d = 0; d < days.size(); ++d) {
    days[d] = hops[d] < 0 ? std::numeric_limits<double>::infinity()
                          : hops[d] / rollout.diffusion_rate_per_day;
  }
  return days;
}

}  // namespace gov
