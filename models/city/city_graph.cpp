#include "models/city/city_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>

namespace gov {
namespace {

enum class EdgeKind : std::uint8_t { Tree, Neighbour };
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                    boost::no_property, EdgeKind>;

bool symmetric(const Adjacency& adj) {
  for (std::size_t i = 0; i < adj.size(); ++i) {
    for (const auto* j = adj.begin(i); j != adj.end(i); ++j) {
      if (!std::binary_search(adj.begin(*j), adj.end(*j), static_cast<std::uint32_t>(i))) {
        return false;
      }
    }
  }
  return true;
}

std::size_t add_neighbours(Graph& g, const Adjacency& adj, std::size_t base) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < adj.size(); ++i) {
    for (const auto* j = adj.begin(i); j != adj.end(i); ++j) {
      if (*j > i) {
        boost::add_edge(base + i, base + *j, EdgeKind::Neighbour, g);
        ++n;
      }
    }
  }
  return n;
}

}  // namespace

CityGraphSummary analyse_city_graph(const City& city) {
  const std::size_t d0 = 1, s0 = d0 + city.districts.size(), c0 = s0 + city.streets.size(),
                    g0 = c0 + city.communities.size(), n = g0 + city.grid_cells;
  Graph g(n);
  CityGraphSummary out;
  out.tree_consistent = true;
  for (std::size_t d = 0; d < city.districts.size(); ++d)
    boost::add_edge(0, d0 + d, EdgeKind::Tree, g);
  for (std::size_t s = 0; s < city.streets.size(); ++s) {
    boost::add_edge(d0 + city.streets[s].district, s0 + s, EdgeKind::Tree, g);
  }
  std::uint32_t expected_cell = 0;
  for (std::size_t c = 0; c < city.communities.size(); ++c) {
    const Community& com = city.communities[c];
    const Street& st = city.streets[com.street];
    if (st.district != com.district || c < st.first_community ||
        c >= st.first_community + st.community_count || com.first_cell != expected_cell) {
      out.tree_consistent = false;
    }
    boost::add_edge(s0 + com.street, c0 + c, EdgeKind::Tree, g);
    for (std::uint32_t k = 0; k < com.cells; ++k) {
      boost::add_edge(c0 + c, g0 + com.first_cell + k, EdgeKind::Tree, g);
    }
    expected_cell = com.first_cell + com.cells;
  }
  out.tree_edges = boost::num_edges(g);
  out.neighbour_edges = add_neighbours(g, city.district_neighbours, d0) +
                        add_neighbours(g, city.street_neighbours, s0) +
                        add_neighbours(g, city.community_neighbours, c0);
  out.vertices = boost::num_vertices(g);
  std::vector<int> component(n);
  out.components = static_cast<std::size_t>(boost::connected_components(g, component.data()));
  out.neighbours_symmetric = symmetric(city.district_neighbours) &&
                             symmetric(city.street_neighbours) &&
                             symmetric(city.community_neighbours);
  return out;
}

std::vector<int> district_hops(const City& city, const std::vector<std::uint32_t>& start) {
  const std::size_t n = city.districts.size();
  boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> g(n + 1);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto* j = city.district_neighbours.begin(i); j != city.district_neighbours.end(i);
         ++j) {
      if (*j > i) boost::add_edge(i, *j, g);
    }
  }
  // A virtual source joined to every start district turns multi-source BFS into one search.
  for (auto s : start) boost::add_edge(n, s, g);
  std::vector<int> dist(n + 1, -1);
  dist[n] = 0;
  auto recorder = boost::make_bfs_visitor(boost::record_distances(
      boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)),
      boost::on_tree_edge()));
  boost::breadth_first_search(g, boost::vertex(n, g), boost::visitor(recorder));
  std::vector<int> hops(n);
  for (std::size_t i = 0; i < n; ++i) hops[i] = dist[i] < 0 ? -1 : dist[i] - 1;
  return hops;
}

}  // namespace gov
