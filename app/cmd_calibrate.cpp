// `govsim calibrate`: fits a calibration file's free parameters to its published targets by
// ABC-SMC (sim/experiment/abc_smc.hpp), each proposal a model run stored as it finishes (so an
// interrupted calibration resumes), then runs the posterior mean, reports every target (met or not)
// and the held-out figures side by side, and writes all of it to one HDF5 file.
#include <fmt/format.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>

#include "app/commands.hpp"
#include "app/run_support.hpp"
#include "models/governance_model.hpp"
#include "models/scenario/resource_estimate.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "sim/config/spec_input.hpp"
#include "sim/experiment/abc_smc.hpp"
#include "sim/experiment/calibration_spec.hpp"
#include "sim/experiment/experiment_runner.hpp"
#include "sim/experiment/interrupt.hpp"
#include "sim/experiment/mpi_world.hpp"
#include "sim/random.hpp"
#include "sim/results/results_file.hpp"

namespace app {
namespace {

namespace fs = std::filesystem;
using sim::config::Document;

constexpr std::uint64_t kSeedMask = (1ULL << 53) - 1;
constexpr std::uint64_t kPurposeRunSeed = 0xCA1B;

struct Calibration {
  sim::CalibrationSpec spec;
  Document base;  // with the file's days and scale
  double scale = 1;
  std::vector<Document> held_overlays;  // one per held-out figure

