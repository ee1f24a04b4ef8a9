#pragma once
// The city as one Boost.Graph: administrative tree edges (city -> district -> street ->
// community -> grid cell) plus spatial neighbour edges. Used for whole-graph checks and graph
// algorithms; the simulation's hot loops read City's flat arrays instead.
#include <cstdint>
#include <vector>

#include "models/city/city.hpp"

namespace gov {

struct CityGraphSummary {
  std::size_t vertices = 0;
  std::size_t tree_edges = 0;
  std::size_t neighbour_edges = 0;  // undirected, all levels
  std::size_t components = 0;       // of the whole graph
  bool neighbours_symmetric = false;
  bool tree_consistent = false;  // every community one street, every street one district
};

CityGraphSummary analyse_city_graph(const City& city);

// Hops from the nearest start district over the district neighbour graph (breadth-first);
// -1 for districts that cannot be reached.
std::vector<int> district_hops(const City& city, const std::vector<std::uint32_t>& start);

}  // namespace gov
