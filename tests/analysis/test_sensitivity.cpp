// Sobol' sensitivity indices: the estimators on functions whose indices are known (Ishigami,
// linear), their bootstrap intervals, and `govsim sensitivity` on synthetic results files of a
// saltelli sweep.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <numbers>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "analysis/results_reader.hpp"
#include "analysis/sensitivity.hpp"
#include "sim/experiment/experiment_spec.hpp"
#include "sim/results/results_file.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using Catch::Contains;

namespace {

constexpr double kPi = std::numbers::pi;

using Function = std::function<double(const std::vector<double>&)>;

// A saltelli sweep over the given ranges, in memory: sweep_points needs no scenario.
sim::ExperimentSpec saltelli_spec(int base_samples,
                                  const std::vector<std::pair<double, double>>& ranges,
                                  std::uint64_t seed) {
  sim::ExperimentSpec spec;
  spec.seed = seed;
  spec.sweep_method = "saltelli";
  spec.saltelli_samples = base_samples;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    spec.sweep.push_back(
        {"x" + std::to_string(i + 1), {ranges[i].first, ranges[i].second}, {}, "uniform", {}});
  }
  return spec;
}

std::vector<double> values_of(const sim::ParameterPoint& point) {
  std::vector<double> x;
  for (const auto& [key, value] : point) x.push_back(value);
  return x;
}

struct Outputs {
  std::vector<double> a, b;
  std::vector<std::vector<double>> ab;
  std::vector<std::string> names;
};

// f on the design's points, split into the blocks A, B, AB_1 .. AB_k.
Outputs evaluate(const sim::ExperimentSpec& spec, const Function& f) {
  const std::vector<sim::ParameterPoint> points = sim::sweep_points(spec);
  const auto n = static_cast<std::size_t>(spec.saltelli_samples);
  const std::size_t k = spec.sweep.size();
  Outputs y;
  y.ab.resize(k);
  for (const sim::SweepParameter& p : spec.sweep) y.names.push_back(p.key_path);
  for (std::size_t s = 0; s < points.size(); ++s) {
    const double v = f(values_of(points[s]));
    const std::size_t block = s / n;
    (block == 0 ? y.a : block == 1 ? y.b : y.ab[block - 2]).push_back(v);
  }
  return y;
}

double ishigami(const std::vector<double>& x) {
  constexpr double a = 7.0, b = 0.1;
  return std::sin(x[0]) + a * std::sin(x[1]) * std::sin(x[1]) +
         b * std::pow(x[2], 4) * std::sin(x[0]);
}

struct Exact {
  std::array<double, 3> first_order, total;
};

// The Ishigami function's indices for a = 7, b = 0.1 on [-pi, pi]^3 (Sobol' and Levitan 1999):
// V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50), V3 = V12 = V23 = 0.
Exact ishigami_indices() {
  constexpr double a = 7.0, b = 0.1;
  const double pi4 = std::pow(kPi, 4);
  const double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5);
  const double v2 = a * a / 8;
  const double v13 = b * b * pi4 * pi4 * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

// ---- results files as `govsim run` writes them for a saltelli sweep ---------------------------

// value(policy, replicate, sample, x): the run's metric `y`; nullopt: the run is missing.
using RunValue = std::function<std::optional<double>(const std::string&, int, std::size_t,
                                                     const std::vector<double>&)>;

struct FileOptions {
  bool saltelli_attributes = true;       // false: a file of some other sweep
  std::size_t tamper_sample = SIZE_MAX;  // this sample's first parameter is written wrong
};

void write_sweep_file(const fs::path& file, const sim::ExperimentSpec& spec,
                      const std::vector<std::string>& policies, int replicates,
                      const RunValue& value, const FileOptions& options = {}) {
  const std::vector<sim::ParameterPoint> points = sim::sweep_points(spec);
  sim::ResultsWriter w(file, false, false);
  std::vector<std::string> order;
  for (const auto& policy : policies) {
    for (std::size_t s = 0; s < points.size(); ++s) {
      for (int r = 0; r < replicates; ++r) {
        const std::optional<double> y = value(policy, r, s, values_of(points[s]));
        if (!y) continue;
        sim::RunRecord rec;
        rec.attributes = {
            {"policy", policy}, {"replicate", std::to_string(r)}, {"sample", std::to_string(s)}};
        if (options.saltelli_attributes) {
          rec.attributes.emplace_back("sweep_method", "saltelli");
          rec.attributes.emplace_back("saltelli_base_samples",
                                      std::to_string(spec.saltelli_samples));
        }
        rec.attributes.emplace_back("seed", std::to_string(100 + r));
        for (const auto& [key, v] : points[s]) {
          const double written = s == options.tamper_sample && key == "x1" ? v + 1.0 : v;
          rec.attributes.emplace_back("parameter:" + key, fmt::format("{}", written));
        }
        rec.summary = {{"y", "h", "the test output", *y}, {"constant", "1", "never varies", 1.0}};
        const std::string name = fmt::format("{}.s{:03}.r{:03}", policy, s, r);
        w.write_run(name, rec);
        order.push_back(name);
      }
    }
  }
  w.finish({{"govsim_version", "test"}}, order);
}