  gov::Scenario scenario(const std::vector<double>& theta, std::uint64_t seed,
                         const Document& overlay = Document()) const {
    gov::Scenario s = gov::load_scenario(sim::with_parameters(spec, base.merged(overlay), theta));
    s.run.seed = static_cast<std::int64_t>(seed & kSeedMask);
    return s;
  }
  std::vector<double> observe(const std::vector<sim::CalibrationFigure>& figures,
                              const sim::RunRecord& rec) const {
    std::vector<double> out;
    out.reserve(figures.size());
    for (const auto& f : figures)
      out.push_back(sim::observe(f.output, rec, scale, spec.measure_from_day));
    return out;
  }
};

std::string run_name(int generation, std::size_t index) {
  return fmt::format("g{:02d}.p{:06d}", generation, index);
}

// A proposal's run keeps only what the calibration reads: its summary and, as attributes, the
// parameter values, the targets' model values and the distance (read back on --resume).
sim::RunRecord proposal_record(const Calibration& c, const gov::Scenario& s) {
  gov::GovernanceModel model(s);
  sim::RunRecord full = model.run();
  const auto model_values = c.observe(c.spec.targets, full);
  sim::RunRecord rec;
  rec.summary = std::move(full.summary);
  rec.attributes.emplace_back(
      "distance", fmt::format("{}", sim::target_distance(c.spec.targets, model_values)));
  rec.numeric_attributes.emplace_back("distance");
  for (std::size_t i = 0; i < model_values.size(); ++i)
    rec.attributes.emplace_back("target:" + c.spec.targets[i].name,
                                fmt::format("{}", model_values[i]));
  return rec;
}

double stored_distance(const sim::ResultsWriter& writer, const std::string& name) {
  if (!writer.has_run(name)) return INFINITY;  // failed: never accepted
  for (const auto& [k, v] : writer.stored_attributes(name)) {
    if (k == "distance") return std::stod(v);
  }
  return INFINITY;
}

sim::RunRecord abc_record(const sim::CalibrationSpec& spec, const sim::AbcResult& r) {
  sim::RunRecord rec;
  sim::Dimension parameter{"parameter", "", "free parameter (calibration file order)", {}, {}};
  for (const auto& p : spec.parameters) parameter.labels.push_back(p.key);
  sim::Dimension tried{"tried", "", "simulated proposal", {}, {}};
  for (std::size_t i = 0; i < r.tried.size(); ++i) tried.values.push_back(static_cast<double>(i));
  sim::Dimension generation{"generation", "", "ABC-SMC generation", {}, {}};
  for (std::size_t g = 0; g < r.generations.size(); ++g)
    generation.values.push_back(static_cast<double>(g));
  sim::Dimension particle{"particle", "", "accepted particle of the last generation", {}, {}};
  const auto& last = r.generations.back();
  for (std::size_t i = 0; i < last.particles.size(); ++i)
    particle.values.push_back(static_cast<double>(i));
  rec.dimensions = {parameter, tried, generation, particle};
  sim::Variable theta{
      "tried_value", "", "parameter values of every proposal", {"tried", "parameter"}, {}};
  sim::Variable dist{"tried_distance", "1", "RMS of (model - target) / tolerance", {"tried"}, {}};
  sim::Variable gen{"tried_generation", "", "generation of the proposal", {"tried"}, {}};
  sim::Variable acc{"tried_accepted", "", "1 if accepted into its generation", {"tried"}, {}};
  for (const auto& t : r.tried) {
    theta.data.insert(theta.data.end(), t.theta.begin(), t.theta.end());
    dist.data.push_back(t.distance);
    gen.data.push_back(t.generation);
    acc.data.push_back(t.accepted ? 1.0 : 0.0);
  }
  sim::Variable tol{"generation_tolerance", "1", "acceptance tolerance", {"generation"}, {}};
  sim::Variable props{"generation_proposals", "", "proposals simulated", {"generation"}, {}};
  sim::Variable ess{
      "generation_ess", "", "effective sample size of the weights", {"generation"}, {}};
  for (const auto& g : r.generations) {
    tol.data.push_back(g.tolerance);
    props.data.push_back(static_cast<double>(g.proposals));
    ess.data.push_back(g.effective_sample_size());
  }
  sim::Variable post{
      "posterior_value", "", "posterior sample (last generation)", {"particle", "parameter"}, {}};
  sim::Variable w{"posterior_weight", "1", "importance weight", {"particle"}, {}};
  sim::Variable pd{"posterior_distance", "1", "distance of the particle", {"particle"}, {}};
  for (std::size_t i = 0; i < last.particles.size(); ++i) {
    post.data.insert(post.data.end(), last.particles[i].begin(), last.particles[i].end());
    w.data.push_back(last.weights[i]);
    pd.data.push_back(last.distances[i]);
  }
  rec.variables = {theta, dist, gen, acc, tol, props, ess, post, w, pd};
  const auto mean = last.mean();
  const auto var = last.variance();
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    rec.summary.push_back(
        {"posterior_mean:" + spec.parameters[k].key, "", "weighted mean", mean[k]});
    rec.summary.push_back(
        {"posterior_sd:" + spec.parameters[k].key, "", "weighted sd", std::sqrt(var[k])});
  }
  return rec;
}

void print_figures(std::ostream& out, const std::vector<sim::CalibrationFigure>& figures,
                   const std::vector<double>& model, bool targets) {
  out << (targets ? "| target | output | published | tolerance | model | met | source |\n"
                    "|---|---|---|---|---|---|---|\n"
                  : "| held-out figure | policy | output | published | model | source |\n"
                    "|---|---|---|---|---|---|\n");
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const auto& f = figures[i];
    const std::string src = f.source + (f.year.empty() ? "" : " (" + f.year + ")");
    if (targets) {
      const bool met = std::abs(model[i] - f.value) <= f.tolerance;
      out << fmt::format("| {} | {} | {:.4g} | {:.3g} | {:.4g} | {} | {} |\n", f.name,
                         f.output.describe(), f.value, f.tolerance, model[i], met ? "yes" : "no",
                         src);
    } else {
      out << fmt::format("| {} | {} | {} | {:.4g} | {:.4g} | {} |\n", f.name,
                         f.policy.empty() ? "baseline" : f.policy, f.output.describe(), f.value,
                         model[i], src);
    }
  }
}

