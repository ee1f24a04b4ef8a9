// Experiments through the binary: atomic output, SIGTERM and --resume, the comparison, and the
// file read back by HDF5's tools and by Python.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

#include "analysis/compare.hpp"
#include "analysis/results_reader.hpp"
#include "tests/cli/process.hpp"
#include "tests/support.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kTiny = test::source_dir() / "tests/data/experiment/tiny.yaml";

void require_same_datasets(const fs::path& a, const fs::path& b) {
  const analysis::ResultsFile fa(a), fb(b);
  REQUIRE(fa.runs().size() == fb.runs().size());
  for (std::size_t r = 0; r < fa.runs().size(); ++r) {
    const std::string& run = fa.runs()[r].name;
    REQUIRE(run == fb.runs()[r].name);
    const auto names = fa.variable_names(run);
    REQUIRE(names == fb.variable_names(run));
    for (const auto& n : names) {
      const auto va = fa.variable(run, n), vb = fb.variable(run, n);
      INFO(run << "/" << n);
      REQUIRE(va.data.size() == vb.data.size());
      REQUIRE(std::memcmp(va.data.data(), vb.data.data(), va.data.size() * sizeof(double)) == 0);
    }
    const auto sa = fa.summary(run), sb = fb.summary(run);
    REQUIRE(sa.size() == sb.size());
    for (std::size_t k = 0; k < sa.size(); ++k) {
      REQUIRE(std::memcmp(&sa[k].value, &sb[k].value, sizeof(double)) == 0);
    }
  }
}

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
  const fs::path parts = dir / "cut.h5.parts" / "runs";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool have_part = false;
  while (!have_part && std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(parts, ec))
      have_part |= e.path().extension() == ".h5";
    if (!have_part) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(have_part);
  ::kill(p.pid, SIGTERM);
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
  require_same_datasets(full, cut);

  // An existing results file is never overwritten silently.
  const auto again =
      test::run_govsim({"run", kTiny.string(), "-o", full.string(), "--no-progress"}, dir);
  CHECK(again.code == 2);
}

TEST_CASE("compare finds no difference between identical policies and pairing narrows intervals",
          "[cli][experiment][compare]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path out = dir / "tiny.h5";
  const auto r =
      test::run_govsim({"run", kTiny.string(), "-o", out.string(), "--no-progress"}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  const analysis::ResultsFile file(out);
  const auto cmp = analysis::compare_policies(file, {});
  std::size_t same_rows = 0, ratios = 0;
  double ratio_sum = 0;
  for (const auto& row : cmp.rows) {
    if (!row.difference) continue;
    if (row.group.label == "same-as-baseline") {
      ++same_rows;
      CHECK_FALSE(row.difference->significant());
      CHECK(row.difference->diff.estimate == 0.0);
    }
    if (row.group.label == "whistle" && row.metric == "time_to_resolution_mean_h") {
      const double ratio = row.difference->width_ratio();
      INFO("unpaired / paired interval width for whistle - baseline: " << ratio);
      CHECK(ratio > 1.0);
    }
    if (!std::isnan(row.difference->width_ratio())) {
      ratio_sum += row.difference->width_ratio();
      ++ratios;
    }
  }
  CHECK(same_rows > 10);
  REQUIRE(ratios > 0);
  WARN("mean unpaired/paired interval width ratio over metrics: "
       << ratio_sum / static_cast<double>(ratios));
  // The file opens in HDF5's own tools.
  CHECK(std::system(
            ("h5dump -H " + out.string() + " > " + (dir / "h5dump.txt").string()).c_str()) == 0);
  CHECK(test::slurp(dir / "h5dump.txt").find("city_arising") != std::string::npos);
  // And in Python (h5py, xarray with netCDF-4, the plotting example), with the model's variables.
  const std::string py = std::string(GOVSIM_SYSTEM_PYTHON) + " " +
                         (test::source_dir() / "tests/python/check_results.py").string() + " " +
                         out.string() +
                         " --expect-variable district_arising:day,district:issues/d" +
                         " --expect-variable department_utilisation:day,department:1 > " +
                         (dir / "python.txt").string() + " 2>&1";
  const int rc = std::system(py.c_str());
  INFO(test::slurp(dir / "python.txt"));
  CHECK(rc == 0);
}
