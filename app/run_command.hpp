#pragma once
// Internal to app/: what `govsim run`'s single runs and experiments (cmd_run.cpp and
// cmd_run_experiment.cpp) and `govsim validate` share.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "models/city/starting_population.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/config/config_node.hpp"
#include "sim/experiment/experiment_spec.hpp"
#include "sim/experiment/progress.hpp"
#include "sim/results/record.hpp"

namespace app {

inline constexpr std::uint64_t kSeedMask = (1ULL << 53) - 1;  // seeds are stored exactly as doubles

struct Overrides {
  std::optional<int> days;
  std::optional<long long> seed;
  std::optional<double> scale;
  std::vector<std::string> settings;  // --set KEY=VALUE, in order
};

// The command line's overrides (a single run's seed included; an experiment's seed is its master
// seed). A non-finite number is refused here, naming the flag; the range is the scenario's.
sim::config::Document with_overrides(sim::config::Document doc, const Overrides& o, bool seed_too);

// One run of the model, from a shared starting population when `cache` is given.
sim::RunRecord run_model(const gov::Scenario& s, sim::Progress* progress,
                         gov::StartingPopulationCache* cache = nullptr);

// Every run's scenario, read and validated before anything is written.
std::vector<gov::Scenario> plan_scenarios(const sim::ExperimentSpec& spec,
                                          const std::vector<sim::RunPlan>& plans,
                                          const Overrides& o);
// A two-day probe of the first run: every primary metric must be a summary the model writes, so
// that a misspelt name fails now rather than after the experiment.
void check_primary_metrics(const sim::ExperimentSpec& spec, const gov::Scenario& first,
                           gov::StartingPopulationCache* cache = nullptr);

int run_experiment(const RunArgs& args);

}  // namespace app
