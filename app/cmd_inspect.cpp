// `govsim inspect city`, `govsim inspect params` and `govsim inspect outputs`.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include "app/commands.hpp"
#include "models/city/city_builder.hpp"
#include "models/city/city_graph.hpp"
#include "models/city/residents.hpp"
#include "models/outcomes/output_catalogue.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "sim/errors.hpp"

namespace app {
namespace {

struct DegreeStats {
  std::size_t min = 0, max = 0;
  double mean = 0;
};

DegreeStats degrees(const gov::Adjacency& a) {
  DegreeStats s;
  if (a.size() == 0) return s;
  s.min = a.degree(0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    s.min = std::min(s.min, a.degree(i));
    s.max = std::max(s.max, a.degree(i));
    s.mean += static_cast<double>(a.degree(i));
  }
  s.mean /= static_cast<double>(a.size());
  return s;
}

}  // namespace

int cmd_inspect_city(const InspectArgs& args) {
  sim::config::Document doc = sim::config::Document::load(args.file);
  if (args.scale) {
    // Checked by the scenario's reader against population.scale's range, naming the flag.
    if (!std::isfinite(*args.scale)) {
      throw sim::InputError(fmt::format("--scale: expected a finite number, got {}", *args.scale));
    }
    doc = doc.with_value("population.scale", *args.scale, {"--scale", 0, 0});
  }
  const gov::Scenario s = gov::load_scenario(doc);
  const auto t0 = std::chrono::steady_clock::now();
  const gov::City city =
      gov::build_city(s.city, s.population.scale, static_cast<std::uint64_t>(s.run.seed));
  const gov::Residents residents =
      gov::build_residents(city, s.population, static_cast<std::uint64_t>(s.run.seed));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto graph = gov::analyse_city_graph(city);
  std::size_t towns = 0, rural = 0;
  for (const auto& st : city.streets) towns += st.town ? 1 : 0;
  for (const auto& c : city.communities) rural += c.rural ? 1 : 0;
  const DegreeStats dd = degrees(city.district_neighbours), sd = degrees(city.street_neighbours),
                    cd = degrees(city.communities.empty() ? gov::Adjacency{}
                                                          : city.community_neighbours);
  const std::size_t bytes = residents.trust.capacity() * 2 + residents.satisfaction.capacity() * 2 +
                            residents.ties.capacity() + residents.traits.capacity();
  const double per_resident =
      residents.size() ? static_cast<double>(bytes) / static_cast<double>(residents.size()) : 0;
  if (args.format == "json") {
    std::cout << "{\n";
    std::cout << fmt::format("  \"scenario\": \"{}\",\n  \"population_scale\": {},\n", s.name,
                             s.population.scale);
    std::cout << fmt::format(
        "  \"districts\": {},\n  \"streets_and_towns\": {},\n  \"towns\": {},\n",
        city.districts.size(), city.streets.size(), towns);
    std::cout << fmt::format(
        "  \"communities\": {},\n  \"rural_communities\": {},\n  \"grid_cells\": {},\n",
        city.communities.size(), rural, city.grid_cells);
    std::cout << fmt::format("  \"residents\": {},\n  \"residents_by_district\": {{",
                             city.residents());
    for (std::size_t d = 0; d < city.districts.size(); ++d) {
      std::cout << fmt::format("{}\"{}\": {}", d ? ", " : "", city.districts[d].name,
                               city.districts[d].residents);
    }
    std::cout << "},\n";
    std::cout << fmt::format(
        "  \"neighbour_degree\": {{\"district\": [{}, {:.2f}, {}], \"street\": [{}, {:.2f}, {}], "
        "\"community\": [{}, {:.2f}, {}]}},\n",
        dd.min, dd.mean, dd.max, sd.min, sd.mean, sd.max, cd.min, cd.mean, cd.max);
    std::cout << fmt::format(
        "  \"graph\": {{\"vertices\": {}, \"tree_edges\": {}, \"neighbour_edges\": {}, "
        "\"components\": {}, \"neighbours_symmetric\": {}, \"tree_consistent\": {}}},\n",
        graph.vertices, graph.tree_edges, graph.neighbour_edges, graph.components,
        graph.neighbours_symmetric, graph.tree_consistent);
    std::cout << fmt::format("  \"bytes_per_resident\": {:.2f},\n  \"build_seconds\": {:.3f}\n}}\n",
                             per_resident, secs);
    return sim::kExitOk;
  }
  std::cout << fmt::format("city of {} (population.scale {})\n", s.name, s.population.scale);
  std::cout << fmt::format("  districts            {:>10}\n", city.districts.size());
  std::cout << fmt::format("  streets and towns    {:>10}  ({} towns)\n", city.streets.size(),
                           towns);
  std::cout << fmt::format("  communities/villages {:>10}  ({} rural)\n", city.communities.size(),
                           rural);
  std::cout << fmt::format("  grid cells           {:>10}\n", city.grid_cells);
  std::cout << fmt::format("  residents            {:>10}\n", city.residents());
  std::cout << "residents by district\n";
  for (const auto& d : city.districts) {
    std::cout << fmt::format("  {:<12} {:>10}  (target {:.0f})\n", d.name, d.residents,
                             d.population_target * s.population.scale);
  }
  std::cout << "neighbour degree (min / mean / max)\n";
  std::cout << fmt::format(
      "  districts   {} / {:.2f} / {}\n  streets     {} / {:.2f} / {}\n  communities {} / {:.2f} / "
      "{}\n",
      dd.min, dd.mean, dd.max, sd.min, sd.mean, sd.max, cd.min, cd.mean, cd.max);
  std::cout << fmt::format(
      "graph: {} vertices, {} tree edges, {} neighbour edges, {} component(s), {}\n",
      graph.vertices, graph.tree_edges, graph.neighbour_edges, graph.components,
      graph.neighbours_symmetric ? "neighbours symmetric" : "NEIGHBOURS ASYMMETRIC");
  std::cout << fmt::format("memory: {:.2f} bytes per resident; build {:.3f} s\n", per_resident,
                           secs);
  return sim::kExitOk;
}

int cmd_inspect_params() {
  std::cout << gov::scenario_reference_markdown();
  return sim::kExitOk;
}

int cmd_inspect_outputs() {
  std::cout << gov::outputs_markdown();
  return sim::kExitOk;
}

}  // namespace app
