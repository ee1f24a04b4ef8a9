#pragma once
// Which departments own which domain (MODEL.md §4.4). Where several own one domain, dispatch is
// ambiguous: each issue has one truly responsible owner, but the dispatcher only knows the weights.
#include <cstdint>
#include <vector>

#include "models/departments.hpp"
#include "models/domains.hpp"

namespace gov {

struct Owner {
  std::uint16_t department;
  double weight;
};

class ResponsibilityMap {
 public:
  explicit ResponsibilityMap(const std::vector<Department>& departments);
  const std::vector<Owner>& owners(std::uint8_t domain) const { return owners_[domain]; }
  bool owns(std::uint16_t department, std::uint8_t domain) const;
  // Chance that a weight-proportional dispatch misses the weight-proportional true owner.
  double overlap_misroute_probability(std::uint8_t domain) const;

 private:
  std::vector<std::vector<Owner>> owners_;
};

}  // namespace gov
