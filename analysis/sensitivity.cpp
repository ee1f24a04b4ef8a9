#include "analysis/sensitivity.hpp"

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

// ---- reading a saltelli sweep ----------------------------------------------------------------

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

struct Metric {
  std::string name;
  std::string units;
  std::string description;
};

struct Run {
  std::string name;
  std::string policy;
  std::size_t sample;
  std::vector<std::string> values;  // the parameters' values as written, in sweep order
  std::map<std::string, double> summary;
};

// A saltelli results file in memory: the design, and every run's summary scalars.
struct Sweep {
  std::filesystem::path path;
  std::size_t base = 0;                 // N
  std::vector<std::string> parameters;  // k, in sweep order
  std::vector<Run> runs;
  std::vector<Metric> metrics;  // in order of first appearance
  std::vector<std::string> policies;
  std::size_t failures = 0;

  bool second_order = false;  // the design has the BA_i blocks too
  std::size_t blocks() const { return (second_order ? 2 : 1) * parameters.size() + 2; }
  std::size_t samples() const { return base * blocks(); }
};

[[noreturn]] void not_saltelli(const ResultsFile& file, const RunInfo& run,
                               const std::string& why) {
  throw BadInput(fmt::format(
      "{}: not a saltelli sweep (run {}: {}); Sobol' indices need the runs of an experiment with "
      "sweep method: saltelli, written by govsim run",
      file.path().string(), run.name, why));
}

// The design as run `run` records it: N and the parameter names.
std::pair<std::size_t, std::vector<std::string>> run_design(const ResultsFile& file,
                                                            const RunInfo& run) {
  const std::string* method = find_attribute(run.attributes, "sweep_method");
  if (method == nullptr) not_saltelli(file, run, "no attribute sweep_method");
  if (*method != "saltelli") not_saltelli(file, run, "sweep_method is " + *method);
  const std::string* base_text = find_attribute(run.attributes, "saltelli_base_samples");
  if (base_text == nullptr) not_saltelli(file, run, "no attribute saltelli_base_samples");
  const auto base = parse_int(*base_text);
  if (!base || *base < 2) {
    not_saltelli(file, run, "saltelli_base_samples is '" + *base_text + "', expected N >= 2");
  }
  // N(k + 2) runs make the design: an N beyond the file's runs is damage, not a design.
  const std::size_t runs_in_file = file.runs().size() + file.failures().size();
  if (static_cast<std::uint64_t>(*base) > runs_in_file) {
    not_saltelli(file, run,
                 fmt::format("saltelli_base_samples is {}, more than the file's {} runs", *base,
                             runs_in_file));
  }
  std::vector<std::string> parameters;
  for (const auto& [key, value] : run.attributes)
    if (key.starts_with(kParameterPrefix))
      parameters.push_back(key.substr(kParameterPrefix.size()));
  if (parameters.empty()) not_saltelli(file, run, "no parameter:<key> attributes");
  return {static_cast<std::size_t>(*base), parameters};
}

std::string block_name(std::size_t block, const std::vector<std::string>& parameters) {
  if (block == 0) return "A";
  if (block == 1) return "B";
  const std::size_t k = parameters.size();
  return (block < k + 2 ? "AB(" : "BA(") + parameters[(block - 2) % k] + ")";
}

