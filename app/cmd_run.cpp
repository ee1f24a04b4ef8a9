// `govsim run` of a single scenario, the MPI worker's runs, and `govsim validate`; experiments are
// in cmd_run_experiment.cpp.
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

Document with_overrides(Document doc, const Overrides& o, bool seed_too) {
  if (o.scale && !std::isfinite(*o.scale)) {
    throw sim::InputError(fmt::format("--scale: expected a finite number, got {}", *o.scale));
  }
  if (o.days) doc = with_days(doc, *o.days, {"--days", 0, 0});
  if (o.seed && seed_too)
    doc = doc.with_value("run.seed", static_cast<double>(*o.seed), {"--seed", 0, 0});
  if (o.scale) doc = doc.with_value("population.scale", *o.scale, {"--scale", 0, 0});
  // Any key: the schema reads the value as it would read it in the file, and errors name the flag.
  for (const std::string& setting : o.settings) {
    const std::string flag = "--set " + setting;
    const auto eq = setting.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == setting.size())
      throw sim::InputError(
          fmt::format("{}: expected KEY=VALUE, e.g. hotline.call_takers=300", flag));
    doc = doc.with_scalar(setting.substr(0, eq), setting.substr(eq + 1), {flag, 0, 0});
  }
  return doc;
}

sim::RunRecord run_model(const gov::Scenario& s, sim::Progress* progress,
                         gov::StartingPopulationCache* cache) {
  gov::GovernanceModel model =
      cache ? gov::GovernanceModel(s, *cache->get(s)) : gov::GovernanceModel(s);
  gov::RunOptions ro;
  if (progress != nullptr) ro.on_day_done = [progress](int) { progress->advance(); };
  return model.run(ro);
}

namespace {

double series_sum(const sim::RunRecord& r, const std::string& name) {
  for (const auto& v : r.variables) {
    if (v.name == name) {
      double s = 0;
      for (double x : v.data) s += x;
      return s;
    }
  }
  return 0;
}

void print_summary(const gov::Scenario& s, const sim::RunRecord& r, std::ostream& out) {
  out << fmt::format(
      "\n{} — {} days, {} residents, seed {}\n\n", s.name, s.run.days,
      [&] {
        for (const auto& [k, v] : r.attributes)
          if (k == "residents") return v;
        return std::string("?");
      }(),
      s.run.seed);
  out << "Issues by origin and fate (whole run)\n";
  const char* rows[][2] = {{"arising", "arose"},
                           {"reported", "  reported by residents (12345)"},
                           {"discovered", "  found by grid patrols"},
                           {"spawned_by_cascade", "  follow-ons of escalations"},
                           {"settled_in_community", "settled in the community"},
                           {"closed_on_spot", "closed on the spot"},
                           {"resolved", "closed and truly solved"},
                           {"falsely_closed", "closed falsely"},
                           {"reopened", "  reopened after a call-back"},
                           {"dropped", "dropped (never reported or found)"},
                           {"escalated", "escalated"},
                           {"transfers", "transfers"},
                           {"duplicate_work_orders", "duplicate work orders"},
                           {"whistles", "whistles"}};
  for (const auto& row : rows) {
    out << fmt::format("  {:<38} {:>12.0f}\n", row[1],
                       series_sum(r, std::string("city_") + row[0]));
  }
  out << (s.run.warmup_days > 0
              ? fmt::format("\nSummary (after the {}-day warm-up)\n", s.run.warmup_days)
              : std::string("\nSummary (every day: no warm-up)\n"));
  for (const auto& sc : r.summary) {
    out << fmt::format("  {:<32} {:>12.4g} {:<8} {}\n", sc.name, sc.value, sc.unit, sc.description);
  }
}

int run_single(const RunArgs& args) {
  sim::InterruptGuard guard;  // from the start: a signal while reading still exits 130
  const gov::Scenario s = gov::load_scenario(with_overrides(
      Document::load(args.file), {args.days, args.seed, args.scale, args.settings}, true));
  const gov::ResourceEstimate need = gov::estimate_resources(s);
  check_memory(need, 1, 0, parse_max_memory(args.max_memory));
  std::unique_ptr<sim::ResultsWriter> writer;
  if (!args.output.empty()) {
    check_output(args.output);
    check_disk(args.output, need.results_bytes, need.results_drivers);
    if (fs::path(args.output).has_parent_path()) {
      fs::create_directories(fs::path(args.output).parent_path());
    }
    writer = std::make_unique<sim::ResultsWriter>(args.output, false, args.overwrite);
  }
  print_notes();
  const auto limit = thread_limit(args.threads);
  sim::RunRecord rec;
  try {
    sim::throw_if_interrupted();
    sim::Progress progress(s.name, static_cast<std::size_t>(s.run.days), args.progress, "days");
    rec = run_model(s, &progress);
    progress.finish();
  } catch (const sim::Interrupted&) {
    // A single run has nothing to resume: leave no parts behind, and say so.
    if (writer) writer->discard();
    std::cerr << "govsim: interrupted; nothing was written (a single run cannot be resumed)\n";
    return sim::kExitInterrupted;
  } catch (...) {
    if (writer) writer->discard();  // e.g. a data file the city cannot be built from
    throw;
  }
  print_summary(s, rec, std::cout);
  if (writer) {
    const std::string name = "run.r000";
    rec.attributes.insert(
        rec.attributes.begin(),
        {{"policy", "run"}, {"replicate", "0"}, {"scenario_yaml", gov::resolved_yaml(s)}});
    writer->write_run(name, rec);
    writer->finish(
        provenance("govsim run: " + s.name,
                   {{"scenario_file", args.file}, {"base_scenario_yaml", gov::resolved_yaml(s)}}),
        {name});
    std::cout << "\nwrote " << args.output << '\n';
  }
  return sim::kExitOk;
}

}  // namespace

