// Experiment files: validation, expansion into runs, seeds and sweep designs.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "sim/experiment/experiment_spec.hpp"
#include "tests/temp_dir.hpp"

namespace {
namespace fs = std::filesystem;
using sim::ExperimentSpec;
using sim::InputError;

// A temp dir with a base scenario and two policy overlays.
class TempDir : public test::TempDir {
 public:
  TempDir() {
    write("city.yaml", "name: city\nhotline: {call_takers: 10}\nwhistle: {enabled: false}\n");
    write("policies/whistle.yaml", "whistle: {enabled: true, quota: 2}\n");
    write("policies/more.yaml", "whistle: {quota: 5}\nhotline: {call_takers: 20}\n");
  }
};

std::string error_of(const fs::path& file) {
  try {
    sim::load_experiment(file);
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError thrown");
  return {};
}

const char* const kHeader =
    "experiment:\n"
    "  scenario: city.yaml\n"
    "  replicates: 3\n"
    "  seed: 42\n";

}  // namespace

TEST_CASE("an experiment file is read with its policies", "[unit][experiment]") {
  TempDir dir;
  const fs::path file =
      dir.write("exp.yaml", std::string(kHeader) +
                                "  name: trial\n"
                                "  days: 60\n"
                                "  population_scale: 0.01\n"
                                "  policies:\n"
                                "    baseline: {}\n"
                                "    whistle: policies/whistle.yaml\n"
                                "    both: [policies/whistle.yaml, policies/more.yaml, {x: 1}]\n");
  CHECK(sim::is_experiment_file(file));
  CHECK_FALSE(sim::is_experiment_file(dir.str("city.yaml")));
  const ExperimentSpec spec = sim::load_experiment(file);
  CHECK(spec.name == "trial");
  CHECK(spec.replicates == 3);
  CHECK(spec.seed == 42);
  CHECK(spec.days == 60);
  CHECK(spec.population_scale == 0.01);
  CHECK(spec.sweep_method == "none");
  CHECK(spec.text.rfind("experiment:\n", 0) == 0);
  CHECK(spec.base.child("name").as_string("name") == "city");
  REQUIRE(spec.policies.size() == 3);
  CHECK(spec.policies[0].name == "baseline");
  CHECK(spec.policies[0].overlay.empty());
  CHECK(spec.policies[1].overlay.child("whistle").child("quota").as_int("q") == 2);
  const sim::config::Document both = spec.policies[2].overlay;
  CHECK(both.child("whistle").child("enabled").as_bool("e"));
  CHECK(both.child("whistle").child("quota").as_int("q") == 5);
  CHECK(both.child("x").as_int("x") == 1);
  // Marks survive the merge: each node names the file it came from.
  CHECK(both.child("whistle").location("enabled").file == dir.str("policies/whistle.yaml"));
  CHECK(both.child("whistle").location("quota").file == dir.str("policies/more.yaml"));
  CHECK(both.location("x").file == file.string());
}

TEST_CASE("defaults of an experiment", "[unit][experiment]") {
  TempDir dir;
  const fs::path file =
      dir.write("my-exp.yaml", "experiment:\n  scenario: city.yaml\n  policies: {baseline: ~}\n");
  const ExperimentSpec spec = sim::load_experiment(file);
  CHECK(spec.name == "my-exp");
  CHECK(spec.replicates == 1);
  CHECK(spec.seed == 1);
  CHECK_FALSE(spec.days);
  CHECK_FALSE(spec.population_scale);
  CHECK(spec.policies.at(0).overlay.empty());
}

TEST_CASE("runs expand policy-major, then sample, then replicate", "[unit][experiment]") {
  TempDir dir;
  const fs::path file = dir.write("exp.yaml", std::string(kHeader) +
                                                  "  policies:\n"
                                                  "    baseline: {}\n"
                                                  "    whistle: policies/whistle.yaml\n"
                                                  "  sweep:\n"
                                                  "    method: grid\n"
                                                  "    parameters:\n"
                                                  "      hotline.call_takers: [100, 200]\n"
                                                  "      whistle.quota: [1, 2, 3]\n");
  const ExperimentSpec spec = sim::load_experiment(file);
  const std::vector<sim::RunPlan> runs = sim::expand(spec);
  REQUIRE(runs.size() == 2 * 6 * 3);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const sim::RunPlan& r = runs[i];
    CHECK(r.index == i);
    CHECK(r.policy == (i < 18 ? "baseline" : "whistle"));
    CHECK(r.sample == static_cast<int>(i % 18 / 3));
    CHECK(r.replicate == static_cast<int>(i % 3));
    CHECK(r.seed == sim::replicate_seed(42, r.replicate));
  }
  CHECK(runs[0].name() == "baseline.s000.r000");
  CHECK(runs[35].name() == "whistle.s005.r002");