double linear(const std::vector<double>& x) {
  return 2.0 * x[0] + x[1];
}

}  // namespace

TEST_CASE("Sobol indices of the Ishigami function match the analytic ones", "[unit][sensitivity]") {
  const Exact exact = ishigami_indices();
  // The values usually quoted (Saltelli et al. 2008, Global sensitivity analysis, p. 179).
  CHECK(exact.first_order[0] == Approx(0.3139).margin(1e-4));
  CHECK(exact.first_order[1] == Approx(0.4424).margin(1e-4));
  CHECK(exact.total[0] == Approx(0.5576).margin(1e-4));
  CHECK(exact.total[2] == Approx(0.2437).margin(1e-4));

  const sim::ExperimentSpec spec =
      saltelli_spec(20000, {{-kPi, kPi}, {-kPi, kPi}, {-kPi, kPi}}, 20261129);
  const Outputs y = evaluate(spec, ishigami);
  REQUIRE(y.a.size() == 20000);
  const analysis::SobolIndices s = analysis::sobol_indices(y.a, y.b, y.ab, y.names, 7);
  CHECK(s.base_samples == 20000);
  CHECK(s.parameters == y.names);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("x" << i + 1 << ": S1 " << s.first_order[i] << " +- " << s.first_order_ci[i] << " (exact "
             << exact.first_order[i] << "), ST " << s.total[i] << " +- " << s.total_ci[i]
             << " (exact " << exact.total[i] << ")");
    CHECK(std::fabs(s.first_order[i] - exact.first_order[i]) < 0.02);
    CHECK(std::fabs(s.total[i] - exact.total[i]) < 0.02);
    // The bootstrap intervals cover the truth and are not uselessly wide.
    CHECK(std::fabs(s.first_order[i] - exact.first_order[i]) <= s.first_order_ci[i]);
    CHECK(std::fabs(s.total[i] - exact.total[i]) <= s.total_ci[i]);
    CHECK(s.first_order_ci[i] < 0.05);
    CHECK(s.total_ci[i] < 0.05);
  }
  // Deterministic in the bootstrap seed.
  const analysis::SobolIndices again = analysis::sobol_indices(y.a, y.b, y.ab, y.names, 7);
  CHECK(again.first_order_ci == s.first_order_ci);
}

TEST_CASE(
    "bootstrap intervals of independent designs cover the Ishigami indices about 95% of the time",
    "[unit][sensitivity]") {
  // Independent uniform draws (not the quasi-random design, whose errors the row bootstrap
  // overstates), so that the intervals' nominal 95% can be checked against their coverage.
  const Exact exact = ishigami_indices();
  constexpr std::size_t kRepeats = 60, kN = 400;
  std::mt19937_64 gen(11);
  auto uniform = [&] { return -kPi + 2.0 * kPi * static_cast<double>(gen() >> 11) * 0x1.0p-53; };
  std::size_t covered = 0, intervals = 0;
  std::array<std::vector<double>, 6> estimates;
  std::array<double, 6> mean_sd{};
  for (std::size_t rep = 0; rep < kRepeats; ++rep) {
    Outputs y;
    y.names = {"x1", "x2", "x3"};
    y.ab.resize(3);
    for (std::size_t j = 0; j < kN; ++j) {
      const std::vector<double> a{uniform(), uniform(), uniform()};
      const std::vector<double> b{uniform(), uniform(), uniform()};
      y.a.push_back(ishigami(a));
      y.b.push_back(ishigami(b));
      for (std::size_t i = 0; i < 3; ++i) {
        std::vector<double> ab = a;
        ab[i] = b[i];
        y.ab[i].push_back(ishigami(ab));
      }
    }
    const analysis::SobolIndices s = analysis::sobol_indices(y.a, y.b, y.ab, y.names, rep);
    for (std::size_t i = 0; i < 3; ++i) {
      covered += std::fabs(s.first_order[i] - exact.first_order[i]) <= s.first_order_ci[i];
      covered += std::fabs(s.total[i] - exact.total[i]) <= s.total_ci[i];
      intervals += 2;
      estimates[i].push_back(s.first_order[i]);
      estimates[3 + i].push_back(s.total[i]);
      mean_sd[i] += s.first_order_ci[i] / 1.959964 / kRepeats;
      mean_sd[3 + i] += s.total_ci[i] / 1.959964 / kRepeats;
    }
  }
  const double coverage = static_cast<double>(covered) / static_cast<double>(intervals);
  INFO("coverage " << coverage << " of " << intervals << " intervals");
  CHECK(coverage > 0.88);
  CHECK(coverage < 0.99);
  // The bootstrap standard error agrees with the spread of the estimates across designs.
  for (std::size_t m = 0; m < 6; ++m) {
    double mean = 0, squares = 0;
    for (double e : estimates[m]) mean += e / kRepeats;
    for (double e : estimates[m]) squares += (e - mean) * (e - mean);
    const double sd = std::sqrt(squares / (kRepeats - 1));
    INFO("index " << m << ": spread " << sd << ", bootstrap standard error " << mean_sd[m]);
    CHECK(mean_sd[m] / sd > 0.7);
    CHECK(mean_sd[m] / sd < 1.4);
  }
}

