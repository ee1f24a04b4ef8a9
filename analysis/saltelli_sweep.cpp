// Reading a saltelli sweep's results file and checking it against its design (see
// saltelli_sweep.hpp).
#include "analysis/saltelli_sweep.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "analysis/text_output.hpp"

namespace analysis::saltelli_sweep {

namespace {

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

}  // namespace

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
                               base, comma_list(parameters), file.runs().front().name, sweep.base,
                               comma_list(sweep.parameters)));
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
    throw BadInput(fmt::format("unknown metric '{}'; available: {}", metric, comma_list(names)));
  }
  return *it;
}

}  // namespace analysis::saltelli_sweep
