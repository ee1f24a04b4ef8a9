#include "models/city/city_builder.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <numeric>

#include "models/random_purposes.hpp"
#include "sim/apportion.hpp"
#include "sim/config/csv.hpp"
#include "sim/errors.hpp"
#include "sim/random.hpp"

namespace gov {
namespace {

using Edge = std::pair<std::uint32_t, std::uint32_t>;

sim::RandomStream stream(std::uint64_t seed, Purpose p, std::uint64_t entity) {
  return sim::RandomStream(seed, static_cast<std::uint64_t>(p), entity, 0);
}

// A point uniformly distributed in the disc of radius r around (x, y).
void place_in_disc(sim::RandomStream& rng, double x, double y, double r, double& ox, double& oy) {
  const double rad = r * std::sqrt(rng.uniform());
  const double ang = 2.0 * std::numbers::pi * rng.uniform();
  ox = x + rad * std::cos(ang);
  oy = y + rad * std::sin(ang);
}

// k nearest neighbours among points [first, first + n), plus the edges already in `edges`.
template <class Points>
void nearest_edges(const Points& pts, std::uint32_t first, std::uint32_t n, std::int64_t k,
                   std::vector<Edge>& edges) {
  std::vector<std::pair<double, std::uint32_t>> dist;
  for (std::uint32_t i = first; i < first + n; ++i) {
    dist.clear();
    for (std::uint32_t j = first; j < first + n; ++j) {
      if (j == i) continue;
      const double dx = pts[i].x_km - pts[j].x_km, dy = pts[i].y_km - pts[j].y_km;
      dist.emplace_back(dx * dx + dy * dy, j);
    }
    const auto kk = std::min<std::size_t>(static_cast<std::size_t>(k), dist.size());
    std::partial_sort(dist.begin(), dist.begin() + static_cast<std::ptrdiff_t>(kk), dist.end());
    for (std::size_t m = 0; m < kk; ++m) edges.emplace_back(i, dist[m].second);
  }
}

// The closest pair between two index ranges: links neighbouring districts at lower levels.
template <class Points>
Edge closest_pair(const Points& pts, std::uint32_t a0, std::uint32_t an, std::uint32_t b0,
                  std::uint32_t bn) {
  Edge best{a0, b0};
  double bestd = std::numeric_limits<double>::infinity();
  for (std::uint32_t i = a0; i < a0 + an; ++i) {
    for (std::uint32_t j = b0; j < b0 + bn; ++j) {
      const double dx = pts[i].x_km - pts[j].x_km, dy = pts[i].y_km - pts[j].y_km;
      const double d = dx * dx + dy * dy;
      if (d < bestd) {
        bestd = d;
        best = {i, j};
      }
    }
  }
  return best;
}

void load_guangzhou_districts(const CitySettings& s, City& city, std::vector<Edge>& dedges) {
  const auto t = sim::CsvTable::load(s.districts_file);
  const auto c_code = t.column("district_code"), c_name = t.column("district_name"),
             c_pop = t.column("pop_2023_yearend_10k"), c_urb = t.column("urbanisation_2019_pct"),
             c_lon = t.column("centroid_lon"), c_lat = t.column("centroid_lat"),
             c_area = t.column("polygon_area_km2_approx"), c_nb = t.column("neighbours"),
             c_pinyin = t.column("district_pinyin");
  double lon0 = 0, lat0 = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    lon0 += t.number(r, c_lon) / static_cast<double>(t.rows());
    lat0 += t.number(r, c_lat) / static_cast<double>(t.rows());
  }
  const double km_per_deg_lat = 110.57;
  const double km_per_deg_lon = 111.32 * std::cos(lat0 * std::numbers::pi / 180.0);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    District d;
    d.code = t.text(r, c_code);
    d.name = t.text(r, c_name);
    d.pinyin = t.text(r, c_pinyin);
    d.population_target = t.number(r, c_pop) * 1e4;
    d.urban_share = t.number(r, c_urb) / 100.0;
    d.x_km = (t.number(r, c_lon) - lon0) * km_per_deg_lon;
    d.y_km = (t.number(r, c_lat) - lat0) * km_per_deg_lat;
    d.area_km2 = t.number(r, c_area);
    city.districts.push_back(d);
  }
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& list = t.text(r, c_nb);
    std::size_t start = 0;
    while (start < list.size()) {
      std::size_t semi = list.find(';', start);
      if (semi == std::string::npos) semi = list.size();
      const std::string name = list.substr(start, semi - start);
      const int j = city.find_district(name);
      if (j < 0) {
        throw sim::InputError({t.file(), t.line(r), 0}, "neighbours",
                              "unknown neighbour district '" + name + "'");
      }
      dedges.emplace_back(static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(j));
      start = semi + 1;
    }
  }
}

