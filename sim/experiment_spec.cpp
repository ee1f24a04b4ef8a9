#include "sim/experiment_spec.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>

namespace sim {
namespace fs = std::filesystem;
using config::Document;
using config::join_path;

namespace {

constexpr std::int64_t kMaxReplicates = 1'000'000;
constexpr std::int64_t kMaxDays = 1'000'000;
constexpr std::int64_t kMaxSamples = 1'000'000;
constexpr std::size_t kMaxRuns = 1'000'000;

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// splitmix64's output function: a bijection that scatters nearby inputs.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A splitmix64 stream, written out so that the sweep design is identical everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return mix(state_ += kGolden); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::size_t below(std::size_t n) {
    return std::min(n - 1, static_cast<std::size_t>(uniform() * static_cast<double>(n)));
  }

 private:
  std::uint64_t state_;
};

std::int64_t int_in_range(const Document& map, std::string_view key, const std::string& path,
                          std::int64_t min, std::int64_t max) {
  const Document node = map.child(key);
  const std::int64_t v = node.as_int(path);
  if (v < min || v > max) {
    throw InputError(node.location(), path,
                     "out of range: expected " + std::to_string(min) +
                         " <= value <= " + std::to_string(max) + ", got " + std::to_string(v));
  }
  return v;
}

[[noreturn]] void missing(const Document& map, const std::string& map_path, std::string_view key,
                          std::string_view why = "") {
  std::string msg = "missing required key '" + std::string(key) + "'";
  if (!why.empty()) msg += " (" + std::string(why) + ")";
  throw InputError(map.location(), join_path(map_path, key), msg);
}

// A file named in the experiment, relative to it; an error at the naming node when absent.
fs::path named_file(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  const fs::path file = (spec.file.parent_path() / node.as_string(path)).lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw InputError(node.location(), path, "file not found: " + file.string());
  }
  return file;
}

bool valid_policy_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

// One overlay: an inline map (null for nothing) or an overlay file.
Document overlay_part(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  if (node.is_null()) return Document();
  if (node.is_map()) return node;
  if (node.is_scalar()) return Document::load(named_file(spec, node, path));
  throw InputError(node.location(), path, "expected an overlay: a map or a file name");
}

Document policy_overlay(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  if (!node.is_list()) return overlay_part(spec, node, path);
  Document overlay;
  const std::vector<Document> parts = node.as_list(path);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    overlay = overlay.merged(overlay_part(spec, parts[i], path + "[" + std::to_string(i) + "]"));
  }
  return overlay;
}

void read_policies(ExperimentSpec& spec, const Document& experiment) {
  if (!experiment.has("policies")) missing(experiment, "experiment", "policies");
  const Document policies = experiment.child("policies");
  if (!policies.is_map() || policies.empty()) {
    throw InputError(policies.location(), "experiment.policies",
                     "expected a map of at least one policy name to its overlay");
  }
  // Duplicate names are refused by the YAML reader, with the line of the first one.
  for (const std::string& name : policies.keys()) {
    const std::string path = "experiment.policies." + name;
    if (!valid_policy_name(name)) {
      throw InputError(policies.key_location(name), path,
                       "policy names may only use letters, digits, '-' and '_'");
    }
    spec.policies.push_back({name, policy_overlay(spec, policies.child(name), path)});
  }
}

void read_sweep_parameter(ExperimentSpec& spec, const Document& parameters,
                          const std::string& key) {
  const std::string path = "experiment.sweep.parameters." + key;
  const Document node = parameters.child(key);
  SweepParameter p{key, {}, node.location()};
  for (const Document& v : node.as_list(path)) p.values.push_back(v.as_double(path));
  if (spec.sweep_method == "grid" && p.values.empty()) {
    throw InputError(p.loc, path, "expected a list of at least one value");
  }
  if (spec.sweep_method == "lhs") {
    if (p.values.size() != 2) {
      throw InputError(p.loc, path, "expected [low, high] for method: lhs");
    }
    if (!(p.values[0] < p.values[1])) {
      throw InputError(p.loc, path,
                       "expected low < high, got [" + config::format_number(p.values[0]) + ", " +
                           config::format_number(p.values[1]) + "]");
    }
  }
  // A malformed key path, or one through a scalar of the base scenario, fails here.
  (void)spec.base.with_value(key, p.values.front(), p.loc);
  spec.sweep.push_back(std::move(p));
}

