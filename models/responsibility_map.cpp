#include "models/responsibility_map.hpp"

namespace gov {

ResponsibilityMap::ResponsibilityMap(const std::vector<Department>& departments)
    : owners_(kDomainCount) {
  for (std::size_t d = 0; d < departments.size(); ++d) {
    for (std::size_t i = 0; i < departments[d].domains.size(); ++i) {
      owners_[departments[d].domains[i]].push_back(
          {static_cast<std::uint16_t>(d), departments[d].weights[i]});
    }
  }
}

bool ResponsibilityMap::owns(std::uint16_t department, std::uint8_t domain) const {
  for (const Owner& o : owners_[domain]) {
    if (o.department == department) return true;
  }
  return false;
}

double ResponsibilityMap::overlap_misroute_probability(std::uint8_t domain) const {
  double sum = 0, sq = 0;
  for (const Owner& o : owners_[domain]) {
    sum += o.weight;
    sq += o.weight * o.weight;
  }
  return sum > 0 ? 1.0 - sq / (sum * sum) : 0.0;
}

}  // namespace gov
