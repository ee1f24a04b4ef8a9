#include "analysis/sensitivity.hpp"

#include "analysis/saltelli_sweep.hpp"

#include "analysis/morris.hpp"
#include "analysis/text_output.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "analysis/statistics.hpp"

namespace analysis {
namespace {

using namespace saltelli_sweep;  // NOLINT(google-build-using-namespace): the sweep this reads

// The command's resamples: cheap next to the runs, and enough for a steady standard deviation.
constexpr int kCommandBootstrap = 1000;
// Fixed, so that the same file always prints the same intervals.
constexpr std::uint64_t kCommandBootstrapSeed = 0x5345'4E53'4954'4956ull;  // "SENSITIV"

// ---- estimators ------------------------------------------------------------------------------

// splitmix64, written out so that the resamples are the same with every standard library.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) {
    const double u = static_cast<double>(next() >> 11) * 0x1.0p-53;
    return std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)));
  }

 private:
  std::uint64_t state_;
};

struct Outputs {
  const std::vector<double>& a;
  const std::vector<double>& b;
  const std::vector<std::vector<double>>& ab;
  const std::vector<std::vector<double>>& ba;  // empty: no second order
};

// S1 and ST of every parameter from the given rows (a bootstrap resample repeats rows), and S2
// (k x k, i < j) when the outputs have the BA_i blocks.
void estimate(const Outputs& y, const std::vector<std::size_t>& rows, std::vector<double>& s1,
              std::vector<double>& st, std::vector<std::vector<double>>& s2) {
  const auto n = static_cast<double>(rows.size());
  double sum = 0.0;
  for (std::size_t r : rows) sum += y.a[r] + y.b[r];
  const double centre = sum / (2.0 * n);
  double squares = 0.0;
  for (std::size_t r : rows) {
    squares += (y.a[r] - centre) * (y.a[r] - centre) + (y.b[r] - centre) * (y.b[r] - centre);
  }
  const double variance = squares / (2.0 * n);
  // Equal outputs leave a rounding residue in `variance` (the centre is not exactly their value),
  // which would turn "nothing to apportion" into indices of exactly 0.
  bool constant = true;
  for (std::size_t r : rows)
    constant = constant && y.a[r] == y.a[rows[0]] && y.b[r] == y.a[rows[0]];
  const bool defined = !constant && variance > 0.0;  // else there is no variance to apportion
  for (std::size_t i = 0; i < y.ab.size(); ++i) {
    double first = 0.0, total = 0.0;
    for (std::size_t r : rows) {
      const double fa = y.a[r] - centre;
      const double fb = y.b[r] - centre;
      const double fab = y.ab[i][r] - centre;
      first += fb * (fab - fa);
      total += (fa - fab) * (fa - fab);
    }
    s1[i] = defined ? first / n / variance : kNaN;
    st[i] = defined ? total / (2.0 * n) / variance : kNaN;
  }
  if (y.ba.empty()) return;
  const std::size_t k = y.ab.size();
  s2.assign(k, std::vector<double>(k, kNaN));
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = i + 1; j < k; ++j) {
      double joint = 0.0;
      for (std::size_t r : rows)
        joint +=
            (y.ba[i][r] - centre) * (y.ab[j][r] - centre) - (y.a[r] - centre) * (y.b[r] - centre);
      s2[i][j] = defined ? joint / n / variance - s1[i] - s1[j] : kNaN;
    }
  }
}

// 1.96 x the standard deviation of the finite resampled estimates.
double half_width(const std::vector<double>& resampled) {
  std::vector<double> finite;
  for (double v : resampled)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.size() < 2) return kNaN;
  return normal_quantile(0.975) * sample_sd(finite);
}

SensitivityResult analyse(const Sweep& sweep, const std::string& metric_name,
                          std::uint64_t bootstrap_seed, int bootstrap) {
  const Metric& metric = find_metric(sweep, metric_name);
  SensitivityResult result{metric.name, metric.units, metric.description, {}, {}};
  const std::size_t k = sweep.parameters.size();
  for (const std::string& policy : sweep.policies) {
    std::vector<double> sum(sweep.samples(), 0.0);
    std::vector<std::size_t> count(sweep.samples(), 0);
    for (const Run& run : sweep.runs) {
      if (run.policy != policy) continue;
      auto it = run.summary.find(metric.name);
      if (it == run.summary.end() || !std::isfinite(it->second)) continue;
      sum[run.sample] += it->second;
      ++count[run.sample];
    }
    auto point = [&](std::size_t block, std::size_t j) {
      const std::size_t s = block * sweep.base + j;
      return count[s] > 0 ? sum[s] / static_cast<double>(count[s]) : kNaN;
    };
    std::vector<double> y_a, y_b;
    std::vector<std::vector<double>> y_ab(k), y_ba(sweep.second_order ? k : 0);
    PolicySobol p;
    p.policy = policy;
    for (std::size_t j = 0; j < sweep.base; ++j) {
      bool complete = true;
      for (std::size_t block = 0; block < sweep.blocks(); ++block)
        complete = complete && count[block * sweep.base + j] > 0;
      if (!complete) {
        ++p.dropped_rows;
        continue;
      }
      y_a.push_back(point(0, j));
      y_b.push_back(point(1, j));
      for (std::size_t i = 0; i < k; ++i) y_ab[i].push_back(point(2 + i, j));
      for (std::size_t i = 0; i < y_ba.size(); ++i) y_ba[i].push_back(point(2 + k + i, j));
      for (std::size_t block = 0; block < sweep.blocks(); ++block) {
        p.runs += count[block * sweep.base + j];
        p.replicates = std::max(p.replicates, count[block * sweep.base + j]);
      }
    }
    if (p.dropped_rows > 0) {
      result.notes.push_back(fmt::format(
          "{}: {} of {} base rows left out (a run of the row failed, is missing or has no finite "
          "{})",
          policy, p.dropped_rows, sweep.base, metric.name));
    }
    if (y_a.size() < 2) {
      result.notes.push_back(
          fmt::format("{}: fewer than 2 complete base rows, so no indices", policy));
      continue;
    }
    p.indices = sobol_indices(y_a, y_b, y_ab, sweep.parameters, bootstrap_seed, bootstrap, y_ba);
    result.policies.push_back(std::move(p));
  }
  if (sweep.failures > 0) {
    result.notes.push_back(fmt::format("{}: {} failed run(s) not included (see /failures)",
                                       sweep.path.string(), sweep.failures));
  }
  return result;
}

}  // namespace

