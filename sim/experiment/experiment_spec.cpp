#include "sim/experiment/experiment_spec.hpp"

#include "sim/config/spec_input.hpp"
#include "sim/experiment/experiment_spec_detail.hpp"

#include <string>

namespace sim {
namespace fs = std::filesystem;
using config::Document;

namespace experiment_detail {

fs::path named_file(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  return spec_input::named_file(spec.file, node, path);
}

}  // namespace experiment_detail

namespace {

using namespace experiment_detail;  // NOLINT(google-build-using-namespace): this file's own

using spec_input::canonical_of;
using spec_input::int_in_range;
using spec_input::missing;
using spec_input::read_file_text;
using spec_input::valid_name;

// An overlay file's own keys. A top-level `extends` (which lets the file run standalone) must name
// the experiment's base scenario: resolved, it would bring its own copy of a base and undo the
// experiment's one. It is dropped; the rest (`name` included) is the overlay.
Document overlay_file(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  const fs::path file = named_file(spec, node, path);
  Document own = Document::load_unresolved(file);
  if (!own.has("extends")) return own;
  const Document extends = own.child("extends");
  const fs::path target = (file.parent_path() / extends.as_string("extends")).lexically_normal();
  if (canonical_of(target) != canonical_of(spec.base_file)) {
    throw InputError(extends.location(), "extends",
                     "overlay of " + path + " extends " + target.string() +
                         ", but the experiment's base scenario is " + spec.base_file.string() +
                         "; an overlay file may only extend the experiment's base (or have no "
                         "extends)");
  }
  return own.without("extends");
}

// One overlay: an inline map (null for nothing) or an overlay file.
Document overlay_part(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  if (node.is_null()) return Document();
  if (node.is_map()) return node;
  if (node.is_scalar()) return overlay_file(spec, node, path);
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
    if (!valid_name(name)) {
      throw InputError(policies.key_location(name), path,
                       "policy names may only use letters, digits, '-' and '_'");
    }
    spec.policies.push_back({name, policy_overlay(spec, policies.child(name), path)});
  }
}

void read_primary_metrics(ExperimentSpec& spec, const Document& e) {
  if (e.has("primary_metrics")) {
    const Document m = e.child("primary_metrics");
    if (!m.is_map() || m.empty()) {
      throw InputError(m.location(), "experiment.primary_metrics",
                       "expected a map of metric names to higher or lower (which way is better)");
    }
    for (const std::string& name : m.keys()) {
      const std::string path = "experiment.primary_metrics." + name;
      const std::string way = m.child(name).as_string(path);
      if (way != "higher" && way != "lower") {
        throw InputError(m.location(name), path, "expected higher or lower, got '" + way + "'");
      }
      spec.primary_metrics.push_back({name, way == "higher", m.location(name)});
    }
  }
  if (e.has("multiple_comparisons")) {
    const std::string how =
        e.child("multiple_comparisons").as_string("experiment.multiple_comparisons");
    if (how != "holm" && how != "bh") {
      throw InputError(e.location("multiple_comparisons"), "experiment.multiple_comparisons",
                       "expected holm or bh, got '" + how + "'");
    }
    spec.multiple_comparisons = how;
  }
  if (spec.sweep_method == "uncertainty" && spec.primary_metrics.empty()) {
    missing(
        e, "experiment", "primary_metrics",
        "an uncertainty sweep is read on its primary metrics, each with the way that is better");
  }
}

void read_scalars(ExperimentSpec& spec, const Document& e) {
  spec.name = spec.file.stem().string();
  if (e.has("name")) {
    // The name makes the default results path, results/NAME.h5.
    spec.name = e.child("name").as_string("experiment.name");
    if (!valid_name(spec.name)) {
      throw InputError(
          e.location("name"), "experiment.name",
          "experiment names may only use letters, digits, '-' and '_', got '" + spec.name + "'");
    }
  }
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
    spec.days_loc = e.location("days");
  }
  if (e.has("population_scale")) {
    const double scale = e.child("population_scale").as_double("experiment.population_scale");
    if (!(scale > 0.0)) {
      throw InputError(e.location("population_scale"), "experiment.population_scale",
                       "out of range: expected value > 0, got " + config::format_number(scale));
    }
    spec.population_scale = scale;
    spec.population_scale_loc = e.location("population_scale");
  }
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
  const Document e = spec_input::top_level_map(Document::load(file), "experiment");
  config::check_known_keys(e, "experiment",
                           {"name", "scenario", "replicates", "seed", "days", "population_scale",
                            "policies", "sweep", "primary_metrics", "multiple_comparisons"});
  spec.text = read_file_text(file);
  read_scalars(spec, e);
  if (!e.has("scenario")) missing(e, "experiment", "scenario");
  spec.base_file = named_file(spec, e.child("scenario"), "experiment.scenario");
  spec.base = Document::load(spec.base_file);
  read_policies(spec, e);
  if (e.has("sweep")) read_sweep(spec, e);
  read_primary_metrics(spec, e);

  const std::size_t samples = sample_count(spec);
  const std::size_t per_policy = samples * static_cast<std::size_t>(spec.replicates);
  if (samples > kMaxRuns || per_policy > kMaxRuns || per_policy * spec.policies.size() > kMaxRuns) {
    throw InputError(e.location(), "experiment",
                     "too many runs (limit " + std::to_string(kMaxRuns) + ")");
  }
  return spec;
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
      for (std::size_t j = 0; j < spec.sweep.size(); ++j) {
        scenario = scenario.with_value(points[s][j].first, points[s][j].second, spec.sweep[j].loc);
      }
      if (spec.posterior) {
        std::vector<double> theta;
        for (std::size_t j = spec.sweep.size(); j < points[s].size(); ++j)
          theta.push_back(points[s][j].second);
        scenario = with_parameters(spec.posterior->calibration, scenario, theta);
      }
      for (int r = 0; r < spec.replicates; ++r) {
        runs.push_back({runs.size(), policy.name, static_cast<int>(s), r,
                        replicate_seed(spec.seed, r), points[s], scenario});
      }
    }
  }
  return runs;
}

}  // namespace sim
