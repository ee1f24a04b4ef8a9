// Runs a scenario (default: the full Guangzhou baseline, 60 days) on 1 and on 2 threads and prints,
// in one run so the figures share the machine's state: run time and throughput per thread count,
// the speed-up, the time to build and to copy the starting population, peak memory per resident,
// and the throughput of a plain sweep over the residents' state on the same machine (the memory
// bound a model that touched every resident every day could not beat).
//   bench_run [SCENARIO] [--days D] [--scale X] [--threads 1,2]
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bench/peak_memory.hpp"
#include "models/city/starting_population.hpp"
#include "models/governance_model.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "sim/phase_clock.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Reads and writes every resident's six bytes once per "day", on `threads` threads: the least a
// daily pass over all residents costs here. Returns resident-days per second (median of days).
double sweep_resident_days_per_s(gov::Residents& r, std::size_t threads, int days) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const std::size_t n = r.size();
  std::vector<double> per_day;
  for (int d = 0; d < days; ++d) {
    const auto t0 = Clock::now();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 16),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          r.trust[i] = static_cast<std::uint16_t>(r.trust[i] ^ 1u);
                          r.satisfaction[i] = static_cast<std::uint16_t>(r.satisfaction[i] ^ 1u);
                          r.ties[i] = static_cast<std::uint8_t>(r.ties[i] ^ 1u);
                          r.traits[i] = static_cast<std::uint8_t>(r.traits[i] ^ 0x80u);
                        }
                      });
    per_day.push_back(seconds_since(t0));
  }
  std::sort(per_day.begin(), per_day.end());
  return static_cast<double>(n) / per_day[per_day.size() / 2];
}

// Where the time goes, per thread count, and what the serial phases leave for more threads.
void print_phases(const std::vector<std::size_t>& threads,
                  const std::vector<sim::PhaseClock>& profiles) {
  // Shares and Amdahl's ceiling come from the run on the fewest threads (the serial baseline).
  const auto base =
      static_cast<std::size_t>(std::min_element(threads.begin(), threads.end()) - threads.begin());
  const sim::PhaseClock& first = profiles[base];
  fmt::print("\nwhere the time goes (wall seconds per phase; share of the {}-thread run)\n",
             threads[base]);
  fmt::print("{:<44} {:>8}", "phase", "parallel");
  for (std::size_t t : threads) fmt::print(" {:>8}", fmt::format("{} thr", t));
  fmt::print(" {:>7}\n", "share");
  for (std::size_t k = 0; k < first.phases().size(); ++k) {
    fmt::print("{:<44} {:>8}", first.phases()[k].name, first.phases()[k].parallel ? "yes" : "no");
    for (const auto& p : profiles) fmt::print(" {:>8.2f}", p.seconds(k));
    fmt::print(" {:>6.1f}%\n", 100.0 * first.seconds(k) / first.total_seconds());
  }
  fmt::print("serial phases: {:.1f}% of the {}-thread run; ",
             100.0 * first.serial_seconds() / first.total_seconds(), threads[base]);
  fmt::print("Amdahl's ceiling for 2 threads {:.2f}x, for 8 threads {:.2f}x\n\n",
             first.amdahl_ceiling(2), first.amdahl_ceiling(8));
}

}  // namespace

int main(int argc, char** argv) {
  std::string file = std::string(GOVSIM_SOURCE_DIR) + "/scenarios/guangzhou.yaml";
  int days = 60;
  double scale = 1.0;
  std::vector<std::size_t> thread_counts{1, 2};
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--days") && i + 1 < argc) {
      days = std::stoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--scale") && i + 1 < argc) {
      scale = std::stod(argv[++i]);
    } else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
      thread_counts.clear();
      std::stringstream list(argv[++i]);
      for (std::string t; std::getline(list, t, ',');) thread_counts.push_back(std::stoul(t));
    } else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      fmt::print("usage: bench_run [SCENARIO] [--days D] [--scale X] [--threads 1,2]\n");
      return 0;
    } else if (argv[i][0] == '-') {
      fmt::print(stderr, "bench_run: unknown option or missing value: {}\n", argv[i]);
      return 2;
    } else {
      file = argv[i];
    }
  }
  gov::Scenario s = gov::load_scenario_file(file);
  s.run.days = days;
  s.run.warmup_days = 0;
  s.population.scale = scale;

  auto t0 = Clock::now();
  const gov::StartingPopulation start = gov::build_starting_population(s);
  const double build_s = seconds_since(t0);
  const double residents = static_cast<double>(start.residents.size());
  fmt::print("{}: {} days, {:.0f} residents, {} communities\n", s.name, days, residents,
             start.city.communities.size());
  fmt::print("starting population: built in {:.2f} s; ", build_s);

  std::vector<double> run_s;
  std::vector<sim::PhaseClock> profiles;
  double issues = 0, copy_s = 0;
  for (std::size_t threads : thread_counts) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    gov::GovernanceModel model(s, start);
    if (run_s.empty()) {
      copy_s = model.build_seconds();
      fmt::print("a run copies it in {:.2f} s ({:.0f}x faster)\n", copy_s, build_s / copy_s);
    }
    t0 = Clock::now();
    const auto rec = model.run();
    run_s.push_back(seconds_since(t0));
    profiles.push_back(model.phase_times());
    issues = 0;
    for (const auto& v : rec.variables) {
      if (v.name == "city_arising")
        for (double x : v.data) issues += x;
    }
  }
  fmt::print("{:>8} {:>9} {:>11} {:>15} {:>12} {:>14}\n", "threads", "run s", "s per day",
             "resident-day/s", "issues/s", "year (est.) s");
  for (std::size_t k = 0; k < run_s.size(); ++k) {
    fmt::print("{:>8} {:>9.2f} {:>11.4f} {:>15.3g} {:>12.3g} {:>14.1f}\n", thread_counts[k],
               run_s[k], run_s[k] / days, residents * days / run_s[k], issues / run_s[k],
               run_s[k] / days * 365.0);
  }
  if (run_s.size() > 1) {
    fmt::print("speed-up {} -> {} threads: {:.2f}x\n", thread_counts.front(), thread_counts.back(),
               run_s.front() / run_s.back());
  }
  print_phases(thread_counts, profiles);
  gov::Residents scratch = start.residents;
  const std::size_t most = *std::max_element(thread_counts.begin(), thread_counts.end());
  const double bound = sweep_resident_days_per_s(scratch, most, 15);
  const double best = residents * days / *std::min_element(run_s.begin(), run_s.end());
  fmt::print(
      "memory sweep over the residents' {} bytes each, {} threads: {:.3g} resident-days/s; "
      "govsim runs at {:.2f}x that (above 1: it does not touch every resident every day)\n",
      gov::Residents::bytes_per_resident(), most, bound, best / bound);
  // At its peak the benchmark holds the shared build besides a run's own copy; `govsim run` on a
  // single scenario holds only the run's (the sweep's copy is made after the runs have freed
  // theirs).
  const double extra_mib = residents * gov::Residents::bytes_per_resident() / 1048576.0;
  fmt::print(
      "peak RSS {:.1f} MiB; less the shared build's copy of the residents, {:.1f} MiB = "
      "{:.1f} bytes per resident (resident state {} bytes)\n",
      bench::peak_rss_mib(), bench::peak_rss_mib() - extra_mib,
      (bench::peak_rss_mib() - extra_mib) * 1048576.0 / residents,
      gov::Residents::bytes_per_resident());
  return 0;
}