TEST_CASE("a linear function has the indices of its variance shares", "[unit][sensitivity]") {
  // y = 2 x1 + x2 (+ 0 x3), x uniform on [0, 1]: Var = 4/12 + 1/12, so S = ST = 4/5 and 1/5, and
  // x3, which y ignores, has exactly zero indices (f(AB_3) = f(A) row by row).
  const sim::ExperimentSpec spec = saltelli_spec(1024, {{0, 1}, {0, 1}, {0, 1}}, 3);
  const Outputs y = evaluate(spec, linear);
  const analysis::SobolIndices s = analysis::sobol_indices(y.a, y.b, y.ab, y.names, 1);
  CHECK(s.first_order[0] == Approx(0.8).margin(0.01));
  CHECK(s.first_order[1] == Approx(0.2).margin(0.01));
  CHECK(s.total[0] == Approx(0.8).margin(0.01));
  CHECK(s.total[1] == Approx(0.2).margin(0.01));
  CHECK(s.first_order[2] == 0.0);
  CHECK(s.total[2] == 0.0);
  CHECK(s.total_ci[2] == 0.0);
}

TEST_CASE("Sobol estimators refuse inconsistent input", "[unit][sensitivity]") {
  const std::vector<double> two{1, 2}, three{1, 2, 3};
  using analysis::sobol_indices;
  CHECK_THROWS_AS(sobol_indices(two, three, {two}, {"x"}, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(two, two, {three}, {"x"}, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(two, two, {two, two}, {"x"}, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(two, two, {}, {}, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices({1}, {2}, {{3}}, {"x"}, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(two, two, {two}, {"x"}, 1, -1), std::invalid_argument);
  // A constant output has nothing to apportion (0.1 is not a binary fraction, so its mean
  // differs from it by rounding).
  const std::vector<double> flat{0.1, 0.1, 0.1};
  const auto s = sobol_indices(flat, flat, {flat}, {"x"}, 1);
  CHECK(std::isnan(s.first_order[0]));
  CHECK(std::isnan(s.total[0]));
  // No resamples, no intervals.
  const std::vector<double> shuffled{3, 1, 2};
  CHECK(std::isnan(sobol_indices(three, shuffled, {three}, {"x"}, 1, 0).first_order_ci[0]));
}

TEST_CASE("indices from a results file average the replicates and skip incomplete rows",
          "[unit][sensitivity]") {
  // Few runs: every run is an fsync'd part file.
  test::TempDir tmp;
  const fs::path file = tmp.path() / "sweep.h5";
  constexpr int kN = 8;
  const sim::ExperimentSpec spec = saltelli_spec(kN, {{0, 1}, {0, 1}}, 5);
  // Policy a: two replicates whose noise cancels in their mean, so averaging must give the
  // noiseless function's indices. Policy b: one replicate, the parameters weighed the other way
  // round, and one run missing.
  auto weighted = [](const std::string& policy, const std::vector<double>& x) {
    return policy == "a" ? 2 * x[0] + x[1] : x[0] + 2 * x[1];
  };
  const std::size_t missing = 2 * kN + 3;  // row 3 of AB_1
  write_sweep_file(file, spec, {"a", "b"}, 2,
                   [&](const std::string& policy, int r, std::size_t s,
                       const std::vector<double>& x) -> std::optional<double> {
                     if (policy == "b" && (r == 1 || s == missing)) return std::nullopt;
                     const double noise =
                         policy == "a" ? 0.5 * std::sin(static_cast<double>(s)) : 0;
                     return weighted(policy, x) + (r == 0 ? noise : -noise);
                   });
  const analysis::ResultsFile results(file);
  const analysis::SensitivityResult r = analysis::sobol_from_file(results, "y", 9, 100);
  CHECK(r.units == "h");
  REQUIRE(r.policies.size() == 2);

  const analysis::PolicySobol& a = r.policies[0];
  CHECK(a.policy == "a");
  CHECK(a.replicates == 2);
  CHECK(a.runs == 2 * kN * 4);
  CHECK(a.dropped_rows == 0);
  const Outputs ya = evaluate(spec, [&](const std::vector<double>& x) { return weighted("a", x); });
  const analysis::SobolIndices direct =
      analysis::sobol_indices(ya.a, ya.b, ya.ab, ya.names, 9, 100);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(a.indices.first_order[i] == Approx(direct.first_order[i]).margin(1e-9));
    CHECK(a.indices.total[i] == Approx(direct.total[i]).margin(1e-9));
    CHECK(a.indices.total_ci[i] == Approx(direct.total_ci[i]).margin(1e-9));
  }
  // N = 8 is too few for accurate values, but the ranking is clear.
  CHECK(a.indices.total[0] > a.indices.total[1]);

  const analysis::PolicySobol& b = r.policies[1];
  CHECK(b.replicates == 1);
  CHECK(b.dropped_rows == 1);
  CHECK(b.indices.base_samples == kN - 1);
  CHECK(b.runs == (kN - 1) * 4);
  Outputs yb = evaluate(spec, [&](const std::vector<double>& x) { return weighted("b", x); });
  yb.a.erase(yb.a.begin() + 3);
  yb.b.erase(yb.b.begin() + 3);
  for (auto& column : yb.ab) column.erase(column.begin() + 3);
  const analysis::SobolIndices direct_b =
      analysis::sobol_indices(yb.a, yb.b, yb.ab, yb.names, 9, 100);
  CHECK(b.indices.first_order[1] == Approx(direct_b.first_order[1]).margin(1e-9));
  CHECK(b.indices.total[1] == Approx(direct_b.total[1]).margin(1e-9));
  CHECK(b.indices.total[1] > b.indices.total[0]);
  REQUIRE(r.notes.size() == 1);
  CHECK_THAT(r.notes[0], Contains("b: 1 of 8 base rows left out"));

  // The command, as CSV for one metric, then as a table of every metric.
  std::ostringstream csv;
  analysis::write_sensitivity_report(file, "y", "csv", csv);
  std::istringstream lines(csv.str());
  std::string line;
  std::getline(lines, line);
  CHECK(line == "metric,units,policy,parameter,base_samples,replicates,runs,s1,s1_ci,st,st_ci");
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].rfind("y,h,a,x1,8,2,64,", 0) == 0);
  CHECK(rows[3].rfind("y,h,b,x2,7,1,28,", 0) == 0);

  std::ostringstream table;
  analysis::write_sensitivity_report(file, "", "table", table);
  CHECK_THAT(table.str(), Contains("y [h]: the test output"));
  CHECK_THAT(table.str(), Contains("a: N = 8 base rows, 2 replicate(s) averaged, 64 runs"));
  CHECK_THAT(table.str(), Contains("note: b: 1 of 8 base rows left out"));
  CHECK_THAT(table.str(), Contains("constant [1]: never varies"));
  CHECK_THAT(table.str(),
             Contains("a: constant does not vary over the design (64 runs), so no indices"));
  CHECK_THAT(table.str(), Contains("ST: total index (Jansen 1999)"));
}

TEST_CASE("govsim sensitivity reports bad input with exit code 2", "[unit][sensitivity]") {
  test::TempDir tmp;
  const sim::ExperimentSpec spec = saltelli_spec(2, {{0, 1}}, 5);  // 6 runs a file
  const RunValue value = [](const std::string&, int, std::size_t, const std::vector<double>& x) {
    return std::optional<double>(x[0]);
  };
  const fs::path good = tmp.path() / "good.h5";
  write_sweep_file(good, spec, {"a"}, 1, value);
  auto run = [](const fs::path& file, const std::string& metric, const std::string& format) {
    std::ostringstream out;
    try {
      analysis::write_sensitivity_report(file, metric, format, out);
    } catch (const analysis::BadInput& e) {
      CHECK(out.str().empty());
      return std::pair(2, std::string(e.what()));
    }
    return std::pair(0, std::string());
  };

  int rc = 0;
  std::string err;
  std::tie(rc, err) = run(tmp.path() / "nowhere.h5", "y", "table");
  CHECK(rc == 2);
  CHECK_THAT(err, Contains("nowhere.h5"));

  std::tie(rc, err) = run(good, "wait", "table");
  CHECK(rc == 2);
  CHECK_THAT(err, Contains("unknown metric 'wait'; available: y, constant"));

  std::tie(rc, err) = run(good, "y", "markdown");
  CHECK(rc == 2);
  CHECK_THAT(err, Contains("unknown format 'markdown'; available: table, csv"));

  const fs::path other = tmp.path() / "lhs.h5";
  write_sweep_file(other, spec, {"a"}, 1, value, {false, SIZE_MAX});
  std::tie(rc, err) = run(other, "y", "table");
  CHECK(rc == 2);
  CHECK_THAT(err, Contains("not a saltelli sweep (run a.s000.r000: no attribute sweep_method)"));

  // A file whose points do not have the structure the attributes claim.
  const fs::path tampered = tmp.path() / "tampered.h5";
  write_sweep_file(tampered, spec, {"a"}, 1, value, {true, 2 * 2 + 1});
  std::tie(rc, err) = run(tampered, "y", "table");
  CHECK(rc == 2);
  CHECK_THAT(err, Contains("run a.s005.r000 does not follow the saltelli design (N = 2)"));

  // Every run of the metric missing: nothing to estimate.
  const fs::path empty = tmp.path() / "failed.h5";
  write_sweep_file(
      empty, spec, {"a"}, 1,
      [](const std::string&, int, std::size_t s, const std::vector<double>&) {
        return std::optional<double>(s % 4 == 0 ? 1.0 : std::numeric_limits<double>::quiet_NaN());
      });
  std::tie(rc, err) = run(empty, "y", "table");
  CHECK(rc == 2);
  CHECK_THAT(err, Contains("fewer than 2 complete base rows"));
}

TEST_CASE("second-order Sobol indices of the Ishigami function match the analytic ones",
          "[unit][sensitivity]") {
  // Only x1 and x3 interact: S13 = V13 / V = 0.2437, S12 = S23 = 0.
  sim::ExperimentSpec spec = saltelli_spec(20000, {{-kPi, kPi}, {-kPi, kPi}, {-kPi, kPi}}, 7);
  spec.saltelli_second_order = true;
  const std::vector<sim::ParameterPoint> points = sim::sweep_points(spec);
  const std::size_t n = 20000, k = 3;
  REQUIRE(points.size() == n * (2 * k + 2));
  std::vector<double> a, b;
  std::vector<std::vector<double>> ab(k), ba(k);
  for (std::size_t s = 0; s < points.size(); ++s) {
    const double v = ishigami(values_of(points[s]));
    const std::size_t block = s / n;
    (block == 0      ? a
     : block == 1    ? b
     : block < k + 2 ? ab[block - 2]
                     : ba[block - k - 2])
        .push_back(v);
  }
  // BA_i is B with column i from A.
  CHECK(points[(k + 2) * n + 5][0].second == points[5][0].second);
  CHECK(points[(k + 2) * n + 5][1].second == points[n + 5][1].second);
  const analysis::SobolIndices s =
      analysis::sobol_indices(a, b, ab, {"x1", "x2", "x3"}, 7, 200, ba);
  REQUIRE(s.second_order.size() == k);
  const double s13 = ishigami_indices().total[2];  // V13 / V: x3 acts only with x1
  INFO("S12 " << s.second_order[0][1] << " S13 " << s.second_order[0][2] << " +- "
              << s.second_order_ci[0][2] << " S23 " << s.second_order[1][2]);
  CHECK(std::fabs(s.second_order[0][2] - s13) < 0.03);
  CHECK(std::fabs(s.second_order[0][1]) < 0.03);
  CHECK(std::fabs(s.second_order[1][2]) < 0.03);
  CHECK(std::fabs(s.second_order[0][2] - s13) <= s.second_order_ci[0][2]);
  CHECK(std::isnan(s.second_order[1][0]));
}