void read_sweep(ExperimentSpec& spec, const Document& experiment) {
  const Document sweep = experiment.child("sweep");
  if (!sweep.is_map()) throw InputError(sweep.location(), "experiment.sweep", "expected a map");
  config::check_known_keys(sweep, "experiment.sweep", {"method", "samples", "parameters"});
  if (!sweep.has("method")) missing(sweep, "experiment.sweep", "method");
  const std::string method = sweep.child("method").as_string("experiment.sweep.method");
  if (method != "grid" && method != "lhs") {
    throw InputError(sweep.location("method"), "experiment.sweep.method",
                     "expected one of: grid, lhs; got '" + method + "'");
  }
  spec.sweep_method = method;
  if (method == "lhs") {
    if (!sweep.has("samples")) missing(sweep, "experiment.sweep", "samples", "method: lhs");
    spec.lhs_samples = static_cast<int>(
        int_in_range(sweep, "samples", "experiment.sweep.samples", 1, kMaxSamples));
  } else if (sweep.has("samples")) {
    throw InputError(sweep.key_location("samples"), "experiment.sweep.samples",
                     "samples is only used by method: lhs");
  }
  if (!sweep.has("parameters")) missing(sweep, "experiment.sweep", "parameters");
  const Document parameters = sweep.child("parameters");
  if (!parameters.is_map() || parameters.empty()) {
    throw InputError(parameters.location(), "experiment.sweep.parameters",
                     "expected a map of at least one key path to its values");
  }
  for (const std::string& key : parameters.keys()) read_sweep_parameter(spec, parameters, key);
}

std::size_t sample_count(const ExperimentSpec& spec) {
  if (spec.sweep_method == "lhs") return static_cast<std::size_t>(spec.lhs_samples);
  std::size_t n = 1;
  for (const SweepParameter& p : spec.sweep) {
    // Saturate: the caller only compares with a limit.
    n = n > kMaxRuns ? n : n * p.values.size();
  }
  return n;
}

void read_scalars(ExperimentSpec& spec, const Document& e) {
  spec.name =
      e.has("name") ? e.child("name").as_string("experiment.name") : spec.file.stem().string();
  if (e.has("replicates")) {
    spec.replicates =
        static_cast<int>(int_in_range(e, "replicates", "experiment.replicates", 1, kMaxReplicates));
  }
  if (e.has("seed")) {
    spec.seed = static_cast<std::uint64_t>(
        int_in_range(e, "seed", "experiment.seed", 0, std::numeric_limits<std::int64_t>::max()));
  }
  if (e.has("days")) {
    spec.days = static_cast<int>(int_in_range(e, "days", "experiment.days", 1, kMaxDays));
  }
  if (e.has("population_scale")) {
    const double scale = e.child("population_scale").as_double("experiment.population_scale");
    if (!(scale > 0.0)) {
      throw InputError(e.location("population_scale"), "experiment.population_scale",
                       "out of range: expected value > 0, got " + config::format_number(scale));
    }
    spec.population_scale = scale;
  }
}

std::string read_file_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string padded(int n) {
  std::string s = std::to_string(n);
  return s.size() >= 3 ? s : std::string(3 - s.size(), '0') + s;
}

}  // namespace

bool is_experiment_file(const fs::path& file) {
  return Document::load(file).has("experiment");
}

