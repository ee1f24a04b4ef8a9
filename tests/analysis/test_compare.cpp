// `govsim compare` and the results reader on synthetic results files with known effects.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/compare.hpp"
#include "analysis/results_reader.hpp"
#include "sim/results/results_file.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using Catch::Contains;

namespace {

using test::TempDir;

// value(policy, replicate) gives a run's mean_wait_h; resolved_share is constant.
using ValueFn = std::function<double(const std::string&, int)>;

void write_file(const fs::path& file, const std::vector<std::string>& policies, int replicates,
                const ValueFn& value, int seed_base = 100) {
  sim::ResultsWriter w(file, false, false);
  std::vector<std::string> order;
  for (const auto& policy : policies) {
    for (int r = 0; r < replicates; ++r) {
      sim::RunRecord rec;
      rec.attributes = {{"policy", policy},
                        {"replicate", std::to_string(r)},
                        {"seed", std::to_string(seed_base + r)}};
      rec.dimensions = {{"day", "d", "simulated day", {0, 1, 2}, {}}};
      rec.variables = {{"open_requests", "requests", "open at end of day", {"day"}, {4, 5, 6}}};
      rec.summary = {{"mean_wait_h", "h", "mean wait until resolution", value(policy, r)},
                     {"resolved_share", "1", "share resolved", 0.9}};
      const std::string name = policy + ".r" + std::string(r < 10 ? "00" : "0") + std::to_string(r);
      w.write_run(name, rec);
      order.push_back(name);
    }
  }
  w.finish({{"govsim_version", "test"}}, order);
}

// Shared "random world" per replicate, so policies are positively correlated as with common
// random numbers; fixed seed, never the clock.
std::vector<double> world_noise(int n, double sd, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> dist(0.0, sd);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(dist(gen));
  return v;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

const analysis::ComparisonRow& row_for(const analysis::Comparison& c, const std::string& metric,
                                       const std::string& label) {
  for (const auto& r : c.rows)
    if (r.metric == metric && r.group.label == label) return r;
  FAIL("no row " << metric << " / " << label);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("identical policies are not flagged", "[unit][compare]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "same.h5";
  const auto world = world_noise(8, 3.0, 1);
  write_file(file, {"baseline", "copy"}, 8,
             [&](const std::string&, int r) { return 12.0 + world[static_cast<std::size_t>(r)]; });
  const analysis::ResultsFile f(file);
  const auto c = analysis::compare_policies(f, {});
  const auto& row = row_for(c, "mean_wait_h", "copy");
  REQUIRE(row.difference);
  CHECK(row.difference->paired);
  CHECK(row.difference->diff.estimate == 0.0);
  CHECK_FALSE(row.difference->significant());

  std::ostringstream out;
  analysis::write_compare_report(file, {}, out);
  CHECK_THAT(out.str(), !Contains(" * "));
}

TEST_CASE("a known shift is estimated and flagged, and pairing narrows its interval",
          "[unit][compare]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "shift.h5";
  const auto world = world_noise(10, 3.0, 2);
  const auto own = world_noise(10, 0.1, 3);
  write_file(file, {"baseline", "whistle"}, 10, [&](const std::string& policy, int r) {
    const auto i = static_cast<std::size_t>(r);
    return policy == "baseline" ? 12.0 + world[i] : 17.0 + world[i] + own[i];
  });
  const analysis::ResultsFile f(file);
  const auto c = analysis::compare_policies(f, {});
  const auto& row = row_for(c, "mean_wait_h", "whistle");
  REQUIRE(row.difference);
  const auto& d = *row.difference;
  CHECK(d.paired);
  CHECK(d.diff.n == 10);
  CHECK(d.diff.estimate == Approx(5.0).margin(0.15));
  CHECK(d.diff.lower < d.diff.estimate);
  CHECK(d.significant());
  CHECK(d.width_ratio() > 5.0);
  CHECK(row_for(c, "mean_wait_h", "baseline").difference == std::nullopt);
  CHECK(row_for(c, "resolved_share", "whistle").difference->relative_pct == 0.0);

  std::ostringstream out;
  analysis::write_compare_report(file, {}, out);
  CHECK_THAT(out.str(), Contains("mean_wait_h [h]: mean wait until resolution"));
  CHECK_THAT(out.str(), Contains("  *  "));
  CHECK_THAT(out.str(), Contains("paired n=10"));
  CHECK_THAT(out.str(), Contains("Welch/paired: width of the unpaired"));
}

TEST_CASE("CSV and Markdown output", "[unit][compare]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "csv.h5";
  write_file(file, {"baseline", "whistle"}, 4, [](const std::string& policy, int r) {
    return (policy == "baseline" ? 10.0 : 12.0) + 0.5 * r + (r % 2 == 0 ? 0.1 : -0.1);
  });
  analysis::CompareOptions opt;
  opt.format = "csv";
  opt.metrics = {"mean_wait_h"};
  std::ostringstream out;
  analysis::write_compare_report(file, opt, out);
  std::istringstream lines(out.str());
  std::string line;
  std::getline(lines, line);
  const auto header = split(line, ',');
  REQUIRE(header.size() == 18);
  CHECK(header[0] == "metric");
  CHECK(header[10] == "diff");
  std::vector<std::vector<std::string>> rows;
  while (std::getline(lines, line)) rows.push_back(split(line, ','));
  REQUIRE(rows.size() == 2);
  for (const auto& r : rows) CHECK(r.size() == header.size());
  CHECK(rows[0][2] == "baseline");
  CHECK(rows[1][2] == "whistle");
  CHECK(std::stod(rows[1][10]) == Approx(2.0));
  CHECK(rows[1][8] == "paired");
  CHECK(rows[1][13] == "1");

  opt.format = "markdown";
  std::ostringstream md;
  analysis::write_compare_report(file, opt, md);
  CHECK_THAT(md.str(), Contains("| policy | n | mean | 95% CI |"));
  CHECK_THAT(md.str(), Contains("| --- | ---: |"));
}

TEST_CASE("bad input is refused with what is available", "[unit][compare]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "bad.h5";
  write_file(file, {"baseline", "whistle"}, 2, [](const std::string&, int r) { return r; });
  std::ostringstream out;
  auto error = [&](const fs::path& f, const analysis::CompareOptions& opt) -> std::string {
    try {
      analysis::write_compare_report(f, opt, out);
    } catch (const analysis::BadInput& e) {
      return e.what();
    }
    FAIL("no BadInput thrown");
    return {};
  };
  analysis::CompareOptions opt;
  opt.baseline = "status_quo";
  CHECK_THAT(error(file, opt),
             Contains("baseline policy 'status_quo'") && Contains("policies: baseline, whistle"));
  opt = {};
  opt.metrics = {"wait"};
  CHECK_THAT(error(file, opt),
             Contains("unknown metric 'wait'; available: mean_wait_h, resolved_share"));
  opt = {};
  opt.format = "xlsx";
  CHECK_THAT(error(file, opt), Contains("table, csv, markdown"));
  opt = {};
  opt.primary_metrics = {"mean_wait_h:shorter"};
  CHECK_THAT(error(file, opt), Contains("expected NAME:higher or NAME:lower"));
  opt.primary_metrics = {"wait:lower"};
  CHECK_THAT(error(file, opt), Contains("unknown metric 'wait'"));
  CHECK_THAT(error(tmp.path() / "missing.h5", {}), Contains("missing.h5: no such file"));
  const fs::path text = tmp.path() / "notes.h5";
  std::ofstream(text) << "not hdf5";
  CHECK_THAT(error(text, {}), Contains("notes.h5: not an HDF5 file"));
  CHECK(out.str().empty());
}

TEST_CASE("a policy with one replicate shows its value and no interval", "[unit][compare]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "one.h5";
  write_file(file, {"baseline", "pilot"}, 1,
             [](const std::string& p, int) { return p == "pilot" ? 9.5 : 11.0; });
  std::ostringstream out;
  analysis::write_compare_report(file, {}, out);
  CHECK_THAT(out.str(), Contains("n=1: no interval"));
  CHECK_THAT(out.str(), Contains("-1.50"));  // the single paired difference is still shown
}

TEST_CASE("two files: paired when seeds match, Welch otherwise", "[unit][compare]") {
  TempDir tmp;
  const auto world = world_noise(6, 2.0, 4);
  auto value = [&](double offset) {
    return [&world, offset](const std::string&, int r) {
      return offset + world[static_cast<std::size_t>(r)];
    };
  };
  const fs::path a = tmp.path() / "a.h5", b = tmp.path() / "b.h5", c = tmp.path() / "c.h5";
  write_file(a, {"baseline", "whistle"}, 6, value(10.0));
  write_file(b, {"baseline", "whistle"}, 6, value(10.5));
  write_file(c, {"baseline"}, 6, value(10.5), 900);

  const analysis::ResultsFile fa(a), fb(b), fc(c);
  const auto same_seeds = analysis::compare_files(fa, fb, {});
  const auto& row = row_for(same_seeds, "mean_wait_h", "whistle [B]");
  REQUIRE(row.difference);
  CHECK(row.difference->paired);
  CHECK(row.difference->reference == "whistle [A]");
  CHECK(row.difference->diff.estimate == Approx(0.5));
  CHECK(row.difference->significant());

  const auto other_seeds = analysis::compare_files(fa, fc, {});
  const auto& unpaired = row_for(other_seeds, "mean_wait_h", "baseline [B]");
  CHECK_FALSE(unpaired.difference->paired);
  CHECK_THAT(unpaired.difference->why_unpaired, Contains("seeds differ"));
  bool noted_only_in_a = false;
  for (const auto& n : other_seeds.notes) noted_only_in_a |= n == "whistle: only in A";
  CHECK(noted_only_in_a);

  analysis::CompareOptions opt;
  opt.other_file = c;
  std::ostringstream out;
  analysis::write_compare_report(a, opt, out);
  CHECK_THAT(out.str(), Contains("unpaired (Welch): the replicates' seeds differ"));
}

TEST_CASE("reader returns runs, metadata, summary and variables with dimensions",
          "[unit][compare]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "read.h5";
  write_file(file, {"baseline", "whistle"}, 2, [](const std::string&, int r) { return 1.0 + r; });
  const analysis::ResultsFile f(file);
  CHECK(f.format_version() == 1);
  CHECK(f.attribute("govsim_version") == "test");
  CHECK(f.attribute("runs") == "4");
  REQUIRE(f.runs().size() == 4);
  CHECK(f.runs()[3].name == "whistle.r001");
  CHECK(f.runs()[3].policy == "whistle");
  CHECK(f.runs()[3].replicate == 1);
  CHECK(f.runs()[3].seed == "101");
  CHECK_FALSE(f.runs()[3].sample.has_value());

  const auto summary = f.summary("whistle.r001");
  REQUIRE(summary.size() == 2);
  CHECK(summary[0].name == "mean_wait_h");
  CHECK(summary[0].units == "h");
  CHECK(summary[0].value == 2.0);

  CHECK(f.variable_names("baseline.r000") == std::vector<std::string>{"open_requests"});
  const auto var = f.variable("baseline.r000", "open_requests");
  CHECK(var.units == "requests");
  REQUIRE(var.dims.size() == 1);
  CHECK(var.dims[0].name == "day");
  CHECK(var.dims[0].units == "d");
  CHECK(var.dims[0].values == std::vector<double>{0, 1, 2});
  CHECK(var.data == std::vector<double>{4, 5, 6});
  CHECK_THROWS_WITH(f.variable("baseline.r000", "nope"),
                    Contains("read.h5") && Contains("no variable 'nope'"));
  CHECK_THROWS_AS(f.summary("ghost.r000"), analysis::FileError);
}

TEST_CASE("late growth of a stock series is its relative slope over the last third",
          "[unit][compare]") {
  // Flat for 60 days, then growing 1 a day from a level of 100 over the last 30.
  std::vector<double> s(90, 100.0);
  for (std::size_t i = 60; i < 90; ++i) s[i] = 100.0 + static_cast<double>(i - 60);
  const double mean_level = 100.0 + 14.5;
  CHECK(analysis::late_growth_per_day(s) == Approx(1.0 / mean_level));
  CHECK(analysis::late_growth_per_day(std::vector<double>(90, 5.0)) == 0.0);
  std::vector<double> falling(90);
  for (std::size_t i = 0; i < 90; ++i) falling[i] = 1000.0 - static_cast<double>(i);
  CHECK(analysis::late_growth_per_day(falling) < 0);
  CHECK(std::isnan(analysis::late_growth_per_day({1, 2, 3})));
}

TEST_CASE("runs where a metric is undefined are left out and said so, not a crash",
          "[unit][compare]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "nan.h5";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Baseline undefined in replicates 0 and 1, pilot in 2; "empty" undefined everywhere.
  write_file(file, {"baseline", "pilot", "empty"}, 6, [&](const std::string& p, int r) {
    if (p == "empty" || (p == "baseline" && r < 2) || (p == "pilot" && r == 2)) return nan;
    return (p == "pilot" ? 9.0 : 11.0) + 0.1 * r;
  });
  const analysis::ResultsFile f(file);
  const auto c = analysis::compare_policies(f, {});
  const analysis::ComparisonRow* pilot = nullptr;
  for (const auto& row : c.rows) {
    if (row.metric != "mean_wait_h") continue;
    CHECK(row.group.label != "empty");  // nothing defined: no row
    if (row.group.label == "baseline") CHECK(row.group.mean.n == 4);
    if (row.group.label == "pilot") pilot = &row;
  }
  REQUIRE(pilot != nullptr);
  CHECK(pilot->group.mean.n == 5);
  REQUIRE(pilot->difference);
  CHECK(pilot->difference->paired);
  CHECK(pilot->difference->diff.n == 3);  // replicates 3, 4 and 5 have both
  CHECK(pilot->difference->diff.estimate == Approx(-2.0));
  std::string notes;
  for (const auto& n : c.notes) notes += n + "\n";
  CHECK_THAT(notes, Contains("mean_wait_h is undefined") &&
                        Contains("baseline 2 of 6, pilot 1 of 6, empty 6 of 6 (no row)"));
  std::ostringstream out;
  CHECK_NOTHROW(analysis::write_compare_report(file, {}, out));
}