// Reads a calibration file, with the command line's overrides, and checks, before anything runs,
// the scenarios at both corners of the prior box and every held-out policy's overlay.
Calibration prepare(const std::string& calibration_file, const CalibrateArgs& overrides) {
  Calibration c;
  c.spec = sim::load_calibration(calibration_file);
  if (overrides.population) c.spec.population = *overrides.population;
  if (overrides.generations) c.spec.generations = *overrides.generations;
  const std::optional<double> scale = overrides.scale;
  const auto& spec = c.spec;
  c.base = spec.base;
  if (spec.days) c.base = with_days(c.base, *spec.days, spec.days_loc);
  if (spec.population_scale) {
    c.base =
        c.base.with_value("population.scale", *spec.population_scale, spec.population_scale_loc);
  }
  if (scale) {
    if (!std::isfinite(*scale)) throw sim::InputError("--scale: expected a finite number");
    c.base = c.base.with_value("population.scale", *scale, {"--scale", 0, 0});
  }
  // Both corners of the prior box are read and range-checked before anything runs.
  std::vector<double> low, high;
  for (const auto& p : spec.parameters) {
    low.push_back(p.low);
    high.push_back(p.high);
  }
  c.scale = c.scenario(low, 0).population.scale;
  (void)c.scenario(high, 0);
  for (const auto& f : spec.held_out) {
    Document overlay;
    if (!f.policy.empty()) {
      const fs::path file = (spec.file.parent_path() / f.policy).lexically_normal();
      const Document own = Document::load_unresolved(file);
      // As in experiments: an overlay may not bring in another base than the calibrated one.
      if (own.has("extends")) {
        const fs::path target =
            (file.parent_path() / own.child("extends").as_string("extends")).lexically_normal();
        if (sim::spec_input::canonical_of(target) !=
            sim::spec_input::canonical_of(spec.base_file)) {
          throw sim::InputError(own.location("extends"), "extends",
                                "held-out policy " + file.string() + " extends " + target.string() +
                                    ", not the calibrated base " + spec.base_file.string());
        }
      }
      overlay = own.without("extends");
    }
    (void)c.scenario(low, 0, overlay);
    c.held_overlays.push_back(overlay);
  }
  // A short probe run: every target and held-out output must name something the model writes.
  gov::Scenario probe = c.scenario(low, 0);
  probe.run.days = 2;
  probe.run.warmup_days = 0;
  const sim::RunRecord rec = gov::GovernanceModel(probe).run();
  auto check_outputs = [&](const std::vector<sim::CalibrationFigure>& figures, const char* list) {
    for (std::size_t i = 0; i < figures.size(); ++i) {
      if (sim::has_output(figures[i].output, rec)) continue;
      throw sim::InputError(figures[i].loc, fmt::format("calibration.{}[{}].output", list, i),
                            "the model writes no " + figures[i].output.describe() +
                                " (not one of its summaries, or of its variables and labels)");
    }
  };
  check_outputs(spec.targets, "targets");
  check_outputs(spec.held_out, "held_out");
  print_notes();
  return c;
}

}  // namespace

int serve_calibrate_worker(const CalibrateArgs& args) {
  sim::InterruptGuard guard;
  const auto limit = thread_limit(args.threads);
  // A file rank 0 read but this rank cannot fails every run sent here, with the reason.
  std::optional<Calibration> c;
  std::string error;
  try {
    c = prepare(args.file, args);
  } catch (const std::exception& e) {
    error = e.what();
  }
  const std::size_t slots =
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  const std::uint64_t max_memory = parse_max_memory(args.max_memory);
  return sim::serve_runs(
      [&](const std::string& scenario_yaml) {
        if (!c) throw std::runtime_error(error);
        const gov::Scenario s =
            gov::load_scenario(Document::parse(scenario_yaml, "scenario sent by rank 0"));
        check_memory(gov::estimate_resources(s), slots, slots + 1, max_memory);
        return proposal_record(*c, s);
      },
      static_cast<int>(slots));
}