ExperimentSpec load_experiment(const fs::path& file) {
  ExperimentSpec spec;
  spec.file = file;
  const Document doc = Document::load(file);
  config::check_known_keys(doc, "", {"experiment"});
  if (!doc.has("experiment")) missing(doc, "", "experiment");
  const Document e = doc.child("experiment");
  if (!e.is_map()) throw InputError(e.location(), "experiment", "expected a map");
  config::check_known_keys(
      e, "experiment",
      {"name", "scenario", "replicates", "seed", "days", "population_scale", "policies", "sweep"});
  spec.text = read_file_text(file);
  read_scalars(spec, e);
  if (!e.has("scenario")) missing(e, "experiment", "scenario");
  spec.base = Document::load(named_file(spec, e.child("scenario"), "experiment.scenario"));
  read_policies(spec, e);
  if (e.has("sweep")) read_sweep(spec, e);

  const std::size_t samples = sample_count(spec);
  const std::size_t per_policy = samples * static_cast<std::size_t>(spec.replicates);
  if (samples > kMaxRuns || per_policy > kMaxRuns || per_policy * spec.policies.size() > kMaxRuns) {
    throw InputError(e.location(), "experiment",
                     "too many runs (limit " + std::to_string(kMaxRuns) + ")");
  }
  return spec;
}

std::vector<ParameterPoint> sweep_points(const ExperimentSpec& spec) {
  if (spec.sweep.empty()) return {ParameterPoint{}};
  const std::size_t n = sample_count(spec);
  std::vector<ParameterPoint> points(n);
  if (spec.sweep_method == "lhs") {
    SplitMix64 rng(mix(spec.seed ^ 0x4C48535F44455349ull));  // "LHS_DESI": apart from run seeds
    for (const SweepParameter& p : spec.sweep) {
      std::vector<std::size_t> stratum(n);
      std::iota(stratum.begin(), stratum.end(), std::size_t{0});
      for (std::size_t i = n; i > 1; --i) std::swap(stratum[i - 1], stratum[rng.below(i)]);
      const double low = p.values[0];
      const double width = (p.values[1] - low) / static_cast<double>(n);
      for (std::size_t s = 0; s < n; ++s) {
        const double v = low + (static_cast<double>(stratum[s]) + rng.uniform()) * width;
        points[s].emplace_back(p.key_path, std::min(v, p.values[1]));
      }
    }
    return points;
  }
  // grid: sample s in mixed radix, the last parameter varying fastest.
  for (std::size_t s = 0; s < n; ++s) {
    std::size_t rest = s;
    ParameterPoint& point = points[s];
    point.resize(spec.sweep.size());
    for (std::size_t j = spec.sweep.size(); j-- > 0;) {
      const std::vector<double>& values = spec.sweep[j].values;
      point[j] = {spec.sweep[j].key_path, values[rest % values.size()]};
      rest /= values.size();
    }
  }
  return points;
}

std::string RunPlan::name() const {
  std::string out = policy;
  if (!parameters.empty()) out += ".s" + padded(sample);
  return out + ".r" + padded(replicate);
}

std::vector<RunPlan> expand(const ExperimentSpec& spec) {
  const std::vector<ParameterPoint> points = sweep_points(spec);
  std::vector<RunPlan> runs;
  runs.reserve(spec.policies.size() * points.size() * static_cast<std::size_t>(spec.replicates));
  for (const PolicySpec& policy : spec.policies) {
    const Document with_policy = spec.base.merged(policy.overlay);
    for (std::size_t s = 0; s < points.size(); ++s) {
      Document scenario = with_policy;
      for (std::size_t j = 0; j < points[s].size(); ++j) {
        scenario = scenario.with_value(points[s][j].first, points[s][j].second, spec.sweep[j].loc);
      }
      for (int r = 0; r < spec.replicates; ++r) {
        runs.push_back({runs.size(), policy.name, static_cast<int>(s), r,
                        replicate_seed(spec.seed, r), points[s], scenario});
      }
    }
  }
  return runs;
}

std::uint64_t replicate_seed(std::uint64_t master, int replicate) {
  return mix(mix(master) + (static_cast<std::uint64_t>(replicate) + 1) * kGolden);
}

}  // namespace sim