  SECTION("grid values, the first parameter varying slowest") {
    const std::vector<std::pair<double, double>> expected = {{100, 1}, {100, 2}, {100, 3},
                                                             {200, 1}, {200, 2}, {200, 3}};
    for (int s = 0; s < 6; ++s) {
      const sim::RunPlan& r = runs[static_cast<std::size_t>(18 + 3 * s)];
      REQUIRE(r.parameters.size() == 2);
      CHECK(r.parameters[0].first == "hotline.call_takers");
      CHECK(r.parameters[0].second == expected[static_cast<std::size_t>(s)].first);
      CHECK(r.parameters[1].second == expected[static_cast<std::size_t>(s)].second);
      const sim::config::Document& scen = r.scenario;
      CHECK(scen.child("hotline").child("call_takers").as_double("x") ==
            expected[static_cast<std::size_t>(s)].first);
      CHECK(scen.child("whistle").child("quota").as_double("x") ==
            expected[static_cast<std::size_t>(s)].second);
      CHECK(scen.child("whistle").child("enabled").as_bool("x"));  // the policy's overlay
      // A swept value points at the sweep line, so a bad value is reported there.
      CHECK(scen.child("whistle").location("quota").file == file.string());
      CHECK(scen.child("whistle").location("quota").line == 12);
    }
    CHECK_FALSE(runs[0].scenario.child("whistle").child("enabled").as_bool("x"));
  }
}

TEST_CASE("runs without a sweep are named policy.rNNN", "[unit][experiment]") {
  TempDir dir;
  const fs::path file =
      dir.write("exp.yaml", std::string(kHeader) + "  policies: {a: {}, b: {}}\n");
  const std::vector<sim::RunPlan> runs = sim::expand(sim::load_experiment(file));
  REQUIRE(runs.size() == 6);
  CHECK(runs[4].name() == "b.r001");
  CHECK(runs[4].sample == 0);
  CHECK(runs[4].parameters.empty());
}

TEST_CASE("replicate seeds are common across policies and distinct across replicates",
          "[unit][experiment]") {
  std::set<std::uint64_t> seen;
  for (int r = 0; r < 1000; ++r) seen.insert(sim::replicate_seed(7, r));
  CHECK(seen.size() == 1000);
  CHECK(sim::replicate_seed(7, 3) == sim::replicate_seed(7, 3));
  CHECK(sim::replicate_seed(7, 3) != sim::replicate_seed(8, 3));
  // Pinned so that a change of the derivation (which changes every result) is deliberate.
  CHECK(sim::replicate_seed(0, 0) == 16294208416658607535ull);
  CHECK(sim::replicate_seed(20261129, 4) == 96247528231491422ull);
}

TEST_CASE("a Latin hypercube uses each stratum of each parameter once", "[unit][experiment]") {
  TempDir dir;
  const fs::path file = dir.write("exp.yaml", std::string(kHeader) +
                                                  "  policies: {a: {}}\n"
                                                  "  sweep:\n"
                                                  "    method: lhs\n"
                                                  "    samples: 10\n"
                                                  "    parameters:\n"
                                                  "      hotline.call_takers: [100, 300]\n"
                                                  "      whistle.quota: [0, 1]\n"
                                                  "      x.y: [-5, 5]\n");
  const ExperimentSpec spec = sim::load_experiment(file);
  CHECK(spec.sweep_method == "lhs");
  CHECK(spec.lhs_samples == 10);
  const std::vector<sim::ParameterPoint> points = sim::sweep_points(spec);
  REQUIRE(points.size() == 10);
  for (std::size_t j = 0; j < spec.sweep.size(); ++j) {
    const double low = spec.sweep[j].values[0];
    const double high = spec.sweep[j].values[1];
    std::set<int> strata;
    for (const sim::ParameterPoint& p : points) {
      const double v = p[j].second;
      CHECK(p[j].first == spec.sweep[j].key_path);
      CHECK(v >= low);
      CHECK(v <= high);
      strata.insert(std::min(9, static_cast<int>(std::floor((v - low) / (high - low) * 10))));
    }
    CHECK(strata.size() == 10);
  }
  // Deterministic in the master seed, and the parameters are not matched stratum for stratum.
  CHECK(sim::sweep_points(spec) == points);
  std::vector<int> first_strata;
  for (const auto& p : points) first_strata.push_back(static_cast<int>((p[0].second - 100) / 20));
  std::vector<int> second_strata;
  for (const auto& p : points) second_strata.push_back(static_cast<int>(p[1].second * 10));
  CHECK(first_strata != second_strata);
  ExperimentSpec other = spec;
  other.seed = 43;
  CHECK(sim::sweep_points(other) != points);
  CHECK(sim::expand(spec).size() == 30);
  CHECK(sim::expand(spec)[3].name() == "a.s001.r000");
}