void load_guangzhou_divisions(const CitySettings& s, City& city) {
  const auto t = sim::CsvTable::load(s.divisions_file);
  const auto c_dist = t.column("district_code"), c_scode = t.column("street_code"),
             c_sname = t.column("street_name"), c_vcode = t.column("village_code"),
             c_vname = t.column("village_name"), c_stype = t.column("street_type"),
             c_vtype = t.column("village_type_by_code");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const int d = city.find_district(t.text(r, c_dist));
    if (d < 0) {
      throw sim::InputError({t.file(), t.line(r), 1}, "district_code",
                            "district '" + t.text(r, c_dist) + "' is not in the districts file");
    }
    if (city.streets.empty() || city.streets.back().code != t.text(r, c_scode)) {
      Street st;
      st.code = t.text(r, c_scode);
      st.name = t.text(r, c_sname);
      st.town = t.text(r, c_stype) == "town";
      st.district = static_cast<std::uint32_t>(d);
      st.first_community = static_cast<std::uint32_t>(city.communities.size());
      if (!city.streets.empty() && city.streets.back().district > st.district) {
        throw sim::InputError({t.file(), t.line(r), 0}, "", "rows must be grouped by district");
      }
      city.streets.push_back(st);
    }
    Community c;
    c.code = t.text(r, c_vcode);
    c.name = t.text(r, c_vname);
    c.rural = t.text(r, c_vtype) != "residents_committee";
    c.street = static_cast<std::uint32_t>(city.streets.size() - 1);
    c.district = static_cast<std::uint32_t>(d);
    city.communities.push_back(c);
    ++city.streets.back().community_count;
  }
}

void make_synthetic(const SyntheticCity& s, City& city, std::uint64_t seed,
                    std::vector<Edge>& dedges) {
  const auto nd = static_cast<std::uint32_t>(s.districts);
  const auto cols = static_cast<std::uint32_t>(std::ceil(std::sqrt(static_cast<double>(nd))));
  for (std::uint32_t d = 0; d < nd; ++d) {
    District dist;
    dist.code = "D" + std::to_string(d + 1);
    dist.name = "district-" + std::to_string(d + 1);
    dist.pinyin = dist.name;
    dist.x_km = 10.0 * (d % cols);
    const std::uint32_t row = d / cols;  // districts sit on a grid, `cols` to a row
    dist.y_km = 10.0 * row;
    dist.area_km2 = 100.0;
    city.districts.push_back(dist);
    const std::size_t first_community = city.communities.size();
    if (d % cols + 1 < cols && d + 1 < nd) dedges.emplace_back(d, d + 1);
    if (d + cols < nd) dedges.emplace_back(d, d + cols);
    for (std::int64_t si = 0; si < s.streets_per_district; ++si) {
      Street st;
      st.code = dist.code + "S" + std::to_string(si + 1);
      st.name = st.code;
      st.district = d;
      st.first_community = static_cast<std::uint32_t>(city.communities.size());
      st.community_count = static_cast<std::uint32_t>(s.communities_per_street);
      city.streets.push_back(st);
      for (std::int64_t ci = 0; ci < s.communities_per_street; ++ci) {
        Community c;
        c.code = st.code + "C" + std::to_string(ci + 1);
        c.name = c.code;
        c.street = static_cast<std::uint32_t>(city.streets.size() - 1);
        c.district = d;
        auto rng = stream(seed, Purpose::CityPopulation, city.communities.size());
        c.rural = rng.bernoulli(s.rural_share);
        city.communities.push_back(c);
      }
    }
    const double residents = static_cast<double>(s.residents_per_community *
                                                 s.communities_per_street * s.streets_per_district);
    city.districts.back().population_target = residents;
    // Urban share by count, so that every community gets residents_per_community.
    std::size_t rural = 0, total = 0;
    for (std::size_t k = first_community; k < city.communities.size(); ++k) {
      rural += city.communities[k].rural ? 1 : 0;
      ++total;
    }
    city.districts.back().urban_share =
        1.0 - static_cast<double>(rural) / static_cast<double>(total);
  }
}