// Checks that the policy's runs follow the design: one set of values per sample, and AB_i equal
// to A but for column i, which is B's. This catches a file whose N or parameter order is not
// what the attributes claim, which would silently give wrong indices.
void check_design(const Sweep& sweep, const std::string& policy) {
  const std::size_t k = sweep.parameters.size();
  std::vector<const Run*> by_sample(sweep.samples(), nullptr);
  for (const Run& run : sweep.runs) {
    if (run.policy != policy) continue;
    const Run*& first = by_sample[run.sample];
    if (first == nullptr) {
      first = &run;
    } else if (first->values != run.values) {
      throw BadInput(fmt::format("{}: runs {} and {} have the same sample but different parameters",
                                 sweep.path.string(), first->name, run.name));
    }
  }
  for (std::size_t j = 0; j < sweep.base; ++j) {
    const Run* a = by_sample[j];
    const Run* b = by_sample[sweep.base + j];
    if (a == nullptr || b == nullptr) continue;
    for (std::size_t block = 2; block < sweep.blocks(); ++block) {
      const Run* ab = by_sample[block * sweep.base + j];
      if (ab == nullptr) continue;
      // AB_i takes column i from B, BA_i every column but i.
      const std::size_t i = (block - 2) % k;
      const bool ba = block >= k + 2;
      for (std::size_t m = 0; m < k; ++m) {
        const bool from_b = ba ? m != i : m == i;
        const std::string& expected = from_b ? b->values[m] : a->values[m];
        if (ab->values[m] != expected) {
          throw BadInput(fmt::format(
              "{}: run {} does not follow the saltelli design (N = {}): as row {} of {}, its {} "
              "should be {} (from {}), not {}",
              sweep.path.string(), ab->name, sweep.base, j, block_name(block, sweep.parameters),
              sweep.parameters[m], expected, from_b ? b->name : a->name, ab->values[m]));
        }
      }
    }
  }
}

Sweep load_sweep(const ResultsFile& file) {
  if (file.runs().empty()) {
    throw BadInput(fmt::format("{}: no successful runs to analyse ({} failed)",
                               file.path().string(), file.failures().size()));
  }
  Sweep sweep;
  sweep.path = file.path();
  sweep.failures = file.failures().size();
  std::tie(sweep.base, sweep.parameters) = run_design(file, file.runs().front());
  const std::string* second =
      find_attribute(file.runs().front().attributes, "saltelli_second_order");
  sweep.second_order = second != nullptr && *second == "1";
  std::set<std::string> seen_metrics;
  for (const RunInfo& info : file.runs()) {
    const auto [base, parameters] = run_design(file, info);
    if (base != sweep.base || parameters != sweep.parameters) {
      not_saltelli(file, info,
                   fmt::format("its design (N = {}; {}) differs from that of run {} (N = {}; {})",
                               base, list(parameters), file.runs().front().name, sweep.base,
                               list(sweep.parameters)));
    }
    if (!info.sample || *info.sample < 0 ||
        static_cast<std::size_t>(*info.sample) >= sweep.samples()) {
      not_saltelli(
          file, info,
          fmt::format("expected a sample number from 0 to {} (the design's N x blocks - 1)",
                      sweep.samples() - 1));
    }
    Run run{info.name, info.policy, static_cast<std::size_t>(*info.sample), {}, {}};
    for (const auto& name : sweep.parameters) {
      run.values.push_back(*find_attribute(info.attributes, std::string(kParameterPrefix) + name));
    }
    for (const SummaryValue& s : file.summary(info.name)) {
      run.summary[s.name] = s.value;
      if (seen_metrics.insert(s.name).second)
        sweep.metrics.push_back({s.name, s.units, s.description});
    }
    if (std::find(sweep.policies.begin(), sweep.policies.end(), info.policy) ==
        sweep.policies.end())
      sweep.policies.push_back(info.policy);
    sweep.runs.push_back(std::move(run));
  }
  for (const std::string& policy : sweep.policies) check_design(sweep, policy);
  return sweep;
}

const Metric& find_metric(const Sweep& sweep, const std::string& metric) {
  auto it = std::find_if(sweep.metrics.begin(), sweep.metrics.end(),
                         [&](const Metric& m) { return m.name == metric; });
  if (it == sweep.metrics.end()) {
    std::vector<std::string> names;
    for (const auto& m : sweep.metrics) names.push_back(m.name);
    throw BadInput(fmt::format("unknown metric '{}'; available: {}", metric, list(names)));
  }
  return *it;
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
                                 list(results.back().notes)));
    }
  }
  write_sensitivity(results, format, out);
}

}  // namespace analysis