TEST_CASE("experiment errors point at the offending line", "[unit][experiment]") {
  TempDir dir;
  const std::string exp = dir.str("exp.yaml");
  auto error = [&](const std::string& text) { return error_of(dir.write("exp.yaml", text)); };
  const std::string policies = "  policies: {a: {}}\n";

  CHECK(error("experimnt: {}\n") ==
        exp + ":1:1: experimnt: unknown key 'experimnt' (did you mean 'experiment'?)");
  CHECK(error(std::string(kHeader) + "  replicate: 2\n" + policies) ==
        exp + ":5:3: experiment.replicate: unknown key 'replicate' (did you mean 'replicates'?)");
  CHECK(error("experiment:\n  seed: 1\n" + policies) ==
        exp + ":2:3: experiment.scenario: missing required key 'scenario'");
  CHECK(error("experiment:\n  scenario: nowhere.yaml\n" + policies) ==
        exp + ":2:13: experiment.scenario: file not found: " + dir.str("nowhere.yaml"));
  CHECK(error("experiment:\n  scenario: city.yaml\n  replicates: 0\n" + policies) ==
        exp + ":3:15: experiment.replicates: out of range: expected 1 <= value <= 1000000, got 0");
  CHECK(error("experiment:\n  scenario: city.yaml\n  seed: -1\n" + policies) ==
        exp +
            ":3:9: experiment.seed: out of range: expected 0 <= value <= 9223372036854775807, "
            "got -1");
  CHECK(error("experiment:\n  scenario: city.yaml\n  seed: 1.5\n" + policies) ==
        exp + ":3:9: experiment.seed: expected an integer, got '1.5'");
  CHECK(error("experiment:\n  scenario: city.yaml\n  population_scale: 0\n" + policies) ==
        exp + ":3:21: experiment.population_scale: out of range: expected value > 0, got 0");
  CHECK(error(kHeader) == exp + ":2:3: experiment.policies: missing required key 'policies'");
  CHECK(error(std::string(kHeader) + "  policies: {}\n") ==
        exp +
            ":5:13: experiment.policies: expected a map of at least one policy name to its "
            "overlay");
  CHECK(error(std::string(kHeader) + "  policies:\n    a: {}\n    a: {}\n") ==
        exp + ":7:5: experiment.policies.a: duplicate key 'a' (first at line 6)");
  CHECK(error(std::string(kHeader) + "  policies:\n    a.b: {}\n") ==
        exp +
            ":6:5: experiment.policies.a.b: policy names may only use letters, digits, '-' and "
            "'_'");
  CHECK(error(std::string(kHeader) + "  policies:\n    a: policies/none.yaml\n") ==
        exp + ":6:8: experiment.policies.a: file not found: " + dir.str("policies/none.yaml"));
  CHECK(error(std::string(kHeader) + "  policies:\n    a: [{}, policies/none.yaml]\n") ==
        exp + ":6:13: experiment.policies.a[1]: file not found: " + dir.str("policies/none.yaml"));
  CHECK(error(std::string(kHeader) + "  policies:\n    a: 5\n") ==
        exp + ":6:8: experiment.policies.a: file not found: " + dir.str("5"));
  CHECK(error(std::string(kHeader) + "  policies:\n    a: [[x]]\n") ==
        exp + ":6:9: experiment.policies.a[0]: expected an overlay: a map or a file name");
}

