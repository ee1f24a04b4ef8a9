#pragma once
// Splitting a whole number of people (residents, staff) among places in proportion to weights,
// by largest remainder: the parts are whole, sum exactly to the total, and each is within one of
// its exact share. Ties in the remainders go to the earlier place.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace sim {

// `total` is rounded to the nearest whole number first; all-zero weights give all-zero parts.
inline std::vector<std::uint32_t> apportion(double total, const std::vector<double>& weights) {
  std::vector<std::uint32_t> out(weights.size(), 0);
  const double wsum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (weights.empty() || !(wsum > 0) || !(total > 0)) return out;
  const auto target = static_cast<std::uint64_t>(std::llround(total));
  std::vector<std::pair<double, std::size_t>> remainders;
  remainders.reserve(weights.size());
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(target) * weights[i] / wsum;
    out[i] = static_cast<std::uint32_t>(std::floor(exact));
    given += out[i];
    remainders.emplace_back(exact - std::floor(exact), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < target && k < remainders.size(); ++k, ++given)
    ++out[remainders[k].second];
  return out;
}

}  // namespace sim