int cmd_run(const RunArgs& args) {
  if (sim::is_experiment_file(args.file)) return run_experiment(args);
  if (args.resume) throw sim::InputError("--resume applies to experiment files only");
  if (args.shard) throw sim::InputError("--shard applies to experiment files only");
  return run_single(args);
}

int serve_run_worker(const RunArgs& args) {
  sim::InterruptGuard guard;
  const auto limit = thread_limit(args.threads);
  // As in one process: as many runs at once as threads (a run parallelises little inside), and
  // room for the set-ups of the runs in flight plus the next.
  const int slots = args.serial_runs ? 1
                                     : static_cast<int>(tbb::global_control::active_value(
                                           tbb::global_control::max_allowed_parallelism));
  gov::StartingPopulationCache populations(static_cast<std::size_t>(slots) + 1);
  // Each worker checks the runs it is sent against its own memory (rank 0 cannot see it): a run
  // that would not fit fails, naming this rank and host, instead of the kernel killing the rank.
  const std::uint64_t max_memory = parse_max_memory(args.max_memory);
  return sim::serve_runs(
      [&](const std::string& scenario_yaml) {
        const gov::Scenario s =
            gov::load_scenario(Document::parse(scenario_yaml, "scenario sent by rank 0"));
        check_memory(gov::estimate_resources(s), static_cast<std::size_t>(slots),
                     static_cast<std::size_t>(slots) + 1, max_memory);
        return run_model(s, nullptr, &populations);
      },
      slots);
}

int cmd_validate(const std::vector<std::string>& files) {
  for (const auto& f : files) {
    if (sim::is_calibration_file(f)) {
      check_calibration(f);
      std::cout << fmt::format("ok: {} (calibration)\n", f);
    } else if (sim::is_experiment_file(f)) {
      const auto spec = sim::load_experiment(f);
      const auto plans = sim::expand(spec);
      check_primary_metrics(spec, plan_scenarios(spec, plans, {}).front());
      std::cout << fmt::format("ok: {} (experiment: {} runs)\n", f, plans.size());
    } else {
      const auto s = gov::load_scenario_file(f);
      // The city is built (not its residents), so that the data files' contents are checked.
      (void)gov::build_city(s.city, s.population.scale, static_cast<std::uint64_t>(s.run.seed));
      std::cout << fmt::format("ok: {} (scenario '{}')\n", f, s.name);
    }
  }
  return sim::kExitOk;
}

}  // namespace app
