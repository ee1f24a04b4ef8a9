// The city: Guangzhou's real divisions and the synthetic generator.
#include <tbb/global_control.h>
#include <catch2/catch.hpp>

#include <cmath>

#include "models/city/city_builder.hpp"
#include "models/city/city_graph.hpp"
#include "models/city/residents.hpp"
#include "tests/support.hpp"

namespace {

gov::City guangzhou(double scale) {
  const gov::Scenario s = test::load("scenarios/guangzhou.yaml");
  return gov::build_city(s.city, scale, static_cast<std::uint64_t>(s.run.seed));
}

}  // namespace

TEST_CASE("Guangzhou has its real administrative tree", "[unit][city]") {
  const gov::City city = guangzhou(0.001);
  CHECK(city.districts.size() == 11);
  CHECK(city.streets.size() == 178);
  CHECK(city.communities.size() == 2851);
  std::size_t towns = 0, villages = 0;
  for (const auto& s : city.streets) towns += s.town ? 1 : 0;
  for (const auto& c : city.communities) villages += c.rural ? 1 : 0;
  CHECK(towns == 34);
  CHECK(villages == 1145 + 7);  // villagers' committees plus farm living areas
  // About 19,660 standard grid cells (CALIBRATION 1.3), sized by residents.
  CHECK(std::abs(static_cast<double>(city.grid_cells) - 19660.0) / 19660.0 < 0.005);
  // 21 district neighbour pairs (CALIBRATION 2.2).
  CHECK(city.district_neighbours.index.size() == 42);
}

TEST_CASE("each district holds its 2023 residents at scale 1 (rounding only)", "[unit][city]") {
  const gov::City city = guangzhou(1.0);
  std::uint64_t total = 0;
  for (const auto& d : city.districts) {
    INFO(d.name);
    CHECK(std::abs(static_cast<double>(d.residents) - d.population_target) <= 1.0);
    CHECK(std::abs(static_cast<double>(d.residents) - d.population_target) / d.population_target <
          0.01);
    total += d.residents;
  }
  CHECK(total == 18827000);
}

TEST_CASE("the city graph is one connected tree with symmetric neighbours", "[unit][city]") {
  const gov::City city = guangzhou(0.001);
  const auto g = gov::analyse_city_graph(city);
  CHECK(g.components == 1);
  CHECK(g.tree_consistent);
  CHECK(g.neighbours_symmetric);
  CHECK(g.vertices == 1 + 11 + 178 + 2851 + city.grid_cells);
  CHECK(g.tree_edges == g.vertices - 1);
  for (std::size_t c = 0; c < city.communities.size(); ++c) {
    const auto& com = city.communities[c];
    const auto& st = city.streets[com.street];
    REQUIRE(st.district == com.district);
    REQUIRE(c >= st.first_community);
    REQUIRE(c < st.first_community + st.community_count);
  }
}

TEST_CASE("population.scale keeps the structure and scales the residents", "[unit][city]") {
  const gov::City full = guangzhou(1.0), small = guangzhou(0.01);
  CHECK(small.grid_cells == full.grid_cells);
  CHECK(small.communities.size() == full.communities.size());
  CHECK(std::abs(static_cast<double>(small.residents()) - 188270.0) <= 11.0);
}

TEST_CASE("the synthetic generator builds the city it is asked for", "[unit][city]") {
  gov::CitySettings cs;
  cs.source = "synthetic";
  cs.synthetic = {5, 3, 4, 1000, 0.25};
  const gov::City city = gov::build_city(cs, 0.5, 1);
  CHECK(city.districts.size() == 5);
  CHECK(city.streets.size() == 15);
  CHECK(city.communities.size() == 60);
  CHECK(city.residents() == 30000);
  const auto g = gov::analyse_city_graph(city);
  CHECK(g.components == 1);
  CHECK(g.neighbours_symmetric);
  const auto hops = gov::district_hops(city, {0});
  CHECK(hops[0] == 0);
  CHECK(hops[1] == 1);  // grid layout: 3 columns
  CHECK(hops[4] == 2);
}

TEST_CASE("residents are 6 bytes each and identical for any thread count", "[unit][city]") {
  const gov::Scenario s = test::load("scenarios/guangzhou.yaml");
  const gov::City city = gov::build_city(s.city, 0.005, 9);
  gov::Residents one, two;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = gov::build_residents(city, s.population, 9);
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 4);
    two = gov::build_residents(city, s.population, 9);
  }
  CHECK(gov::Residents::bytes_per_resident() == 6);
  CHECK(one.trust == two.trust);
  CHECK(one.satisfaction == two.satisfaction);
  CHECK(one.ties == two.ties);
  CHECK(one.traits == two.traits);
  // About half the urban residents are floating (2020 census share).
  std::size_t floating = 0;
  for (std::size_t i = 0; i < one.size(); ++i) floating += one.floating(i) ? 1 : 0;
  CHECK(static_cast<double>(floating) / static_cast<double>(one.size()) ==
        Approx(0.46).margin(0.05));
  const gov::City again = gov::build_city(s.city, 0.005, 9);
  for (std::size_t c = 0; c < city.communities.size(); ++c) {
    REQUIRE(city.communities[c].residents == again.communities[c].residents);
    REQUIRE(city.communities[c].x_km == again.communities[c].x_km);
  }
}