void index_streets(City& city) {
  for (auto& d : city.districts) d.street_count = 0;
  for (std::uint32_t i = 0; i < city.streets.size(); ++i) {
    District& d = city.districts[city.streets[i].district];
    if (d.street_count == 0) d.first_street = i;
    ++d.street_count;
  }
}

void lay_out(City& city, std::uint64_t seed) {
  for (std::uint32_t i = 0; i < city.streets.size(); ++i) {
    Street& st = city.streets[i];
    const District& d = city.districts[st.district];
    auto rng = stream(seed, Purpose::CityLayout, i);
    place_in_disc(rng, d.x_km, d.y_km, std::sqrt(d.area_km2 / std::numbers::pi), st.x_km, st.y_km);
  }
  for (std::uint32_t i = 0; i < city.communities.size(); ++i) {
    Community& c = city.communities[i];
    const Street& st = city.streets[c.street];
    const District& d = city.districts[c.district];
    const double r_street = std::sqrt(d.area_km2 / std::numbers::pi / std::max(1u, d.street_count));
    auto rng = stream(seed, Purpose::CityLayout, city.streets.size() + i);
    place_in_disc(rng, st.x_km, st.y_km, r_street, c.x_km, c.y_km);
  }
}

// Residents per community: the district's urban and rural populations shared among its
// residents' committees and villages with log-normal weights (docs/city.md).
void populate(const CitySettings& s, City& city, double scale, std::uint64_t seed,
              bool vary_sizes) {
  std::vector<std::vector<std::uint32_t>> by_district(city.districts.size());
  for (std::uint32_t i = 0; i < city.communities.size(); ++i) {
    by_district[city.communities[i].district].push_back(i);
  }
  std::vector<double> unscaled(city.communities.size(), 0.0);
  for (std::size_t d = 0; d < city.districts.size(); ++d) {
    District& dist = city.districts[d];
    const auto& ids = by_district[d];
    double urban_w = 0, rural_w = 0;
    std::vector<double> w(ids.size());
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const Community& c = city.communities[ids[k]];
      auto rng = stream(seed, Purpose::CityPopulation, ids[k]);
      w[k] = vary_sizes ? rng.lognormal_mean_cv(1.0, s.community_size_cv) : 1.0;
      // Farm and reservoir living areas (code suffix 5xx) are small settlements.
      if (c.code.size() == 12 && c.code[9] == '5') w[k] *= 0.2;
      (c.rural ? rural_w : urban_w) += w[k];
    }
    double urban_share = dist.urban_share;
    if (rural_w == 0) urban_share = 1;
    if (urban_w == 0) urban_share = 0;
    std::vector<double> share(ids.size());
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const bool rural = city.communities[ids[k]].rural;
      share[k] = rural ? (1 - urban_share) * w[k] / rural_w : urban_share * w[k] / urban_w;
      unscaled[ids[k]] = share[k] * dist.population_target;
    }
    const auto counts = sim::apportion(dist.population_target * scale, share);
    dist.residents = 0;
    const double density = dist.population_target / dist.area_km2;
    for (std::size_t k = 0; k < ids.size(); ++k) {
      Community& c = city.communities[ids[k]];
      c.residents = counts[k];
      dist.residents += counts[k];
      c.floating_share = static_cast<float>(c.rural ? s.rural_floating_share : s.floating_share);
      // Urban neighbourhoods are denser than the district average, villages sparser.
      c.density_per_km2 = static_cast<float>(density * (c.rural ? 0.3 : 1.5));
    }
  }
  std::uint32_t next_resident = 0, next_cell = 0;
  for (std::uint32_t i = 0; i < city.communities.size(); ++i) {
    Community& c = city.communities[i];
    c.first_resident = next_resident;
    next_resident += c.residents;
    c.first_cell = next_cell;
    c.cells = static_cast<std::uint32_t>(
        std::max(1.0, std::round(unscaled[i] / s.residents_per_grid_cell)));
    next_cell += c.cells;
    city.streets[c.street].residents += c.residents;
  }
  city.grid_cells = next_cell;
}