TEST_CASE("sweep errors point at the offending line", "[unit][experiment]") {
  TempDir dir;
  const std::string exp = dir.str("exp.yaml");
  auto error = [&](const std::string& sweep) {
    return error_of(
        dir.write("exp.yaml", std::string(kHeader) + "  policies: {a: {}}\n  sweep:\n" + sweep));
  };
  CHECK(error("    method: sobol\n    parameters: {x: [1]}\n") ==
        exp +
            ":7:13: experiment.sweep.method: expected one of: grid, lhs, saltelli, morris, "
            "uncertainty, design; got 'sobol'");
  CHECK(error("    parameters: {x: [1]}\n") ==
        exp + ":7:5: experiment.sweep.method: missing required key 'method'");
  CHECK(error("    method: grid\n    samples: 3\n    parameters: {x: [1]}\n") ==
        exp +
            ":8:5: experiment.sweep.samples: samples is only used by methods lhs, saltelli, morris "
            "and "
            "uncertainty");
  CHECK(error("    method: lhs\n    parameters: {x: [1, 2]}\n") ==
        exp + ":7:5: experiment.sweep.samples: missing required key 'samples' (method: lhs)");
  CHECK(error("    method: lhs\n    samples: 0\n    parameters: {x: [1, 2]}\n") ==
        exp +
            ":8:14: experiment.sweep.samples: out of range: expected 1 <= value <= 1000000, "
            "got 0");
  CHECK(error("    method: lhs\n    samples: 4\n    parameters:\n      x: [2, 2]\n") ==
        exp + ":10:10: experiment.sweep.parameters.x: expected low < high, got [2, 2]");
  CHECK(error("    method: lhs\n    samples: 4\n    parameters:\n      x: [1, 2, 3]\n") ==
        exp + ":10:10: experiment.sweep.parameters.x: expected [low, high] for method: lhs");
  CHECK(error("    method: grid\n    parameters:\n      x: []\n") ==
        exp + ":9:10: experiment.sweep.parameters.x: expected a list of at least one value");
  CHECK(error("    method: grid\n    parameters:\n      x: [1, b]\n") ==
        exp + ":9:14: experiment.sweep.parameters.x: expected a number, got 'b'");
  CHECK(error("    method: grid\n    parameters:\n      name.x: [1]\n") ==
        exp + ":9:15: name.x: cannot set a value here: 'name' is not a map");
  CHECK(error("    method: grid\n    parameters:\n      a..b: [1]\n") ==
        exp + ":9:13: a..b: not a valid key path (names separated by '.', [N] for list items)");
  CHECK(error("    method: grid\n    parameters: {}\n") ==
        exp +
            ":8:17: experiment.sweep.parameters: expected a map of at least one key path to its "
            "values");
  CHECK(error("    metod: grid\n") ==
        exp + ":7:5: experiment.sweep.metod: unknown key 'metod' (did you mean 'method'?)");
  std::string huge = "    method: grid\n    parameters:\n";
  for (int j = 0; j < 7; ++j)
    huge += "      p" + std::to_string(j) + ": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n";
  CHECK(error(huge) == exp + ":2:3: experiment: too many runs (limit 1000000)");

  CHECK(error("    method: saltelli\n    parameters: {x: [1, 2]}\n") ==
        exp + ":7:5: experiment.sweep.samples: missing required key 'samples' (method: saltelli)");
  // Sobol' indices need a variance over the base samples.
  CHECK(error("    method: saltelli\n    samples: 1\n    parameters: {x: [1, 2]}\n") ==
        exp +
            ":8:14: experiment.sweep.samples: out of range: expected 2 <= value <= 1000000, "
            "got 1");
  CHECK(error("    method: saltelli\n    samples: 4\n    parameters:\n      x: [3, 1]\n") ==
        exp + ":10:10: experiment.sweep.parameters.x: expected low < high, got [3, 1]");
  CHECK(error("    method: saltelli\n    samples: 4\n    parameters:\n      x: [1]\n") ==
        exp + ":10:10: experiment.sweep.parameters.x: expected [low, high] for method: saltelli");
  // N(k + 2) runs: 400000 x 3 is over the limit although N alone is not.
  CHECK(error("    method: saltelli\n    samples: 400000\n    parameters: {x: [1, 2]}\n") ==
        exp + ":2:3: experiment: too many runs (limit 1000000)");
  std::string wide = "    method: saltelli\n    samples: 2\n    parameters:\n";
  for (int j = 0; j < 65; ++j) wide += "      p" + std::to_string(j) + ": [0, 1]\n";
  CHECK(error(wide) ==
        exp +
            ":10:7: experiment.sweep.parameters: method: saltelli takes at most 64 parameters, "
            "got 65");
}

namespace {

// A saltelli sweep over the given ranges, in memory (sweep_points needs no scenario).
ExperimentSpec saltelli_spec(int base_samples, const std::vector<std::pair<double, double>>& ranges,
                             std::uint64_t seed = 42) {
  ExperimentSpec spec;
  spec.seed = seed;
  spec.sweep_method = "saltelli";
  spec.saltelli_samples = base_samples;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    spec.sweep.push_back(
        {"p" + std::to_string(i), {ranges[i].first, ranges[i].second}, {}, "uniform", {}});
  }
  return spec;
}

}  // namespace

