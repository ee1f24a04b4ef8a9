// `govsim run` of an experiment: policies x samples x replicates with common random numbers,
// checked before anything runs, run in parallel (or over MPI ranks, or as a shard) and written
// atomically to one HDF5 file, then compared.
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include "analysis/compare.hpp"
#include "analysis/sensitivity.hpp"
#include "app/commands.hpp"
#include "app/run_command.hpp"
#include "app/run_support.hpp"
#include "models/city/city_builder.hpp"
#include "models/governance_model.hpp"
#include "models/scenario/resource_estimate.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "sim/config/file_fingerprint.hpp"
#include "sim/experiment/calibration_spec.hpp"
#include "sim/experiment/experiment_runner.hpp"
#include "sim/experiment/experiment_spec.hpp"
#include "sim/experiment/interrupt.hpp"
#include "sim/experiment/mpi_world.hpp"
#include "sim/experiment/progress.hpp"
#include "sim/results/results_file.hpp"

namespace app {

namespace fs = std::filesystem;
using sim::config::Document;

std::vector<gov::Scenario> plan_scenarios(const sim::ExperimentSpec& spec,
                                          const std::vector<sim::RunPlan>& plans,
                                          const Overrides& o) {
  std::vector<gov::Scenario> out;
  out.reserve(plans.size());
  for (const auto& p : plans) {
    Document doc = p.scenario;
    // --days wins over the experiment's days, and so names itself in the warm-up note.
    if (spec.days && !o.days) doc = with_days(doc, *spec.days, spec.days_loc);
    if (spec.population_scale) {
      doc = doc.with_value("population.scale", *spec.population_scale, spec.population_scale_loc);
    }
    gov::Scenario s = gov::load_scenario(with_overrides(doc, o, false));
    s.run.seed = static_cast<std::int64_t>(p.seed & kSeedMask);
    if (o.seed)
      s.run.seed = static_cast<std::int64_t>(
          sim::replicate_seed(static_cast<std::uint64_t>(*o.seed), p.replicate) & kSeedMask);
    out.push_back(std::move(s));
  }
  return out;
}

void check_primary_metrics(const sim::ExperimentSpec& spec, const gov::Scenario& first,
                           gov::StartingPopulationCache* cache) {
  if (spec.primary_metrics.empty()) return;
  gov::Scenario probe = first;
  probe.run.days = 2;
  probe.run.warmup_days = 0;
  const sim::RunRecord rec = run_model(probe, nullptr, cache);
  for (const sim::PrimaryMetric& m : spec.primary_metrics) {
    if (std::any_of(rec.summary.begin(), rec.summary.end(),
                    [&](const auto& s) { return s.name == m.name; }))
      continue;
    std::string names;
    for (const auto& s : rec.summary) names += (names.empty() ? "" : ", ") + s.name;
    throw sim::InputError(m.loc, "experiment.primary_metrics." + m.name,
                          "not a summary metric of the model; available: " + names);
  }
}

namespace {

// The data files a run's scenario reads, as run attributes `data_file:<key>` = "PATH
// FINGERPRINT": stored with the run, so that --resume refuses to mix runs made before and after
// a data file changed, naming the file. `seen` caches fingerprints by path.
sim::Attributes data_fingerprints(const gov::Scenario& s,
                                  std::map<std::string, std::string>& seen) {
  sim::Attributes out;
  for (const auto& [key, path] : {std::pair{"city.divisions_file", s.city.divisions_file},
                                  std::pair{"city.districts_file", s.city.districts_file}}) {
    if (path.empty()) continue;
    auto it = seen.find(path);
    if (it == seen.end()) it = seen.emplace(path, sim::file_fingerprint(path)).first;
    out.emplace_back(std::string("data_file:") + key, path + " " + it->second);
  }
  return out;
}

// The primary metrics as the results file records them: "name:higher,name:lower".
std::string primary_metrics_attribute(const sim::ExperimentSpec& spec) {
  std::string out;
  for (const sim::PrimaryMetric& m : spec.primary_metrics)
    out += (out.empty() ? "" : ",") + m.name + (m.higher_is_better ? ":higher" : ":lower");
  return out;
}

}  // namespace

int run_experiment(const RunArgs& args) {
  sim::InterruptGuard guard;  // from the start: a signal while planning still exits 130
  const sim::ExperimentSpec spec = sim::load_experiment(args.file);
  const auto plans = sim::expand(spec);
  const auto scenarios =
      plan_scenarios(spec, plans, {args.days, args.seed, args.scale, args.settings});
  const auto limit = thread_limit(args.threads);
  const std::size_t threads =
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  // Refused before any set-up is built. Under MPI rank 0 makes no runs (the workers are not
  // checked: they hold one run per thread of their own).
  std::vector<gov::ResourceEstimate> estimates;
  estimates.reserve(scenarios.size());
  for (const auto& s : scenarios) estimates.push_back(gov::estimate_resources(s));
  if (sim::mpi_size() == 1) {
    const auto& largest =
        *std::max_element(estimates.begin(), estimates.end(),
                          [](const auto& a, const auto& b) { return a.run_bytes < b.run_bytes; });
    const std::size_t at_once =
        args.serial_runs ? 1 : std::min(threads, std::max<std::size_t>(scenarios.size(), 1));
    check_memory(largest, at_once, at_once + 1, parse_max_memory(args.max_memory));
  }
  // The runs in flight need their set-ups, and one more lets the next group's build overlap.
  gov::StartingPopulationCache populations(threads + 1);
  check_primary_metrics(spec, scenarios.front(), &populations);
  const std::string output = args.output.empty() ? "results/" + spec.name + ".h5" : args.output;
  check_output(output);
  {
    // The parts and then the merged file share the output's file system: twice the results at
    // the end (a resumed run has written some parts already; the file alone is counted).
    double results = 0;
    for (const auto& e : estimates) results += e.results_bytes;
    const auto& largest = *std::max_element(
        estimates.begin(), estimates.end(),
        [](const auto& a, const auto& b) { return a.results_bytes < b.results_bytes; });
    check_disk(output, results * (args.resume ? 1 : 2),
               fmt::format("{} runs written as parts, then merged into one file; the largest run "
                           "about {:.3g} MiB from {}",
                           scenarios.size(), largest.results_bytes / (1024.0 * 1024),
                           largest.results_drivers));
  }
  if (fs::path(output).has_parent_path()) fs::create_directories(fs::path(output).parent_path());
  sim::throw_if_interrupted();  // interrupted while planning: nothing to keep
  sim::ResultsWriter writer(output, args.resume, args.overwrite);
  print_notes();
  std::vector<sim::RunTask> tasks;
  std::vector<std::string> order;
  std::map<std::string, std::string> fingerprints;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const auto& p = plans[i];
    sim::Attributes a = {{"policy", p.policy}, {"replicate", std::to_string(p.replicate)}};
    if (spec.sweep_method != "none") {
      a.emplace_back("sample", std::to_string(p.sample));
      a.emplace_back("sweep_method", spec.sweep_method);
    }
    // `govsim sensitivity` rebuilds the design's blocks from N and the parameter order.
    if (spec.sweep_method == "saltelli") {
      a.emplace_back("saltelli_base_samples", std::to_string(spec.saltelli_samples));
      if (spec.saltelli_second_order) a.emplace_back("saltelli_second_order", "1");
    }
    if (spec.sweep_method == "morris") {
      a.emplace_back("morris_trajectories", std::to_string(spec.morris_trajectories));
      a.emplace_back("morris_levels", std::to_string(spec.morris_levels));
    }
    a.emplace_back("seed", std::to_string(scenarios[i].run.seed));
    for (auto& kv : data_fingerprints(scenarios[i], fingerprints)) a.push_back(std::move(kv));
    a.emplace_back("scenario_yaml", gov::resolved_yaml(scenarios[i]));
    for (const auto& [k, v] : p.parameters) a.emplace_back("parameter:" + k, fmt::format("{}", v));
    tasks.push_back({p.name(), a, gov::starting_population_key(scenarios[i])});
    order.push_back(p.name());
  }
  // A shard runs every N-th run; its file says which experiment (a fingerprint of every run's
  // name and attributes) and which runs the whole has, so `govsim merge` can check and order.
  std::vector<std::size_t> scenario_of(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) scenario_of[i] = i;
  sim::Attributes shard_attributes;
  if (args.shard) {
    const auto [k, n] = *args.shard;
    std::string all, run_order;
    for (const auto& t : tasks) {
      all += t.name + '\n';
      run_order += (run_order.empty() ? "" : "\n") + t.name;
      for (const auto& [key, value] : t.attributes) all += fmt::format("{}={}\n", key, value);
    }
    shard_attributes = {{"shard", fmt::format("{}/{}", k, n)},
                        {"experiment_hash", sim::text_fingerprint(all)},
                        {"experiment_run_order", run_order}};
    std::vector<sim::RunTask> mine;
    std::vector<std::string> my_order;
    scenario_of.clear();
    for (std::size_t i = k - 1; i < tasks.size(); i += n) {
      mine.push_back(tasks[i]);
      my_order.push_back(order[i]);
      scenario_of.push_back(i);
    }
    tasks = std::move(mine);
    order = std::move(my_order);
  }
  const auto start = std::chrono::steady_clock::now();
  std::cerr << fmt::format(
      "{}: {} runs ({} policies x {} samples x {} replicates){} -> {}\n", spec.name, plans.size(),
      spec.policies.size(),
      plans.size() / spec.policies.size() / static_cast<std::size_t>(spec.replicates),
      spec.replicates,
      args.shard ? fmt::format(", shard {}/{}: {} runs", args.shard->first, args.shard->second,
                               tasks.size())
                 : std::string(),
      output);
  sim::RunnerOptions ro;
  // Several runs keep both cores busy on their own; a single run parallelises inside itself.
  ro.parallel_runs = !args.serial_runs && tasks.size() > 1;
  ro.show_progress = args.progress;
  // MPI workers make each run from its resolved scenario (serve_run_worker).
  ro.remote_payload = [&](std::size_t i) { return gov::resolved_yaml(scenarios[scenario_of[i]]); };
  const auto report = sim::run_all(
      tasks, writer,
      [&](std::size_t i) { return run_model(scenarios[scenario_of[i]], nullptr, &populations); },
      ro);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sim::Attributes root{{"experiment_file", args.file},
                       {"experiment_yaml", spec.text},
                       {"base_scenario_yaml", spec.base.to_yaml()},
                       {"master_seed", std::to_string(spec.seed)},
                       {"wall_seconds", fmt::format("{}", std::round(wall * 1000) / 1000)}};
  if (!spec.sweep.empty()) {
    // The sweep's parameters as data: how each was drawn (its range or distribution).
    std::string swept;
    for (const auto& p : spec.sweep)
      swept += p.key_path + ": " +
               (spec.sweep_method == "design" ? "from " + spec.design_file.string()
                : spec.sweep_method == "grid" ? "grid of " + std::to_string(p.values.size())
                                              : p.describe()) +
               "\n";
    root.emplace_back("sweep_method", spec.sweep_method);
    root.emplace_back("sweep_parameters", swept);
  }
  if (!spec.primary_metrics.empty()) {
    root.emplace_back("primary_metrics", primary_metrics_attribute(spec));
    root.emplace_back("multiple_comparisons", spec.multiple_comparisons);
  }
  root.insert(root.end(), shard_attributes.begin(), shard_attributes.end());
  writer.finish(provenance("govsim experiment: " + spec.name, root), order,
                {"policy", "sample", "replicate"});
  std::cerr << fmt::format("{} runs done, {} resumed, {} failed in {:.1f} s; wrote {}\n",
                           report.completed, report.skipped, report.failed, wall, output);
  if (args.shard) {
    std::cerr << "a shard: combine the shards with govsim merge SHARD.h5... -o FILE.h5\n";
    return report.failed > 0 ? sim::kExitInternal : sim::kExitOk;
  }
  analysis::CompareOptions co;
  co.baseline = spec.policies.front().name;
  co.metrics = args.compare_metrics;
  co.stock_series = {"city_open"};  // the governance model's open stock
  // A saltelli or morris design's points are there to apportion or screen effects, not to be
  // compared one by one: their indices, on --compare-metric, else the primary metrics, else all.
  const bool screening = spec.sweep_method == "saltelli" || spec.sweep_method == "morris";
  const int rc = report_bad_input(screening ? "sensitivity" : "compare", [&] {
    if (screening) {
      std::vector<std::string> metrics = args.compare_metrics;
      if (metrics.empty())
        for (const auto& m : spec.primary_metrics) metrics.push_back(m.name);
      if (metrics.empty()) metrics.emplace_back();  // every metric
      for (const auto& m : metrics)
        analysis::write_sensitivity_report(output, m, "table", std::cout);
    } else {
      analysis::write_compare_report(output, co, std::cout);
    }
  });
  return report.failed > 0 ? sim::kExitInternal : rc;
}

}  // namespace app
