// Every shipped scenario validates and runs; the documentation is generated from the schema.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

namespace {

bool says_where_from(const std::string& comment) {
  for (const char* mark : {"assumption", "CALIBRATION", "Calibrated", "calibrated", "census",
                           "Measures", "bulletin", "source"})
    if (comment.find(mark) != std::string::npos) return true;
  return false;
}

// Lines of a scenario file whose numbers have no source: a `key: number` line needs a comment on
// the line; the rows of a list (`- {...}`, the domains and departments) need a comment block
// right above the list's key that names a source or says "assumption". Returns their numbers.
std::vector<int> unsourced_lines(std::istream& in) {
  std::vector<int> out;
  std::string line, block;  // block: the comment lines right above the current line
  std::string list_block;   // the block above the list whose rows follow
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const auto first = line.find_first_not_of(' ');
    if (first != std::string::npos && line[first] == '#') {
      block += line + "\n";
      continue;
    }
    const auto colon = line.find(':');
    const bool numeric_value =
        colon != std::string::npos && line.find_first_of("0123456789", colon) != std::string::npos;
    const bool list_item = line.find("- {") != std::string::npos;
    if (!list_item && colon != std::string::npos && colon + 1 == line.size()) list_block = block;
    const bool exempt = line.find("seed") != std::string::npos ||
                        line.find("days") != std::string::npos ||
                        line.find("scale") != std::string::npos;
    if (list_item && numeric_value) {
      if (!says_where_from(list_block)) out.push_back(n);
    } else if (numeric_value && !exempt && line.find('#') == std::string::npos) {
      out.push_back(n);
    }
    block.clear();
  }
  return out;
}

}  // namespace

TEST_CASE("every default in the shipped baseline is sourced or marked an assumption",
          "[unit][scenarios]") {
  std::ifstream in(test::source_dir() / "scenarios/guangzhou.yaml");
  REQUIRE(in);
  const std::vector<int> lines = unsourced_lines(in);
  INFO("scenarios/guangzhou.yaml: lines without a source or 'assumption': "
       << Catch::Detail::stringify(lines));
  CHECK(lines.empty());
  // The check can fail: a number without a comment, and list rows under an unexplained key.
  std::istringstream bare(
      "hotline:\n  call_takers: 300\n  intake_minutes: 6   # assumption\n"
      "# the domains\ndomains:\n  - {name: a, incidence_per_1000_per_day: 0.1}\n"
      "# shares: assumption\ndepartments:\n  - {name: b, staff: 3}\n");
  CHECK(unsourced_lines(bare) == std::vector<int>{2, 6});
}