TEST_CASE("a saltelli design is A then B then each AB_i", "[unit][experiment][sensitivity]") {
  TempDir dir;
  const fs::path file = dir.write("exp.yaml", std::string(kHeader) +
                                                  "  policies: {a: {}, b: {}}\n"
                                                  "  sweep:\n"
                                                  "    method: saltelli\n"
                                                  "    samples: 8\n"
                                                  "    parameters:\n"
                                                  "      hotline.call_takers: [100, 300]\n"
                                                  "      whistle.quota: [0, 1]\n"
                                                  "      x.y: [-5, 5]\n");
  const ExperimentSpec spec = sim::load_experiment(file);
  CHECK(spec.sweep_method == "saltelli");
  CHECK(spec.saltelli_samples == 8);
  const std::size_t n = 8, k = 3;
  const std::vector<sim::ParameterPoint> points = sim::sweep_points(spec);
  REQUIRE(points.size() == n * (k + 2));
  for (const sim::ParameterPoint& p : points) {
    REQUIRE(p.size() == k);
    for (std::size_t i = 0; i < k; ++i) {
      CHECK(p[i].first == spec.sweep[i].key_path);
      CHECK(p[i].second >= spec.sweep[i].values[0]);
      CHECK(p[i].second <= spec.sweep[i].values[1]);
    }
  }
  auto value = [&](std::size_t block, std::size_t row, std::size_t column) {
    return points[block * n + row][column].second;
  };
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t c = 0; c < k; ++c) {
      // A and B are independent draws, not copies of each other.
      CHECK(value(0, j, c) != value(1, j, c));
      for (std::size_t i = 0; i < k; ++i) {
        // AB_i (block 2 + i) is A except column i, which is B's.
        CHECK(value(2 + i, j, c) == (c == i ? value(1, j, c) : value(0, j, c)));
      }
    }
  }
  // Deterministic in the master seed.
  CHECK(sim::sweep_points(spec) == points);
  ExperimentSpec other = spec;
  other.seed = 43;
  CHECK(sim::sweep_points(other) != points);

  const std::vector<sim::RunPlan> runs = sim::expand(spec);
  REQUIRE(runs.size() == 2 * n * (k + 2) * 3);
  const sim::RunPlan& last = runs.back();
  CHECK(last.policy == "b");
  CHECK(last.sample == static_cast<int>(n * (k + 2) - 1));
  CHECK(last.name() == "b.s039.r002");
  CHECK(last.parameters == points.back());
  CHECK(last.scenario.child("x").child("y").as_double("x.y") == points.back()[2].second);
}

TEST_CASE("a saltelli design with N a power of two puts one point of each column in each 1/N",
          "[unit][experiment][sensitivity]") {
  // The rows of A and B are a scrambled Sobol' net: each column is stratified like a Latin
  // hypercube, which is what makes the estimates converge faster than with independent draws.
  const std::size_t n = 64, k = 5;
  const ExperimentSpec spec =
      saltelli_spec(static_cast<int>(n), std::vector(k, std::pair(0.0, 1.0)));
  const std::vector<sim::ParameterPoint> points = sim::sweep_points(spec);
  for (std::size_t block = 0; block < 2; ++block) {
    for (std::size_t i = 0; i < k; ++i) {
      std::set<int> strata;
      for (std::size_t j = 0; j < n; ++j) {
        strata.insert(
            static_cast<int>(std::floor(points[block * n + j][i].second * static_cast<double>(n))));
      }
      CHECK(strata.size() == n);
    }
  }
  // A larger design extends a smaller one: its first rows are the same points.
  const std::vector<sim::ParameterPoint> larger = sim::sweep_points(
      saltelli_spec(static_cast<int>(2 * n), std::vector(k, std::pair(0.0, 1.0))));
  for (std::size_t j = 0; j < n; ++j) {
    CHECK(larger[j] == points[j]);              // A
    CHECK(larger[2 * n + j] == points[n + j]);  // B
  }
}

