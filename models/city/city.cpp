#include "models/city/city.hpp"

#include <algorithm>

namespace gov {

Adjacency Adjacency::from_edges(std::size_t n,
                                const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> both;
  both.reserve(edges.size() * 2);
  for (const auto& [a, b] : edges) {
    if (a == b) continue;
    both.emplace_back(a, b);
    both.emplace_back(b, a);
  }
  std::sort(both.begin(), both.end());
  both.erase(std::unique(both.begin(), both.end()), both.end());
  Adjacency adj;
  adj.offset.assign(n + 1, 0);
  for (const auto& e : both) ++adj.offset[e.first + 1];
  for (std::size_t i = 0; i < n; ++i) adj.offset[i + 1] += adj.offset[i];
  adj.index.reserve(both.size());
  for (const auto& e : both) adj.index.push_back(e.second);
  return adj;
}

std::uint64_t City::residents() const {
  std::uint64_t n = 0;
  for (const auto& d : districts) n += d.residents;
  return n;
}

int City::find_district(const std::string& name_or_code) const {
  for (std::size_t i = 0; i < districts.size(); ++i) {
    if (districts[i].name == name_or_code || districts[i].code == name_or_code) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace gov
