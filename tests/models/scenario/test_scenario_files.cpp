// Every shipped scenario validates and runs; the documentation is generated from the schema.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "models/governance_model.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "sim/experiment/calibration_spec.hpp"
#include "sim/experiment/experiment_spec.hpp"
#include "tests/support.hpp"

namespace fs = std::filesystem;

TEST_CASE("every scenario under scenarios/ validates and smoke-runs", "[unit][scenarios]") {
  std::size_t scenarios = 0, experiments = 0, calibrations = 0;
  for (const auto& entry : fs::recursive_directory_iterator(test::source_dir() / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    INFO(entry.path().string());
    if (sim::is_calibration_file(entry.path())) {
      // Both corners of the prior box give valid scenarios.
      const auto spec = sim::load_calibration(entry.path());
      std::vector<double> low, high;
      for (const auto& p : spec.parameters) {
        low.push_back(p.low);
        high.push_back(p.high);
      }
      REQUIRE_NOTHROW(gov::load_scenario(sim::with_parameters(spec, spec.base, low)));
      REQUIRE_NOTHROW(gov::load_scenario(sim::with_parameters(spec, spec.base, high)));
      ++calibrations;
      continue;
    }
    if (sim::is_experiment_file(entry.path())) {
      const auto spec = sim::load_experiment(entry.path());
      for (const auto& plan : sim::expand(spec)) REQUIRE_NOTHROW(gov::load_scenario(plan.scenario));
      ++experiments;
      continue;
    }
    // Policy overlays extend the baseline, so each is also a scenario of its own.
    gov::Scenario s = gov::load_scenario_file(entry.path());
    s.population.scale = 0.002;
    s.run.days = 3;
    s.run.warmup_days = 0;
    gov::GovernanceModel model(s);
    gov::RunOptions o;
    o.check_invariants = true;
    REQUIRE_NOTHROW(model.run(o));
    ++scenarios;
  }
  CHECK(scenarios >= 12);
  CHECK(experiments >= 1);
  CHECK(calibrations >= 1);
}

TEST_CASE("docs/scenarios.md is the generated parameter reference", "[unit][scenarios][docs]") {
  std::ifstream in(test::source_dir() / "docs/scenarios.md");
  std::stringstream text;
  text << in.rdbuf();
  // Regenerate with: govsim inspect params > docs/scenarios.md
  CHECK(text.str() == gov::scenario_reference_markdown());
}

TEST_CASE("every default in the shipped baseline is sourced or marked an assumption",
          "[unit][scenarios]") {
  std::ifstream in(test::source_dir() / "scenarios/guangzhou.yaml");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const auto colon = line.find(':');
    const bool numeric_value =
        colon != std::string::npos && line.find_first_of("0123456789", colon) != std::string::npos;
    const bool list_item = line.find("- {") != std::string::npos;
    if (!numeric_value || list_item || line.rfind('#', 0) == 0 ||
        line.find("seed") != std::string::npos || line.find("days") != std::string::npos ||
        line.find("scale") != std::string::npos) {
      continue;
    }
    INFO("scenarios/guangzhou.yaml:" << n << ": " << line);
    CHECK(line.find('#') != std::string::npos);
  }
}