TEST_CASE("a policy overlay file cannot bring in another base scenario", "[unit][experiment]") {
  // base2 is a modified copy of base, and the experiment's base. Resolving an overlay's `extends`
  // would merge the whole of its base over the experiment's, silently undoing the modification.
  const test::TempDir dir;
  dir.write("base.yaml", "name: base\nhotline: {call_takers: 10}\nwhistle: {enabled: false}\n");
  dir.write("base2.yaml", "extends: base.yaml\nname: base2\nhotline: {call_takers: 99}\n");
  dir.write("policies/old.yaml", "name: old\nextends: ../base.yaml\nwhistle: {enabled: true}\n");
  dir.write("policies/new.yaml", "extends: ../base2.yaml\nname: new\nwhistle: {enabled: true}\n");
  dir.write("policies/plain.yaml", "whistle: {quota: 3}\n");
  auto experiment = [&](const std::string& policies) {
    return dir.write("exp.yaml", "experiment:\n  scenario: base2.yaml\n  policies:\n" + policies);
  };
  const std::string refused = dir.str("policies/old.yaml") +
                              ":2:10: extends: overlay of experiment.policies.whistle extends " +
                              dir.str("base.yaml") + ", but the experiment's base scenario is " +
                              dir.str("base2.yaml");

  SECTION("an overlay extending another base is refused at its extends") {
    CHECK_THAT(error_of(experiment("    baseline: {}\n    whistle: policies/old.yaml\n")),
               Catch::Matchers::StartsWith(refused));
    CHECK_THAT(error_of(experiment("    whistle: [policies/plain.yaml, policies/old.yaml]\n")),
               Catch::Matchers::Contains("extends: overlay of experiment.policies.whistle[1] "));
  }

  SECTION("an overlay extending the experiment's base keeps the base's values") {
    const ExperimentSpec spec = sim::load_experiment(
        experiment("    baseline: {}\n    whistle: [policies/new.yaml, policies/plain.yaml]\n"));
    const std::vector<sim::RunPlan> runs = sim::expand(spec);
    REQUIRE(runs.size() == 2);
    for (const sim::RunPlan& run : runs) {
      INFO(run.policy);
      CHECK(run.scenario.child("hotline").child("call_takers").as_int("c") == 99);
      CHECK_FALSE(run.scenario.has("extends"));
    }
    CHECK_FALSE(runs[0].scenario.child("whistle").child("enabled").as_bool("e"));
    CHECK(runs[1].scenario.child("whistle").child("enabled").as_bool("e"));
    CHECK(runs[1].scenario.child("whistle").child("quota").as_int("q") == 3);
    CHECK(runs[1].scenario.child("name").as_string("n") == "new");
    // The overlay is the file's own keys only: no copy of the base comes with it.
    CHECK_FALSE(spec.policies[1].overlay.has("hotline"));
  }

  SECTION("the same base named by another path is accepted") {
    dir.write("policies/odd.yaml", "extends: ./../policies/../base2.yaml\nwhistle: {quota: 1}\n");
    const ExperimentSpec spec = sim::load_experiment(experiment("    odd: policies/odd.yaml\n"));
    CHECK(sim::expand(spec).at(0).scenario.child("hotline").child("call_takers").as_int("c") == 99);
  }
}

TEST_CASE("the shipped experiment's overlays extend its base", "[unit][experiment]") {
  const ExperimentSpec spec =
      sim::load_experiment(fs::path(GOVSIM_SOURCE_DIR) / "scenarios/guangzhou-experiment.yaml");
  const std::vector<sim::RunPlan> runs = sim::expand(spec);
  REQUIRE(runs.size() == spec.policies.size() * static_cast<std::size_t>(spec.replicates));
  for (const sim::PolicySpec& policy : spec.policies) {
    INFO(policy.name);
    CHECK_FALSE(policy.overlay.has("extends"));
    CHECK_FALSE(policy.overlay.has("hotline"));  // only the strategies' own keys
  }
}

TEST_CASE("an experiment name must be usable as a file name", "[unit][experiment]") {
  TempDir dir;
  const std::string exp = dir.str("exp.yaml");
  auto error = [&](const std::string& name) {
    return error_of(dir.write(
        "exp.yaml", std::string(kHeader) + "  name: " + name + "\n  policies: {a: {}}\n"));
  };
  const std::string rule =
      ": experiment.name: experiment names may only use letters, digits, '-' and '_', got '";
  CHECK(error("../../../x") == exp + ":5:9" + rule + "../../../x'");
  CHECK(error("a/b") == exp + ":5:9" + rule + "a/b'");
  CHECK(error("''") == exp + ":5:9" + rule + "'");
  dir.write("exp.yaml", std::string(kHeader) + "  name: study-2_b\n  policies: {a: {}}\n");
  CHECK(sim::load_experiment(exp).name == "study-2_b");
}

TEST_CASE("experiment overrides keep their positions for the model's range checks",
          "[unit][experiment]") {
  TempDir dir;
  const fs::path file = dir.write("exp.yaml", std::string(kHeader) +
                                                  "  days: 3651\n"
                                                  "  population_scale: 1000\n"
                                                  "  policies: {a: {}}\n");
  const ExperimentSpec spec = sim::load_experiment(file);
  CHECK(spec.days == 3651);
  CHECK(spec.days_loc.file == file.string());
  CHECK(spec.days_loc.line == 5);
  CHECK(spec.population_scale == 1000);
  CHECK(spec.population_scale_loc.line == 6);
  CHECK(spec.population_scale_loc.column == 21);
}

