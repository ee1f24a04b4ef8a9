#pragma once
// The city: the administrative tree (city -> district -> street/town -> community/village ->
// grid cell) and spatial neighbour relations. Hot loops use the flat arrays here; the Boost.Graph
// view (city_graph.hpp) is built from them for graph algorithms and checks.
#include <cstdint>
#include <string>
#include <vector>

namespace gov {

// Compressed adjacency lists: neighbours of i are index[offset[i] .. offset[i+1]).
struct Adjacency {
  std::vector<std::uint32_t> offset{0};
  std::vector<std::uint32_t> index;

  std::size_t size() const { return offset.size() - 1; }
  std::size_t degree(std::size_t i) const { return offset[i + 1] - offset[i]; }
  const std::uint32_t* begin(std::size_t i) const { return index.data() + offset[i]; }
  const std::uint32_t* end(std::size_t i) const { return index.data() + offset[i + 1]; }
  // Builds from unordered pairs; each edge appears in both lists, duplicates removed.
  static Adjacency from_edges(std::size_t n,
                              const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges);
};

struct District {
  std::string code;  // NBS statistical division code (synthetic cities: D1, D2, ...)
  std::string name;
  std::string pinyin;            // romanised name, for readers and maps without CJK fonts
  double population_target = 0;  // residents at population.scale 1
  double urban_share = 1;
  double x_km = 0, y_km = 0;  // local planar coordinates of the centroid
  double area_km2 = 100;
  std::uint32_t first_street = 0, street_count = 0;
  std::uint32_t residents = 0;
};

struct Street {
  std::string code;
  std::string name;
  bool town = false;
  std::uint32_t district = 0;
  double x_km = 0, y_km = 0;
  std::uint32_t first_community = 0, community_count = 0;
  std::uint32_t residents = 0;
};

struct Community {
  std::string code;
  std::string name;
  bool rural = false;
  std::uint32_t street = 0;
  std::uint32_t district = 0;
  double x_km = 0, y_km = 0;
  std::uint32_t first_resident = 0, residents = 0;
  std::uint32_t first_cell = 0, cells = 1;
  float floating_share = 0;
  float density_per_km2 = 0;
};

struct City {
  std::vector<District> districts;
  std::vector<Street> streets;
  std::vector<Community> communities;
  std::uint32_t grid_cells = 0;
  Adjacency district_neighbours;
  Adjacency street_neighbours;
  Adjacency community_neighbours;

  std::uint64_t residents() const;
  // Index of a district by name or code; -1 if none.
  int find_district(const std::string& name_or_code) const;
  // Grid cell of the resident at `local` index within community c (residents fill cells in order).
  std::uint32_t grid_cell(const Community& c, std::uint32_t local) const {
    return c.first_cell + static_cast<std::uint32_t>(std::uint64_t{local} * c.cells /
                                                     (c.residents ? c.residents : 1));
  }
};

}  // namespace gov