void connect(const CitySettings& s, City& city, const std::vector<Edge>& dedges) {
  city.district_neighbours = Adjacency::from_edges(city.districts.size(), dedges);
  std::vector<Edge> sedges, cedges;
  for (const auto& d : city.districts) {
    nearest_edges(city.streets, d.first_street, d.street_count, s.street_neighbours, sedges);
  }
  // Communities: nearest neighbours within each district.
  std::vector<std::uint32_t> first(city.districts.size(), 0), count(city.districts.size(), 0);
  for (std::uint32_t i = 0; i < city.communities.size(); ++i) {
    const auto d = city.communities[i].district;
    if (count[d] == 0) first[d] = i;
    ++count[d];
  }
  for (std::size_t d = 0; d < city.districts.size(); ++d) {
    nearest_edges(city.communities, first[d], count[d], s.community_neighbours, cedges);
  }
  // Across neighbouring districts, the closest pair of streets and of communities.
  for (const auto& [a, b] : dedges) {
    const District& da = city.districts[a];
    const District& db = city.districts[b];
    sedges.push_back(closest_pair(city.streets, da.first_street, da.street_count, db.first_street,
                                  db.street_count));
    cedges.push_back(closest_pair(city.communities, first[a], count[a], first[b], count[b]));
  }
  city.street_neighbours = Adjacency::from_edges(city.streets.size(), sedges);
  city.community_neighbours = Adjacency::from_edges(city.communities.size(), cedges);
}

}  // namespace

City build_city(const CitySettings& settings, double population_scale, std::uint64_t seed) {
  City city;
  std::vector<Edge> dedges;
  const bool guangzhou = settings.source == "guangzhou";
  if (guangzhou) {
    load_guangzhou_districts(settings, city, dedges);
    load_guangzhou_divisions(settings, city);
  } else {
    make_synthetic(settings.synthetic, city, seed, dedges);
  }
  index_streets(city);
  for (const District& d : city.districts) {
    if (d.street_count == 0) throw sim::InputError("district '" + d.name + "' has no streets");
  }
  lay_out(city, seed);
  populate(settings, city, population_scale, seed, guangzhou);
  connect(settings, city, dedges);
  return city;
}

}  // namespace gov

namespace gov {
std::vector<std::string> district_names(const CitySettings& settings) {
  std::vector<std::string> out;
  if (settings.source == "guangzhou") {
    const auto t = sim::CsvTable::load(settings.districts_file);
    const auto c_code = t.column("district_code"), c_name = t.column("district_name");
    for (std::size_t r = 0; r < t.rows(); ++r) {
      out.push_back(t.text(r, c_code));
      out.push_back(t.text(r, c_name));
    }
  } else {
    for (std::int64_t d = 0; d < settings.synthetic.districts; ++d) {
      out.push_back("D" + std::to_string(d + 1));
      out.push_back("district-" + std::to_string(d + 1));
    }
  }
  return out;
}
}  // namespace gov