TEST_CASE("systematic resampling keeps each row's count within one of n x its weight",
          "[unit][experiment][uncertainty]") {
  const std::vector<double> w{0.4, 0.3, 0.2, 0.1};
  for (const double offset : {0.0, 0.3, 0.999}) {
    const auto rows = sim::systematic_resample(w, 10, offset);
    std::vector<int> count(4);
    for (auto r : rows) ++count[r];
    CHECK(count == std::vector<int>{4, 3, 2, 1});
  }
  const auto seven = sim::systematic_resample(w, 7, 0.5);
  std::vector<int> count(4);
  for (auto r : seven) ++count[r];
  for (std::size_t k = 0; k < 4; ++k) CHECK(std::fabs(count[k] - 7 * w[k]) < 1.0);
}

TEST_CASE(
    "an uncertainty sweep draws assumptions from their ranges and posterior rows into "
    "every policy's scenario",
    "[unit][experiment][uncertainty]") {
  const auto spec =
      sim::load_experiment(GOVSIM_SOURCE_DIR "/tests/data/experiment/uncertainty.yaml");
  REQUIRE(spec.sweep_method == "uncertainty");
  REQUIRE(spec.posterior);
  REQUIRE(spec.primary_metrics.size() == 3);
  CHECK_FALSE(spec.primary_metrics[2].higher_is_better);
  const auto points = sim::sweep_points(spec);
  REQUIRE(points.size() == 6);
  const std::vector<std::vector<double>> rows{{0.1, 0.5}, {0.2, 1.0}, {0.05, 2.0}, {0.3, 0.2}};
  std::vector<int> drawn(rows.size());
  for (const auto& p : points) {
    REQUIRE(p.size() == 4);  // two assumptions, then the posterior's two parameters
    CHECK(p[0].first == "routing.transfer_delay_h");
    CHECK(p[0].second >= 4.0);
    CHECK(p[0].second <= 48.0);
    CHECK(p[2].first == "domains[*].unmeetable_share");
    const auto row =
        std::find(rows.begin(), rows.end(), std::vector<double>{p[2].second, p[3].second});
    REQUIRE(row != rows.end());
    ++drawn[static_cast<std::size_t>(row - rows.begin())];
  }
  // Weights 0.4, 0.3, 0.2, 0.1 over six draws.
  CHECK(drawn[0] >= 2);
  CHECK(drawn[0] <= 3);
  CHECK(drawn[3] <= 1);
  const auto runs = sim::expand(spec);
  REQUIRE(runs.size() == 3 * 6 * 2);
  for (const auto& run : runs) {
    const auto& p = run.parameters;
    CHECK(run.scenario.child("grid").child("finds_per_worker_per_day").as_double("g") ==
          p[3].second);
    CHECK(run.scenario.child("routing").child("transfer_delay_h").as_double("r") == p[0].second);
    for (const auto& d : run.scenario.child("domains").as_list("domains"))
      CHECK(d.child("unmeetable_share").as_double("u") == p[2].second);
  }
}

TEST_CASE("uncertainty sweep errors point at the offending line",
          "[unit][experiment][uncertainty]") {
  TempDir dir;
  dir.write("cal.yaml",
            "calibration:\n  scenario: city.yaml\n  parameters:\n"
            "    - {key: hotline.call_takers, low: 1, high: 50}\n"
            "  targets:\n    - {name: t, output: x, value: 1, tolerance: 1, source: s}\n");
  dir.write("post.csv", "weight,hotline.call_takers\n0.5,10\n0.5,60\n");
  dir.write("good.csv", "weight,hotline.call_takers\n0.5,10\n0.5,20\n");
  const std::string head = std::string(kHeader) + "  policies: {baseline: {}}\n";
  const std::string sweep = "  sweep:\n    method: uncertainty\n    samples: 4\n";
  CHECK_THAT(
      error_of(dir.write("a.yaml", head + sweep + "    parameters: {whistle.quota: [1, 3]}\n")),
      Catch::Contains("a.yaml:2:3: experiment.primary_metrics: missing required key") &&
          Catch::Contains("an uncertainty sweep is read on its primary metrics"));
  CHECK_THAT(error_of(dir.write("b.yaml", head + sweep +
                                              "    posterior: {calibration: cal.yaml, sample: "
                                              "post.csv}\n  primary_metrics: {m: higher}\n")),
             Catch::Contains("post.csv:3:2: hotline.call_takers: outside the calibration's prior "
                             "range [1, 50]"));
  CHECK_THAT(error_of(dir.write("c.yaml", head + sweep +
                                              "    posterior: {calibration: cal.yaml, sample: "
                                              "good.csv}\n  primary_metrics: {m: better}\n")),
             Catch::Contains("c.yaml:10:24: experiment.primary_metrics.m: expected higher or "
                             "lower, got 'better'"));
  CHECK_THAT(error_of(dir.write("d.yaml", head + sweep +
                                              "    parameters: {hotline.call_takers: [1, 3]}\n"
                                              "    posterior: {calibration: cal.yaml, sample: "
                                              "good.csv}\n  primary_metrics: {m: higher}\n")),
             Catch::Contains("experiment.sweep.parameters.hotline.call_takers: also a parameter "
                             "of the posterior"));
  CHECK_THAT(error_of(dir.write("e.yaml", head + sweep + "  primary_metrics: {m: higher}\n")),
             Catch::Contains("missing required key 'parameters' (an uncertainty sweep needs "
                             "parameters or a posterior)"));
  CHECK_THAT(error_of(dir.write("f.yaml", head + "  sweep:\n    method: lhs\n    samples: 4\n"
                                                 "    parameters: {whistle.quota: [1, 3]}\n"
                                                 "    posterior: {calibration: cal.yaml, sample: "
                                                 "good.csv}\n")),
             Catch::Contains("posterior is only used by method uncertainty"));
  CHECK_THAT(error_of(dir.write("g.yaml", head + "  multiple_comparisons: bonferroni\n")),
             Catch::Contains("expected holm or bh, got 'bonferroni'"));
}