void check_calibration(const std::string& file) {
  (void)prepare(file, CalibrateArgs{});
}

namespace {

// --evaluate: the base scenario as it stands (no parameter drawn) against the targets and the
// held-out figures, at the file's or the given scale.
int evaluate(const Calibration& c, std::ostream& out) {
  const auto& spec = c.spec;
  std::vector<double> targets, held;
  auto run = [&](const Document& overlay) {
    gov::Scenario s = gov::load_scenario(c.base.merged(overlay));
    s.run.seed = static_cast<std::int64_t>(spec.seed & kSeedMask);
    return gov::GovernanceModel(s).run();
  };
  targets = c.observe(spec.targets, run(Document()));
  for (std::size_t i = 0; i < spec.held_out.size(); ++i)
    held.push_back(c.observe({spec.held_out[i]}, run(c.held_overlays[i]))[0]);
  out << fmt::format("targets: the base scenario at population scale {:g}, seed {}\n", c.scale,
                     spec.seed);
  print_figures(out, spec.targets, targets, true);
  if (!spec.held_out.empty()) {
    out << "\nheld out (never fitted): the base scenario with each figure's policy\n";
    print_figures(out, spec.held_out, held, false);
  }
  return sim::kExitOk;
}

}  // namespace

int cmd_calibrate(const CalibrateArgs& args) {
  const Calibration c = prepare(args.file, args);
  if (args.evaluate) return evaluate(c, std::cout);
  const auto& spec = c.spec;
  std::vector<sim::AbcPrior> priors;
  for (const auto& p : spec.parameters) priors.push_back({p.key, p.low, p.high, p.log_scale});
  const auto& held_overlays = c.held_overlays;
  const std::string output = args.output.empty() ? "results/" + spec.name + ".h5" : args.output;
  const auto limit = thread_limit(args.threads);
  const std::size_t threads =
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  const std::uint64_t max_memory = parse_max_memory(args.max_memory);
  if (sim::mpi_size() == 1) {
    // A proposal's size can move with its parameters (incidence): both corners of the priors.
    std::vector<double> low, high;
    for (const auto& p : priors) {
      low.push_back(p.low);
      high.push_back(p.high);
    }
    gov::ResourceEstimate a = gov::estimate_resources(c.scenario(low, spec.seed));
    gov::ResourceEstimate b = gov::estimate_resources(c.scenario(high, spec.seed));
    check_memory(a.run_bytes >= b.run_bytes ? a : b, threads, threads + 1, max_memory);
  }
  check_output(output);
  if (fs::path(output).has_parent_path()) fs::create_directories(fs::path(output).parent_path());
  sim::ResultsWriter writer(output, args.resume, args.overwrite);
  sim::InterruptGuard guard;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> order;
  std::cerr << fmt::format(
      "{}: ABC-SMC, {} parameters, {} targets, {} particles x {} generations "
      "at scale {} -> {}\n",
      spec.name, priors.size(), spec.targets.size(), spec.population, spec.generations, c.scale,
      output);

  const sim::AbcSimulator simulate = [&](int g, std::size_t first,
                                         const std::vector<std::vector<double>>& thetas) {
    std::vector<sim::RunTask> tasks;
    std::vector<gov::Scenario> scenarios;
    for (std::size_t b = 0; b < thetas.size(); ++b) {
      const std::uint64_t seed =
          sim::RandomStream(spec.seed, kPurposeRunSeed, static_cast<std::uint64_t>(g), first + b)
              .next_u64();
      scenarios.push_back(c.scenario(thetas[b], seed));
      sim::Attributes a = {{"generation", std::to_string(g)},
                           {"proposal", std::to_string(first + b)},
                           {"seed", std::to_string(scenarios.back().run.seed)}};
      for (std::size_t k = 0; k < thetas[b].size(); ++k)
        a.emplace_back("parameter:" + spec.parameters[k].key, fmt::format("{}", thetas[b][k]));
      tasks.push_back({run_name(g, first + b), a, ""});
      order.push_back(tasks.back().name);
    }
    sim::RunnerOptions ro;
    ro.show_progress = args.progress;
    ro.remote_payload = [&](std::size_t i) { return gov::resolved_yaml(scenarios[i]); };
    sim::run_all(
        tasks, writer, [&](std::size_t i) { return proposal_record(c, scenarios[i]); }, ro);
    std::vector<double> d;
    d.reserve(tasks.size());
    for (const auto& t : tasks) d.push_back(stored_distance(writer, t.name));
    if (args.progress) {
      std::cerr << fmt::format("  generation {}: {} proposals simulated\n", g, first + d.size());
    }
    return d;
  };
  sim::AbcOptions o;
  o.population = spec.population;
  o.generations = spec.generations;
  o.quantile = spec.quantile;
  o.seed = spec.seed;
  const sim::AbcResult result = sim::abc_smc(priors, simulate, o);
  if (result.generations.empty()) {
    throw sim::InputError(spec.file.string() +
                          ": no generation was completed (every proposal failed?)");
  }
  writer.write_run("abc-smc", abc_record(spec, result));
  order.push_back("abc-smc");

  // The posterior mean against the targets, and the held-out figures with the same parameters.
  const auto mean = result.generations.back().mean();
  sim::RunRecord post = gov::GovernanceModel(c.scenario(mean, spec.seed)).run();
  const auto model_targets = c.observe(spec.targets, post);
  post.attributes.insert(
      post.attributes.begin(),
      {"distance", fmt::format("{}", sim::target_distance(spec.targets, model_targets))});
  post.numeric_attributes.emplace_back("distance");
  writer.write_run("posterior-mean", post);
  order.push_back("posterior-mean");
  std::vector<double> model_held;
  for (std::size_t i = 0; i < spec.held_out.size(); ++i) {
    sim::RunRecord rec = gov::GovernanceModel(c.scenario(mean, spec.seed, held_overlays[i])).run();
    model_held.push_back(c.observe({spec.held_out[i]}, rec)[0]);
    const std::string name = "held-out." + std::to_string(i);
    writer.write_run(name, rec);
    order.push_back(name);
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  writer.finish(provenance("govsim calibration: " + spec.name,
                           {{"calibration_file", args.file},
                            {"calibration_yaml", spec.text},
                            {"base_scenario_yaml", c.base.to_yaml()},
                            {"wall_seconds", fmt::format("{}", std::round(wall * 1000) / 1000)}}),
                order);

  auto& out = std::cout;
  out << fmt::format("\nposterior (generation {}, tolerance {:.3g}, ESS {:.0f}{})\n",
                     result.generations.size() - 1, result.generations.back().tolerance,
                     result.generations.back().effective_sample_size(),
                     result.complete ? "" : "; a later generation ran out of proposals");
  const auto var = result.generations.back().variance();
  out << "| parameter | prior | posterior mean | sd |\n|---|---|---|---|\n";
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    const auto& p = spec.parameters[k];
    out << fmt::format("| {}{} | {}[{:.4g}, {:.4g}] | {:.4g} | {:.3g} |\n", p.key,
                       p.multiply ? " (x base)" : "", p.log_scale ? "log-uniform " : "uniform ",
                       p.low, p.high, mean[k], std::sqrt(var[k]));
  }
  out << "\ntargets at the posterior mean (seed " << spec.seed << ")\n";
  print_figures(out, spec.targets, model_targets, true);
  if (!spec.held_out.empty()) {
    out << "\nheld out (never fitted): the same parameters with each figure's policy\n";
    print_figures(out, spec.held_out, model_held, false);
  }
  out << fmt::format("\nwrote {} in {:.0f} s\n", output, wall);
  return sim::kExitOk;
}

}  // namespace app
