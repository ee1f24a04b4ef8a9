#include "analysis/morris.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <ostream>

#include "analysis/text_output.hpp"

namespace analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void not_morris(const ResultsFile& file, const RunInfo& run, const std::string& why) {
  throw BadInput(
      fmt::format("{}: not a morris sweep (run {}: {})", file.path().string(), run.name, why));
}

std::size_t positive_attribute(const ResultsFile& file, const RunInfo& run, const char* key) {
  const std::string* text = find_attribute(run.attributes, key);
  if (text == nullptr) not_morris(file, run, fmt::format("no attribute {}", key));
  const auto v = parse_int(*text);
  // A design larger than the file is damage, not a design.
  const std::size_t runs = file.runs().size() + file.failures().size();
  if (!v || *v < 2 || static_cast<std::uint64_t>(*v) > std::max<std::size_t>(runs, 100))
    not_morris(file, run, fmt::format("{} is '{}'", key, *text));
  return static_cast<std::size_t>(*v);
}

struct Design {
  std::size_t trajectories = 0;
  int levels = 0;
  std::vector<std::string> parameters;
  // Per policy and sample: the parameter values and the runs' summaries (read once: a report
  // over every metric reads each run's summary group once, not once per metric).
  std::map<std::string, std::map<std::size_t, std::vector<double>>> values;
  std::map<std::string, std::map<std::size_t, std::vector<std::vector<SummaryValue>>>> runs;
  std::vector<std::string> policies;
};

Design load_design(const ResultsFile& file) {
  if (file.runs().empty())
    throw BadInput(fmt::format("{}: no successful runs to analyse", file.path().string()));
  Design d;
  const RunInfo& first = file.runs().front();
  d.trajectories = positive_attribute(file, first, "morris_trajectories");
  d.levels = static_cast<int>(positive_attribute(file, first, "morris_levels"));
  for (const auto& [key, value] : first.attributes)
    if (key.starts_with(kParameterPrefix))
      d.parameters.push_back(key.substr(kParameterPrefix.size()));
  if (d.parameters.empty()) not_morris(file, first, "no parameter:<key> attributes");
  const std::size_t samples = d.trajectories * (d.parameters.size() + 1);
  for (const RunInfo& run : file.runs()) {
    const std::string* method = find_attribute(run.attributes, "sweep_method");
    if (method == nullptr || *method != "morris")
      not_morris(file, run, "sweep_method is not morris");
    if (!run.sample || *run.sample < 0 || static_cast<std::size_t>(*run.sample) >= samples)
      not_morris(file, run, fmt::format("expected a sample from 0 to {}", samples - 1));
    std::vector<double> point;
    for (const auto& p : d.parameters) {
      const std::string* text = find_attribute(run.attributes, std::string(kParameterPrefix) + p);
      char* end = nullptr;
      const double v = text != nullptr ? std::strtod(text->c_str(), &end) : kNaN;
      if (text == nullptr || *end != '\0' || !std::isfinite(v))
        not_morris(file, run, "parameter " + p + " missing or not a number");
      point.push_back(v);
    }
    const auto s = static_cast<std::size_t>(*run.sample);
    auto& known = d.values[run.policy];
    if (const auto it = known.find(s); it != known.end() && it->second != point)
      not_morris(file, run, fmt::format("sample {} has other parameter values in another run", s));
    known[s] = point;
    if (d.runs[run.policy].empty()) d.policies.push_back(run.policy);
    d.runs[run.policy][s].push_back(file.summary(run.name));
  }
  return d;
}

}  // namespace

MorrisIndices morris_indices(const std::vector<std::vector<double>>& values,
                             const std::vector<double>& y, std::size_t trajectories, int levels,
                             const std::vector<std::string>& names) {
  const std::size_t k = names.size();
  if (k == 0 || levels < 2 || values.size() != trajectories * (k + 1) || y.size() != values.size())
    throw BadInput(
        fmt::format("morris: {} points and {} outputs for {} trajectories of {} "
                    "parameters",
                    values.size(), y.size(), trajectories, k));
  const double delta = levels / (2.0 * (levels - 1));
  std::vector<std::vector<double>> effects(k);
  for (std::size_t t = 0; t < trajectories; ++t) {
    for (std::size_t m = 1; m <= k; ++m) {
      const std::size_t s = t * (k + 1) + m;
      std::size_t changed = k;
      for (std::size_t i = 0; i < k; ++i) {
        if (values[s][i] == values[s - 1][i]) continue;
        if (changed != k)
          throw BadInput(fmt::format("morris: step {} of trajectory {} changes both {} and {}", m,
                                     t, names[changed], names[i]));
        changed = i;
      }
      if (changed == k)
        throw BadInput(fmt::format("morris: step {} of trajectory {} changes no parameter", m, t));
      if (!std::isfinite(y[s]) || !std::isfinite(y[s - 1])) continue;
      const double direction = values[s][changed] > values[s - 1][changed] ? 1.0 : -1.0;
      effects[changed].push_back((y[s] - y[s - 1]) / (direction * delta));
    }
  }
  MorrisIndices out;
  out.parameters = names;
  for (const auto& e : effects) {
    double sum = 0, sum_abs = 0;
    for (double x : e) {
      sum += x;
      sum_abs += std::fabs(x);
    }
    const auto n = static_cast<double>(e.size());
    const double mu = e.empty() ? kNaN : sum / n;
    double ss = 0;
    for (double x : e) ss += (x - mu) * (x - mu);
    out.mu.push_back(mu);
    out.mu_star.push_back(e.empty() ? kNaN : sum_abs / n);
    out.sigma.push_back(e.size() < 2 ? kNaN : std::sqrt(ss / (n - 1)));
    out.effects.push_back(e.size());
  }
  return out;
}