TEST_CASE("sampled parameters follow their distributions", "[unit][experiment]") {
  TempDir dir;
  const auto spec = sim::load_experiment(dir.write(
      "exp.yaml", std::string(kHeader) +
                      "  policies: {a: {}}\n  sweep:\n    method: lhs\n    samples: 2000\n"
                      "    parameters:\n"
                      "      hotline.call_takers: {distribution: normal, mean: 50, sd: 4}\n"
                      "      whistle.quota: {distribution: triangular, low: 0, mode: 1, high: 4}\n"
                      "      hotline.x: {distribution: discrete, values: [1, 2, 3], weights: "
                      "[1, 0, 3]}\n"));
  REQUIRE(spec.sweep.size() == 3);
  const auto& normal = spec.sweep[0];
  CHECK(normal.quantile(0.5) == Approx(50));
  CHECK(normal.quantile(0.975) == Approx(50 + 1.959964 * 4));
  CHECK(std::isfinite(normal.quantile(0.0)));
  const auto& tri = spec.sweep[1];
  CHECK(tri.quantile(0.25) == Approx(1));  // F(mode) = (mode - low) / (high - low)
  CHECK(tri.quantile(0) == Approx(0));
  const auto& discrete = spec.sweep[2];
  CHECK(discrete.quantile(0.2) == 1);
  CHECK(discrete.quantile(0.3) == 3);  // weight 0: never 2
  CHECK(discrete.describe() == "discrete(values 1, 2, 3; weights 1, 0, 3)");
  // A Latin hypercube through the quantiles: the sample's moments are the distribution's.
  const auto points = sim::sweep_points(spec);
  double sum = 0, sq = 0, tri_sum = 0, threes = 0;
  for (const auto& p : points) {
    sum += p[0].second;
    sq += p[0].second * p[0].second;
    tri_sum += p[1].second;
    threes += p[2].second == 3 ? 1 : 0;
    CHECK(p[2].second != 2);
  }
  const double n = static_cast<double>(points.size());
  CHECK(sum / n == Approx(50).margin(0.01));
  CHECK(std::sqrt(sq / n - (sum / n) * (sum / n)) == Approx(4).epsilon(0.01));
  CHECK(tri_sum / n == Approx(5.0 / 3).epsilon(0.01));  // (low + mode + high) / 3
  CHECK(threes / n == Approx(0.75).margin(0.001));
}

TEST_CASE("a distribution is refused where it cannot be drawn, at its line", "[unit][experiment]") {
  TempDir dir;
  const std::string exp = dir.str("exp.yaml");
  auto error = [&](const std::string& method, const std::string& parameter) {
    return error_of(dir.write(
        "exp.yaml", std::string(kHeader) + "  policies: {a: {}}\n  sweep:\n    method: " + method +
                        "\n    samples: 4\n    parameters:\n" +
                        "      hotline.call_takers: " + parameter + "\n"));
  };
  CHECK(error("morris", "{distribution: normal, mean: 5, sd: 1}") ==
        exp +
            ":10:28: experiment.sweep.parameters.hotline.call_takers: distributions are drawn by "
            "methods lhs, saltelli and uncertainty; method morris takes [low, high]");
  CHECK(error("lhs", "{distribution: normal, mean: 5, sd: 0}") ==
        exp + ":10:28: experiment.sweep.parameters.hotline.call_takers: expected sd > 0");
  CHECK(error("lhs", "{distribution: lognormal, mean: 5, sd: 1}") ==
        exp +
            ":10:43: experiment.sweep.parameters.hotline.call_takers.distribution: expected one "
            "of: uniform, normal, triangular, discrete; got 'lognormal'");
}
