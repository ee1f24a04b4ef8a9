// Builds the whole of Guangzhou (18.8 million residents) and prints build time and memory.
//   bench_city [SCENARIO] [--scale X] [--repeat N]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "bench/peak_memory.hpp"
#include "models/city/city_builder.hpp"
#include "models/city/residents.hpp"
#include "models/scenario/scenario_loader.hpp"

int main(int argc, char** argv) {
  std::string file = std::string(GOVSIM_SOURCE_DIR) + "/scenarios/guangzhou.yaml";
  double scale = 1.0;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--scale") && i + 1 < argc)
      scale = std::stod(argv[++i]);
    else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = std::stoi(argv[++i]);
    else
      file = argv[i];
  }
  gov::Scenario s = gov::load_scenario_file(file);
  s.population.scale = scale;
  std::vector<double> seconds;
  std::size_t residents = 0, bytes = 0;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const gov::City city = gov::build_city(s.city, scale, static_cast<std::uint64_t>(s.run.seed));
    const gov::Residents res =
        gov::build_residents(city, s.population, static_cast<std::uint64_t>(s.run.seed));
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    residents = res.size();
    bytes = res.trust.capacity() * 2 + res.satisfaction.capacity() * 2 + res.ties.capacity() +
            res.traits.capacity();
  }
  std::sort(seconds.begin(), seconds.end());
  fmt::print("city build: {} residents, median {:.3f} s over {} builds (min {:.3f}, max {:.3f})\n",
             residents, seconds[seconds.size() / 2], repeat, seconds.front(), seconds.back());
  fmt::print(
      "resident state: {:.2f} bytes per resident ({:.1f} MiB); peak RSS {:.1f} MiB ({:.2f} bytes "
      "per resident)\n",
      static_cast<double>(bytes) / static_cast<double>(residents),
      static_cast<double>(bytes) / 1048576.0, bench::peak_rss_mib(),
      bench::peak_rss_mib() * 1048576.0 / static_cast<double>(residents));
  return 0;
}