namespace {

MorrisResult analyse(const ResultsFile& file, const Design& d, const std::string& metric) {
  MorrisResult result{metric, "", "", {}};
  bool found = false;
  const std::size_t samples = d.trajectories * (d.parameters.size() + 1);
  for (const auto& policy : d.policies) {
    std::vector<std::vector<double>> values(samples,
                                            std::vector<double>(d.parameters.size(), kNaN));
    std::vector<double> y(samples, kNaN);
    for (const auto& [s, runs] : d.runs.at(policy)) {
      values[s] = d.values.at(policy).at(s);
      double sum = 0;
      std::size_t n = 0;
      for (const auto& summary : runs) {
        for (const SummaryValue& v : summary) {
          if (v.name != metric) continue;
          found = true;
          result.units = v.units;
          result.description = v.description;
          if (std::isfinite(v.value)) {
            sum += v.value;
            ++n;
          }
        }
      }
      y[s] = n > 0 ? sum / static_cast<double>(n) : kNaN;
    }
    // A sample no run reached (all failed) leaves NaN values: its steps are skipped.
    for (std::size_t s = 0; s < samples; ++s) {
      if (!std::isnan(values[s][0])) continue;
      values[s] = s > 0 ? values[s - 1] : values[s];
      y[s] = kNaN;
    }
    result.policies.push_back(
        {policy, morris_indices(values, y, d.trajectories, d.levels, d.parameters)});
  }
  if (!found) throw BadInput(fmt::format("{}: unknown metric '{}'", file.path().string(), metric));
  return result;
}

}  // namespace

MorrisResult morris_from_file(const ResultsFile& file, const std::string& metric) {
  return analyse(file, load_design(file), metric);
}

void write_morris_report(const ResultsFile& file, const std::string& metric,
                         const std::string& format, std::ostream& out) {
  if (format != "table" && format != "csv")
    throw BadInput(fmt::format("unknown format '{}'; available: table, csv", format));
  std::vector<std::string> metrics;
  if (metric.empty()) {
    for (const SummaryValue& v : file.summary(file.runs().front().name)) metrics.push_back(v.name);
  } else {
    metrics.push_back(metric);
  }
  if (format == "csv") out << "metric,policy,parameter,mu_star,mu,sigma,effects\n";
  const Design design = load_design(file);
  for (const auto& m : metrics) {
    const MorrisResult r = analyse(file, design, m);
    for (const auto& p : r.policies) {
      const MorrisIndices& ix = p.indices;
      if (format == "csv") {
        for (std::size_t i = 0; i < ix.parameters.size(); ++i)
          out << fmt::format("{},{},{},{},{},{},{}\n", csv_field(r.metric), csv_field(p.policy),
                             csv_field(ix.parameters[i]), csv_number(ix.mu_star[i]),
                             csv_number(ix.mu[i]), csv_number(ix.sigma[i]), ix.effects[i]);
        continue;
      }
      out << fmt::format("{} [{}]: {}\n  {}: Morris elementary effects, per whole range\n",
                         r.metric, r.units, r.description, p.policy);
      TextTable t{{"parameter", "mu*", "mu", "sigma", "effects"}, {}};
      for (std::size_t i = 0; i < ix.parameters.size(); ++i)
        t.rows.push_back({ix.parameters[i], fmt::format("{:.4g}", ix.mu_star[i]),
                          fmt::format("{:.4g}", ix.mu[i]), fmt::format("{:.4g}", ix.sigma[i]),
                          std::to_string(ix.effects[i])});
      write_fixed(t, out);
      out << '\n';
    }
  }
  if (format == "table")
    out << "mu*: mean absolute elementary effect (overall influence); mu: mean effect (its sign "
           "when mu* = |mu|); sigma: spread of the effects (non-linearity or interactions).\n";
}

}  // namespace analysis