SobolIndices sobol_indices(const std::vector<double>& y_a, const std::vector<double>& y_b,
                           const std::vector<std::vector<double>>& y_ab,
                           const std::vector<std::string>& names, std::uint64_t bootstrap_seed,
                           int bootstrap, const std::vector<std::vector<double>>& y_ba) {
  const std::size_t n = y_a.size();
  if (y_b.size() != n)
    throw std::invalid_argument(
        fmt::format("sobol_indices: {} values of A, {} of B", n, y_b.size()));
  if (y_ab.size() != names.size() || names.empty())
    throw std::invalid_argument(fmt::format("sobol_indices: {} AB matrices for {} parameter names",
                                            y_ab.size(), names.size()));
  for (std::size_t i = 0; i < y_ab.size(); ++i)
    if (y_ab[i].size() != n)
      throw std::invalid_argument(
          fmt::format("sobol_indices: {} values of AB({}), {} of A", y_ab[i].size(), names[i], n));
  if (!y_ba.empty() && y_ba.size() != names.size())
    throw std::invalid_argument("sobol_indices: BA matrices do not match the parameters");
  for (const auto& ba : y_ba)
    if (ba.size() != n) throw std::invalid_argument("sobol_indices: a BA block of another size");
  if (n < 2) throw std::invalid_argument("sobol_indices: fewer than 2 base samples");
  if (bootstrap < 0) throw std::invalid_argument("sobol_indices: negative bootstrap count");

  const std::size_t k = names.size();
  SobolIndices out;
  out.parameters = names;
  out.base_samples = n;
  out.first_order.resize(k);
  out.total.resize(k);
  const Outputs y{y_a, y_b, y_ab, y_ba};
  std::vector<std::size_t> rows(n);
  for (std::size_t j = 0; j < n; ++j) rows[j] = j;
  estimate(y, rows, out.first_order, out.total, out.second_order);

  std::vector<std::vector<double>> boot_s1(k), boot_st(k), boot_s2(k * k);
  std::vector<double> s1(k), st(k);
  std::vector<std::vector<double>> s2;
  SplitMix64 rng(bootstrap_seed);
  for (int b = 0; b < bootstrap; ++b) {
    for (std::size_t& r : rows) r = rng.below(n);
    estimate(y, rows, s1, st, s2);
    for (std::size_t i = 0; i < k; ++i) {
      boot_s1[i].push_back(s1[i]);
      boot_st[i].push_back(st[i]);
      for (std::size_t j = 0; j < s2.size(); ++j) boot_s2[i * k + j].push_back(s2[i][j]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    out.first_order_ci.push_back(half_width(boot_s1[i]));
    out.total_ci.push_back(half_width(boot_st[i]));
  }
  if (!out.second_order.empty()) {
    out.second_order_ci.assign(k, std::vector<double>(k, kNaN));
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = i + 1; j < k; ++j)
        out.second_order_ci[i][j] = half_width(boot_s2[i * k + j]);
  }
  return out;
}

SensitivityResult sobol_from_file(const ResultsFile& file, const std::string& metric,
                                  std::uint64_t bootstrap_seed, int bootstrap) {
  return analyse(load_sweep(file), metric, bootstrap_seed, bootstrap);
}

void write_sensitivity_report(const std::filesystem::path& file, const std::string& metric,
                              const std::string& format, std::ostream& out) {
  check_sensitivity_format(format);
  const ResultsFile results_file(file);
  if (!results_file.runs().empty()) {
    const std::string* method =
        find_attribute(results_file.runs().front().attributes, "sweep_method");
    if (method != nullptr && *method == "morris") {
      write_morris_report(results_file, metric, format, out);
      return;
    }
  }
  const Sweep sweep = load_sweep(results_file);
  std::vector<std::string> metrics;
  if (metric.empty()) {
    for (const Metric& m : sweep.metrics) metrics.push_back(m.name);
  } else {
    metrics.push_back(metric);
  }
  std::vector<SensitivityResult> results;
  for (const auto& m : metrics) {
    results.push_back(analyse(sweep, m, kCommandBootstrapSeed, kCommandBootstrap));
    // An explicit metric that no policy could estimate is an error, not an empty table.
    if (!metric.empty() && results.back().policies.empty()) {
      throw BadInput(fmt::format("{}: no indices for {}: {}", file.string(), metric,
                                 comma_list(results.back().notes)));
    }
  }
  write_sensitivity(results, format, out);
}

}  // namespace analysis
