// `govsim calibrate` as a user meets it: a tiny calibration runs, reports every target and the
// held-out figure, writes its file (every proposal, the ABC-SMC record, the posterior mean); a
// broken calibration file is refused at its line with exit 2 and nothing written.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "analysis/results_reader.hpp"
#include "tests/cli/process.hpp"
#include "tests/cli/same_datasets.hpp"
#include "tests/support.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

TEST_CASE("govsim calibrate fits, reports targets and held-out figures, and writes one file",
          "[cli][calibration]") {
  const test::TempDir dir;
  const fs::path out = dir.path() / "cal.h5";
  const test::Result r = test::run_govsim(
      {"calibrate", "tests/data/calibration/tiny.yaml", "-o", out.string(), "--no-progress"},
      dir.path(), test::source_dir());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("| resolution | resolution_rate_received | 0.6 | 0.1 |") != std::string::npos);
  CHECK(r.out.find("| d1-reports | district_reported[district-1] per 365 d at scale 1 |") !=
        std::string::npos);
  CHECK(r.out.find("| whistled | ../experiment/whistle.yaml |") != std::string::npos);
  REQUIRE(fs::exists(out));
  CHECK_FALSE(fs::exists(dir.path() / "cal.h5.parts"));
  const analysis::ResultsFile file(out);
  std::size_t proposals = 0;
  bool abc = false, posterior = false;
  for (const auto& run : file.runs()) {
    if (run.name.rfind("g0", 0) == 0) ++proposals;
    abc = abc || run.name == "abc-smc";
    posterior = posterior || run.name == "posterior-mean";
  }
  CHECK(proposals >= 12);  // two generations of six particles at least
  CHECK(abc);
  CHECK(posterior);
  const auto accepted = file.variable("abc-smc", "posterior_value");
  CHECK(accepted.data.size() == 6 * 2);  // six particles, two parameters
  for (std::size_t i = 0; i < accepted.data.size(); i += 2) {
    CHECK(accepted.data[i] >= 0.0);
    CHECK(accepted.data[i] <= 0.4);
  }
}

TEST_CASE("calibrate options population and generations override the file's ABC-SMC sizes",
          "[cli][calibration]") {
  const test::TempDir dir;
  const fs::path out = dir.path() / "quick.h5";
  test::Result r =
      test::run_govsim({"calibrate", "tests/data/calibration/tiny.yaml", "-o", out.string(),
                        "--no-progress", "--population", "4", "--generations", "1"},
                       dir.path(), test::source_dir());
  INFO(r.err);
  REQUIRE(r.code == 0);
  const analysis::ResultsFile file(out);
  std::size_t proposals = 0;
  for (const auto& run : file.runs()) proposals += run.name.rfind("g0", 0) == 0 ? 1 : 0;
  CHECK(proposals == 4);  // the prior's generation only, four particles
  CHECK(file.variable("abc-smc", "posterior_value").data.size() == 4 * 2);
  r = test::run_govsim(
      {"calibrate", "tests/data/calibration/tiny.yaml", "--population", "2", "--evaluate"},
      dir.path(), test::source_dir());
  CHECK(r.code == 2);
  CHECK(r.err.find("--population") != std::string::npos);
}

TEST_CASE("a broken calibration file is refused at its line, before anything runs",
          "[cli][calibration]") {
  struct Case {
    std::string text, expected;
  };
  const std::vector<Case> cases = {
      {"  parameters:\n    - {key: grid.finds_per_worker_per_day, low: 3, high: 1}\n",
       "calibration.parameters[0]: expected low < high"},
      {"  parameters:\n    - {key: grid.no_such_key, low: 1, high: 2}\n",
       "grid.no_such_key: unknown key"},
      {"  parameters:\n    - {key: \"departments[*].staff\", low: 1, high: 2, multiply: true}\n",
       "multiply: true needs the base scenario to set this key explicitly"},
      {"  days: 3\n  population_scale: 0.05\n  population: 4\n  generations: 1\n"
       "  parameters:\n    - {key: grid.finds_per_worker_per_day, low: 1, high: 2}\n",
       "the model writes no resolution_rte"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.expected) {
      const test::TempDir dir;
      const fs::path file = dir.path() / "bad.yaml";
      std::ofstream(file) << "calibration:\n  scenario: " << test::source_dir().string()
                          << "/scenarios/synthetic-small.yaml\n"
                          << c.text << "  targets:\n    - {name: t, output: "
                          << (c.expected.find("_rte") != std::string::npos ? "resolution_rte"
                                                                           : "resolution_rate")
                          << ", value: 0.5, tolerance: 0.1, source: test}\n";
      const fs::path out = dir.path() / "out.h5";
      const test::Result r = test::run_govsim(
          {"calibrate", file.string(), "-o", out.string(), "--no-progress"}, dir.path());
      INFO(r.err);
      CHECK(r.code == 2);
      CHECK(r.err.find(file.string() + ":") == 0);
      CHECK(r.err.find(c.expected) != std::string::npos);
      CHECK_FALSE(fs::exists(out));
      CHECK_FALSE(fs::exists(dir.path() / "out.h5.parts"));
    }
  }
}

TEST_CASE("an interrupted calibration resumes to the same posterior", "[cli][calibration]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const std::string file = (test::source_dir() / "tests/data/calibration/tiny.yaml").string();
  const fs::path full = dir / "full.h5", cut = dir / "cut.h5";
  const auto r = test::run_govsim({"calibrate", file, "-o", full.string(), "--no-progress"}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  // One thread, so that the signal lands between the first proposal and the last.
  const auto p =
      test::spawn_govsim({"calibrate", file, "-o", cut.string(), "--no-progress", "--threads", "1"},
                         dir / "cut.out", dir / "cut.err");
  REQUIRE(test::terminate_after_first_part(p, dir / "cut.h5.parts" / "runs"));
  const int code = test::wait_exit(p);
  INFO(test::slurp(dir / "cut.err"));
  REQUIRE(code == 130);
  CHECK_FALSE(fs::exists(cut));
  const auto resumed =
      test::run_govsim({"calibrate", file, "-o", cut.string(), "--no-progress", "--resume"}, dir);
  INFO(resumed.err);
  REQUIRE(resumed.code == 0);
  test::require_same_posterior(full, cut);
}

TEST_CASE("a calibration whose proposals would not fit in --max-memory is refused before any run",
          "[cli][calibration][memory]") {
  const test::TempDir dir;
  const fs::path out = dir.path() / "cal.h5";
  const std::string tiny = (test::source_dir() / "tests/data/calibration/tiny.yaml").string();
  const auto r = test::run_govsim(
      {"calibrate", tiny, "-o", out.string(), "--no-progress", "--max-memory", "1M"}, dir.path());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("more than --max-memory") &&
                        Catch::Contains("residents_per_community"));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(dir.path() / "cal.h5.parts"));
}
