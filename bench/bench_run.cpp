// Runs a scenario (default: the full Guangzhou baseline for 30 days) and prints throughput.
//   bench_run [SCENARIO] [--days D] [--scale X] [--threads N]
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <string>

#include "bench/peak_memory.hpp"
#include "models/governance_model.hpp"
#include "models/scenario_loader.hpp"

int main(int argc, char** argv) {
  std::string file = std::string(GOVSIM_SOURCE_DIR) + "/scenarios/guangzhou.yaml";
  int days = 30, threads = 0;
  double scale = 1.0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--days") && i + 1 < argc)
      days = std::stoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--scale") && i + 1 < argc)
      scale = std::stod(argv[++i]);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = std::stoi(argv[++i]);
    else
      file = argv[i];
  }
  std::unique_ptr<tbb::global_control> limit;
  if (threads > 0) {
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(threads));
  }
  const int used = threads > 0 ? threads : tbb::info::default_concurrency();
  gov::Scenario s = gov::load_scenario_file(file);
  s.run.days = days;
  s.run.warmup_days = 0;
  s.population.scale = scale;
  gov::GovernanceModel model(s);
  const auto t0 = std::chrono::steady_clock::now();
  const auto rec = model.run();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double issues = 0;
  for (const auto& v : rec.variables) {
    if (v.name == "city_arising")
      for (double x : v.data) issues += x;
  }
  const double residents = static_cast<double>(model.world().city.residents());
  fmt::print("{}: {} days, {:.0f} residents, {} thread(s)\n", s.name, days, residents, used);
  fmt::print("build {:.2f} s; run {:.2f} s = {:.3f} s per simulated day\n", model.build_seconds(),
             secs, secs / days);
  fmt::print("throughput: {:.3g} resident-days/s, {:.3g} issues/s ({:.0f} issues)\n",
             residents * days / secs, issues / secs, issues);
  fmt::print("peak RSS {:.1f} MiB = {:.1f} bytes per resident; a year would take about {:.0f} s\n",
             bench::peak_rss_mib(), bench::peak_rss_mib() * 1048576.0 / residents,
             secs / days * 365.0);
  return 0;
}
