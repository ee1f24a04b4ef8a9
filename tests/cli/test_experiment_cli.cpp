// Experiments through the binary: atomic output, SIGTERM and --resume, the comparison, and the
// file read back by HDF5's tools and by Python.
#include <catch2/catch.hpp>

#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <thread>

#include "analysis/compare.hpp"
#include "analysis/results_reader.hpp"
#include "tests/cli/process.hpp"
#include "tests/cli/same_datasets.hpp"
#include "tests/support.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kTiny = test::source_dir() / "tests/data/experiment/tiny.yaml";

}  // namespace

TEST_CASE("an experiment interrupted by SIGTERM leaves no file and resumes to the same file",
          "[cli][experiment]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path full = dir / "full.h5", cut = dir / "cut.h5";
  const auto r = test::run_govsim(
      {"run", kTiny.string(), "-o", full.string(), "--no-progress", "--days", "30"}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  REQUIRE(fs::exists(full));
  CHECK(!fs::exists(dir / "full.h5.parts"));
  CHECK(r.out.find("same-as-baseline") != std::string::npos);

  // Serial runs so that the signal lands between the first part and the last.
  const auto p = test::spawn_govsim(
      {"run", kTiny.string(), "-o", cut.string(), "--no-progress", "--days", "30", "--serial-runs"},
      dir / "cut.out", dir / "cut.err");
  REQUIRE(test::terminate_after_first_part(p, dir / "cut.h5.parts" / "runs"));
  const int code = test::wait_exit(p);
  INFO(test::slurp(dir / "cut.err"));
  REQUIRE(code == 130);
  CHECK(!fs::exists(cut));
  const auto resumed = test::run_govsim(
      {"run", kTiny.string(), "-o", cut.string(), "--no-progress", "--days", "30", "--resume"},
      dir);
  INFO(resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK(resumed.err.find("resumed") != std::string::npos);
  test::require_same_datasets(full, cut);

  // An existing results file is never overwritten silently.
  const auto again =
      test::run_govsim({"run", kTiny.string(), "-o", full.string(), "--no-progress"}, dir);
  CHECK(again.code == 2);
}

TEST_CASE("compare finds no difference between identical policies", "[cli][experiment][compare]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path out = dir / "tiny.h5";
  const auto r =
      test::run_govsim({"run", kTiny.string(), "-o", out.string(), "--no-progress"}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  const analysis::ResultsFile file(out);
  const auto cmp = analysis::compare_policies(file, {});
  std::size_t same_rows = 0;
  for (const auto& row : cmp.rows) {
    if (!row.difference) continue;
    if (row.group.label == "same-as-baseline") {
      ++same_rows;
      CHECK_FALSE(row.difference->significant());
      CHECK(row.difference->diff.estimate == 0.0);
    }
  }
  CHECK(same_rows > 10);
  // Eight days is all transient: the open stock still grows, and the comparison says so.
  CHECK(r.out.find("baseline: city_open still grows by") != std::string::npos);
  analysis::CompareOptions watch;
  watch.stock_series = {"city_open"};
  watch.growth_warning_per_day = 1e9;  // a threshold no run reaches: no note
  for (const auto& n : analysis::compare_policies(file, watch).notes)
    CHECK(n.find("still grows") == std::string::npos);
  // The file opens in HDF5's own tools.
  CHECK(std::system(
            ("h5dump -H " + out.string() + " > " + (dir / "h5dump.txt").string()).c_str()) == 0);
  CHECK(test::slurp(dir / "h5dump.txt").find("city_arising") != std::string::npos);
  // And in Python (h5py, xarray with netCDF-4, the plotting example, whose paired differences
  // must be compare's), with the model's variables.
  const auto compared =
      test::run_govsim({"compare", out.string(), "--all", "--format", "csv"}, dir);
  REQUIRE(compared.code == 0);
  std::ofstream(dir / "compare.csv") << compared.out;
  const auto extracted = test::run_govsim(
      {"export", out.string(), "--format", "netcdf", "-o", (dir / "stacked.nc").string()}, dir);
  INFO(extracted.err);
  REQUIRE(extracted.code == 0);
  const std::string py = std::string(GOVSIM_SYSTEM_PYTHON) + " " +
                         (test::source_dir() / "tests/python/check_results.py").string() + " " +
                         out.string() + " --compare-csv " + (dir / "compare.csv").string() +
                         " --stacked-extract " + (dir / "stacked.nc").string() +
                         " --expect-variable district_arising:day,district:d-1" +
                         " --expect-variable department_utilisation:day,department:1 > " +
                         (dir / "python.txt").string() + " 2>&1";
  const int rc = std::system(py.c_str());
  INFO(test::slurp(dir / "python.txt"));
  CHECK(rc == 0);
}

TEST_CASE("a Latin hypercube sweep runs every sample and records its parameters",
          "[cli][experiment]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "sweep.h5";
  const auto r =
      test::run_govsim({"run", (test::source_dir() / "tests/data/experiment/sweep.yaml").string(),
                        "-o", out.string(), "--no-progress"},
                       tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  const analysis::ResultsFile file(out);
  REQUIRE(file.runs().size() == 6);
  std::vector<double> call_takers;
  for (const auto& run : file.runs()) {
    REQUIRE(run.sample.has_value());
    for (const auto& [key, value] : run.attributes) {
      if (key == "parameter:hotline.call_takers" && run.replicate == 0)
        call_takers.push_back(std::stod(value));
    }
  }
  // One point in each third of [100, 300].
  REQUIRE(call_takers.size() == 3);
  std::sort(call_takers.begin(), call_takers.end());
  CHECK(call_takers[0] < 100 + 200.0 / 3);
  CHECK(call_takers[1] > 100 + 200.0 / 3);
  CHECK(call_takers[1] < 100 + 400.0 / 3);
  CHECK(call_takers[2] > 100 + 400.0 / 3);
}

// The shipped experiment, shortened and shrunk: common random numbers must make the paired
// intervals of differences narrower than the unpaired ones.
TEST_CASE("on the shipped experiment pairing narrows the intervals of differences",
          "[cli][experiment]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "shipped.h5";
  const auto r = test::run_govsim(
      {"run", (test::source_dir() / "scenarios/guangzhou-experiment.yaml").string(), "-o",
       out.string(), "--no-progress", "--days", "20", "--scale", "0.02"},
      tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  const analysis::ResultsFile file(out);
  // The file declares primary metrics, so the comparison shows only those unless asked for all.
  CHECK(r.out.find("only the 5 primary metrics are shown") != std::string::npos);
  analysis::CompareOptions all;
  all.all_metrics = true;
  const auto cmp = analysis::compare_policies(file, all);
  std::vector<double> ratios;
  for (const auto& row : cmp.rows) {
    if (row.difference && !std::isnan(row.difference->width_ratio()))
      ratios.push_back(row.difference->width_ratio());
  }
  REQUIRE(ratios.size() > 100);
  std::sort(ratios.begin(), ratios.end());
  const double median = ratios[ratios.size() / 2];
  WARN("unpaired / paired interval width over " << ratios.size() << " policy-metric rows: median "
                                                << median << ", lower quartile "
                                                << ratios[ratios.size() / 4]);
  CHECK(median > 1.2);
}

TEST_CASE("a saltelli sweep runs N(k+2) points and govsim sensitivity reports both parameters",
          "[cli][experiment][sensitivity]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "saltelli.h5";
  const auto r = test::run_govsim(
      {"run", (test::source_dir() / "tests/data/experiment/saltelli.yaml").string(), "-o",
       out.string(), "--no-progress"},
      tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(analysis::ResultsFile(out).runs().size() == 8 * (2 + 2));
  const auto s = test::run_govsim(
      {"sensitivity", out.string(), "--metric", "misroutes_per_dispatched"}, tmp.path());
  INFO(s.out << s.err);
  REQUIRE(s.code == 0);
  CHECK(s.out.find("hotline.classification_error") != std::string::npos);
  CHECK(s.out.find("routing.transfer_delay_h") != std::string::npos);
  const auto bad =
      test::run_govsim({"sensitivity", out.string(), "--metric", "no_such_metric"}, tmp.path());
  CHECK(bad.code == 2);
}

TEST_CASE("a saltelli sweep with second order runs N(2k+2) points and reports S2",
          "[cli][experiment][sensitivity]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "s2.h5";
  const auto r = test::run_govsim(
      {"run", (test::source_dir() / "tests/data/experiment/saltelli-second-order.yaml").string(),
       "-o", out.string(), "--no-progress", "--compare-metric", "resolution_rate"},
      tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(analysis::ResultsFile(out).runs().size() == 8 * (2 * 2 + 2));
  CHECK(r.out.find("S2 hotline.classification_error x routing.transfer_delay_h: ") !=
        std::string::npos);
}

TEST_CASE("a design from a CSV file runs its rows as the sweep's points", "[cli][experiment]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "design.h5";
  const auto r =
      test::run_govsim({"run", (test::source_dir() / "tests/data/experiment/design.yaml").string(),
                        "-o", out.string(), "--no-progress"},
                       tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  const analysis::ResultsFile file(out);
  REQUIRE(file.runs().size() == 3 * 2);
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"0.1", "12"}, {"0.3", "24"}, {"0.45", "6"}};
  for (const auto& run : file.runs()) {
    REQUIRE(run.sample.has_value());
    const auto& [error, delay] = rows.at(static_cast<std::size_t>(*run.sample));
    CHECK(*analysis::find_attribute(run.attributes, "parameter:hotline.classification_error") ==
          error);
    CHECK(*analysis::find_attribute(run.attributes, "parameter:routing.transfer_delay_h") == delay);
  }
}

TEST_CASE("a morris sweep runs r(k+1) points and govsim sensitivity reports elementary effects",
          "[cli][experiment][sensitivity][morris]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "morris.h5";
  const auto r =
      test::run_govsim({"run", (test::source_dir() / "tests/data/experiment/morris.yaml").string(),
                        "-o", out.string(), "--no-progress", "--compare-metric", "resolution_rate"},
                       tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(analysis::ResultsFile(out).runs().size() == 4 * (2 + 1));
  // The run prints the indices of the metric asked for, not a table per metric.
  CHECK(r.out.find("resolution_rate [1]") != std::string::npos);
  CHECK(r.out.find("satisfaction_rate [1]") == std::string::npos);
  const auto s = test::run_govsim(
      {"sensitivity", out.string(), "--metric", "resolution_rate", "--format", "csv"}, tmp.path());
  INFO(s.err);
  REQUIRE(s.code == 0);
  CHECK(s.out.rfind("metric,policy,parameter,mu_star,mu,sigma,effects\n", 0) == 0);
  CHECK(s.out.find("resolution_rate,baseline,hotline.classification_error,") != std::string::npos);
  CHECK(s.out.find("resolution_rate,baseline,routing.transfer_delay_h,") != std::string::npos);
}

TEST_CASE(
    "an uncertainty experiment runs every policy on every draw and compare reads it over "
    "the draws",
    "[cli][experiment][uncertainty]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "uncertainty.h5";
  const auto r = test::run_govsim(
      {"run", (test::source_dir() / "tests/data/experiment/uncertainty.yaml").string(), "-o",
       out.string(), "--no-progress"},
      tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  // The analysis follows the run: effects over draws, adjusted flags and the regret table.
  CHECK(r.out.find("an uncertainty experiment") != std::string::npos);
  CHECK(r.out.find("p-values adjusted by Holm") != std::string::npos);
  CHECK(r.out.find("mean regret") != std::string::npos);
  const analysis::ResultsFile file(out);
  CHECK(file.runs().size() == 3 * 6 * 2);
  CHECK(file.attribute("primary_metrics") ==
        "resolution_rate:higher,satisfaction_rate:higher,time_to_resolution_mean_h:lower");
  CHECK(file.attribute("multiple_comparisons") == "holm");
  // The whole experiment in one read: /summary over policy, sample and replicate.
  const auto stacked = file.stacked_summary("resolution_rate");
  REQUIRE(stacked.dims.size() == 3);
  CHECK(stacked.dims[0].labels ==
        std::vector<std::string>{"baseline", "same-as-baseline", "whistle"});
  CHECK(stacked.dims[1].size() == 6);
  CHECK(stacked.dims[2].size() == 2);
  const auto rob = analysis::analyse_uncertainty(file, {});
  CHECK(rob.draws == 6);
  CHECK(rob.comparisons == 6);  // two policies x three primary metrics
  CHECK(rob.parameters.size() == 4);
  for (const auto& row : rob.rows) {
    if (row.policy != "same-as-baseline") continue;
    // Zero by construction: the same scenario on the same random numbers.
    CHECK(row.effect.estimate == 0.0);
    CHECK(row.wins_share == 0.0);
    CHECK_FALSE(row.flagged);
  }
  // --primary and --adjust override the file's choice; CSV has a row per metric and policy.
  const auto csv = test::run_govsim({"compare", out.string(), "--primary", "resolution_rate:higher",
                                     "--adjust", "bh", "--format", "csv"},
                                    tmp.path());
  INFO(csv.err);
  REQUIRE(csv.code == 0);
  CHECK(csv.out.rfind("metric,better,policy,draws,mean,effect,", 0) == 0);
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 1 + 3);
  // Without primary metrics an uncertainty experiment cannot be read.
  const auto none =
      test::run_govsim({"compare", out.string(), "--primary", "bogus:higher"}, tmp.path());
  CHECK(none.code == 2);
  CHECK(none.err.find("unknown primary metric 'bogus'") != std::string::npos);
}

TEST_CASE("compare adjusts the primary metrics' p-values over policies x metrics",
          "[cli][experiment][compare]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "tiny.h5";
  REQUIRE(test::run_govsim({"run", kTiny.string(), "-o", out.string(), "--no-progress"}, tmp.path())
              .code == 0);
  const analysis::ResultsFile file(out);
  analysis::CompareOptions o;
  o.metrics = {"issues_per_day"};  // the primary metrics are compared whether listed or not
  o.primary_metrics = {"resolution_rate:higher", "satisfaction_rate:higher"};
  const auto c = analysis::compare_policies(file, o);
  std::vector<double> p;
  for (const auto& row : c.rows) {
    if (!row.difference) continue;
    if (row.metric == "issues_per_day") {
      CHECK(std::isnan(row.difference->p));
    } else {
      p.push_back(row.difference->p);
      CHECK(row.difference->p_adjusted >= row.difference->p);
    }
  }
  CHECK(p.size() == 4);  // two policies x two primary metrics
}

TEST_CASE("govsim export writes one tidy row per run and metric, with the sweep's parameters",
          "[cli][experiment][export]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "sweep.h5", csv = tmp.path() / "table.csv";
  auto r =
      test::run_govsim({"run", (test::source_dir() / "tests/data/experiment/sweep.yaml").string(),
                        "-o", out.string(), "--no-progress", "--days", "4"},
                       tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  r = test::run_govsim({"export", out.string(), "-o", csv.string()}, tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  const analysis::ResultsFile file(out);
  // CF-style provenance: conventions, title, and the command line in the history.
  CHECK(file.attribute("Conventions") == std::optional<std::string>("CF-1.8"));
  CHECK(file.attribute("title") == std::optional<std::string>("govsim experiment: sweep"));
  REQUIRE(file.attribute("history").has_value());
  CHECK_THAT(*file.attribute("history"), Catch::Contains(" run ") && Catch::Contains("sweep.yaml"));
  CHECK_THAT(file.attribute("source").value_or(""), Catch::StartsWith("govsim 0.1.0 (commit "));
  const std::string text = test::slurp(csv);
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1)
    lines.push_back(text.substr(start, end - start));
  REQUIRE(!lines.empty());
  CHECK(lines[0] ==
        "run,policy,sample,replicate,seed,status,parameter:hotline.call_takers,parameter:routing."
        "transfer_delay_h,metric,value,unit");
  const auto metrics = file.summary(file.runs().front().name);
  CHECK(lines.size() == 1 + file.runs().size() * metrics.size());
  // The first data row is the first run's first metric, at full precision.
  const auto& first = file.runs().front();
  CHECK(lines[1].rfind(first.name + "," + first.policy + ",0,0," + first.seed + ",ok,", 0) == 0);
  const std::string tail = lines[1].substr(lines[1].rfind(',', lines[1].rfind(',') - 1) + 1);
  CHECK(std::stod(tail.substr(0, tail.find(','))) == Approx(metrics.front().value).epsilon(1e-15));
  // One metric only, to standard output; an unknown metric is refused, naming it.
  r = test::run_govsim({"export", out.string(), "--metric", metrics.back().name}, tmp.path());
  REQUIRE(r.code == 0);
  CHECK(static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n')) ==
        1 + file.runs().size());
  r = test::run_govsim({"export", out.string(), "--metric", "resolution_rte", "-o",
                        (tmp.path() / "bad.csv").string()},
                       tmp.path());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("no run has the summary metric 'resolution_rte'"));
  CHECK(!fs::exists(tmp.path() / "bad.csv"));
}

TEST_CASE("Guangzhou's districts carry their NBS code and pinyin as coordinates",
          "[cli][experiment]") {
  const test::TempDir tmp;
  const fs::path out = tmp.path() / "gz.h5";
  auto r = test::run_govsim(
      {"run", (test::source_dir() / "tests/data/experiment/guangzhou-tiny.yaml").string(), "-o",
       out.string(), "--no-progress", "--days", "2"},
      tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  // Label coordinates are not numeric variables: readers that list variables skip them.
  const analysis::ResultsFile file(out);
  const auto names = file.variable_names(file.runs().front().name);
  CHECK(std::find(names.begin(), names.end(), "district_pinyin") == names.end());
  CHECK(std::find(names.begin(), names.end(), "district_open") != names.end());
  CHECK_THROWS_WITH(file.variable(file.runs().front().name, "district_code"),
                    Catch::Contains("label coordinate"));
  const std::string py = std::string(GOVSIM_SYSTEM_PYTHON) + " " +
                         (test::source_dir() / "tests/python/check_results.py").string() + " " +
                         out.string() + " --expect-coordinate district_code:district:440103" +
                         " --expect-coordinate district_pinyin:district:Liwan > " +
                         (tmp.path() / "python.txt").string() + " 2>&1";
  const int rc = std::system(py.c_str());
  INFO(test::slurp(tmp.path() / "python.txt"));
  CHECK(rc == 0);
}

TEST_CASE("export --format netcdf needs an output file and an experiment", "[cli][experiment]") {
  const test::TempDir tmp;
  const fs::path single = tmp.path() / "single.h5";
  auto r =
      test::run_govsim({"run", (test::source_dir() / "scenarios/synthetic-small.yaml").string(),
                        "-o", single.string(), "--no-progress", "--days", "2", "--scale", "0.02"},
                       tmp.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  const fs::path nc = tmp.path() / "stacked.nc";
  r = test::run_govsim({"export", single.string(), "--format", "netcdf", "-o", nc.string()},
                       tmp.path());
  CHECK(r.code == 2);
  CHECK(r.err.find("no stacked arrays (/summary)") != std::string::npos);
  CHECK(!fs::exists(nc));
  r = test::run_govsim({"export", single.string(), "--format", "netcdf"}, tmp.path());
  CHECK(r.code == 2);
  CHECK(r.err.find("-o FILE.nc") != std::string::npos);
}

TEST_CASE("a mistyped command is answered with the nearest one", "[cli]") {
  const test::TempDir tmp;
  auto r = test::run_govsim({"rnu", "x.yaml"}, tmp.path());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown command 'rnu'; did you mean 'run'?"));
  r = test::run_govsim({"frobnicate"}, tmp.path());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("commands: run, calibrate, validate"));
}

TEST_CASE("resuming after a data file changed is refused and names the file",
          "[cli][experiment][bad-input]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path data = test::source_dir() / "scenarios/data";
  fs::copy_file(data / "guangzhou_divisions.csv", dir / "divisions.csv");
  fs::copy_file(data / "guangzhou_districts.csv", dir / "districts.csv");
  {
    std::ofstream scenario(dir / "scenario.yaml");
    scenario << "extends: " << (test::source_dir() / "scenarios/guangzhou.yaml").string() << "\n"
             << "city:\n  divisions_file: divisions.csv\n  districts_file: districts.csv\n";
    std::ofstream experiment(dir / "exp.yaml");
    experiment << "experiment:\n  name: data-check\n  scenario: scenario.yaml\n  replicates: 8\n"
               << "  seed: 3\n  days: 3\n  population_scale: 0.003\n  policies:\n"
               << "    baseline: {}\n";
  }
  const fs::path out = dir / "out.h5";
  const auto p = test::spawn_govsim(
      {"run", (dir / "exp.yaml").string(), "-o", out.string(), "--no-progress", "--serial-runs"},
      dir / "cut.out", dir / "cut.err");
  REQUIRE(test::terminate_after_first_part(p, dir / "out.h5.parts" / "runs"));
  INFO(test::slurp(dir / "cut.err"));
  REQUIRE(test::wait_exit(p) == 130);
  // One population figure edited: the runs already made used the old one.
  std::string districts = test::slurp(dir / "districts.csv");
  const auto at = districts.find(",113.3,");
  REQUIRE(at != std::string::npos);
  districts.replace(at, 7, ",113.4,");
  std::ofstream(dir / "districts.csv", std::ios::trunc) << districts;
  const auto resumed = test::run_govsim(
      {"run", (dir / "exp.yaml").string(), "-o", out.string(), "--no-progress", "--resume"}, dir);
  CHECK(resumed.code == 2);
  CHECK_THAT(resumed.err, Catch::Contains("data_file:city.districts_file") &&
                              Catch::Contains("districts.csv") && Catch::Contains("--overwrite"));
  CHECK(!fs::exists(out));
}

TEST_CASE("shards merged give the file a single process writes, and foreign shards are refused",
          "[cli][experiment][shard]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  auto run = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"run", kTiny.string(), "--no-progress", "--days", "4"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = test::run_govsim(args, dir);
    INFO(r.err);
    REQUIRE(r.code == 0);
  };
  const fs::path full = dir / "full.h5", merged = dir / "merged.h5";
  run({"-o", full.string()});
  for (const char* k : {"1", "2", "3"})
    run({"-o", (dir / (std::string("s") + k + ".h5")).string(), "--shard", std::string(k) + "/3"});
  const std::string s1 = (dir / "s1.h5").string(), s2 = (dir / "s2.h5").string(),
                    s3 = (dir / "s3.h5").string();
  CHECK(analysis::ResultsFile(s1).runs().size() == 4);  // runs 1, 4, 7, 10 of 12
  auto r = test::run_govsim({"merge", s3, s1, s2, "-o", merged.string()}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  test::require_same_datasets(full, merged);
  const analysis::ResultsFile m(merged);
  CHECK(m.stacked_summary("resolution_rate").data ==
        analysis::ResultsFile(full).stacked_summary("resolution_rate").data);
  // Refused, exit 2, nothing written: a shard missing, one given twice, one of another experiment.
  const fs::path none = dir / "none.h5";
  r = test::run_govsim({"merge", s1, s2, "-o", none.string()}, dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("shard 3/3 is missing"));
  r = test::run_govsim({"merge", s1, s2, s3, s1, "-o", none.string()}, dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("shard 1/3 is given twice"));
  run({"-o", (dir / "other.h5").string(), "--shard", "3/3", "--seed", "99"});
  r = test::run_govsim({"merge", s1, s2, (dir / "other.h5").string(), "-o", none.string()}, dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("is a shard of another experiment"));
  r = test::run_govsim({"merge", full.string(), "-o", none.string()}, dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("not a shard"));
  CHECK(!fs::exists(none));
}

TEST_CASE("a results file damaged on disk is refused by its checksums with exit 2",
          "[cli][experiment][results]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path file = dir / "tiny.h5";
  auto r = test::run_govsim(
      {"run", kTiny.string(), "-o", file.string(), "--no-progress", "--days", "3"}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  // Checksummed (compact and Fletcher-32) datasets stay readable by netCDF's own tool.
  r = test::run_program("ncdump", {"-v", "resolution_rate", "-g", "summary", file.string()}, dir);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("resolution_rate ="));
  double value = 0;
  for (const auto& s : analysis::ResultsFile(file).summary("baseline.r000"))
    if (s.name == "resolution_rate") value = s.value;
  // Every copy of one summary value (in its run group and in /summary) gets one byte changed.
  std::string bytes = test::slurp(file);
  const std::string pattern(reinterpret_cast<const char*>(&value), sizeof value);
  std::size_t copies = 0;
  for (auto at = bytes.find(pattern); at != std::string::npos; at = bytes.find(pattern, at + 1)) {
    bytes[at + 3] = static_cast<char>(bytes[at + 3] ^ 0x5a);
    ++copies;
  }
  REQUIRE(copies >= 2);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  for (const char* command : {"compare", "export"}) {
    r = test::run_govsim({command, file.string()}, dir);
    INFO(command << ": " << r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("checksum"));
    CHECK_THAT(r.err, !Catch::Contains("infinite loop"));  // libhdf5's shutdown noise
  }
}

TEST_CASE("a full disk stops an experiment with exit 2 and its finished runs resume",
          "[cli][experiment][disk-full]") {
  if (::geteuid() != 0) {
    WARN("skipped: mounting a small tmpfs needs root");
    return;
  }
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path small = dir / "small";
  fs::create_directories(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=1m") != 0) {
    WARN("skipped: cannot mount a tmpfs here: " << std::strerror(errno));
    return;
  }
  struct Unmount {
    fs::path at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{small};
  const fs::path full = dir / "full.h5", out = small / "out.h5";
  auto args = [&](const fs::path& file, std::vector<std::string> extra) {
    std::vector<std::string> a = {"run",           kTiny.string(), "-o", file.string(),
                                  "--no-progress", "--days",       "60"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  auto r = test::run_govsim(args(full, {}), dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  // Twelve parts of about 0.2 MiB, then the merged file: 1 MiB is refused before any run.
  r = test::run_govsim(args(out, {}), dir);
  INFO(r.err);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("the results need at least") &&
                        Catch::Contains("12 runs written as parts"));
  CHECK_FALSE(fs::exists(small / "out.h5.parts"));
  // With room at the start, the disk fills during the runs (another file takes the rest).
  REQUIRE(::mount("tmpfs", small.c_str(), "tmpfs", MS_REMOUNT, "size=16m") == 0);
  const test::Process p = test::spawn_govsim(args(out, {}), dir / "out.txt", dir / "err.txt");
  REQUIRE(test::wait_for_first_part(small / "out.h5.parts" / "runs"));
  {
    std::ofstream filler(small / "filler", std::ios::binary);
    const std::string block(64 * 1024, 'x');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
  }
  CHECK(test::wait_exit(p) == 2);
  const std::string err = test::slurp(dir / "err.txt");
  INFO(err);
  CHECK_THAT(err, Catch::Contains("No space left on device") && Catch::Contains("--resume"));
  CHECK_FALSE(fs::exists(out));
  std::size_t parts = 0;
  for (const auto& e : fs::recursive_directory_iterator(small / "out.h5.parts")) {
    CHECK(e.path().extension() != ".tmp");  // nothing half-written is left
    parts += e.path().extension() == ".h5" ? 1 : 0;
  }
  CHECK(parts >= 1);
  fs::remove(small / "filler");
  r = test::run_govsim(args(out, {"--resume"}), dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains(std::to_string(parts) + " resumed"));
  test::require_same_datasets(full, out);
}
