// The experiment's `sweep:`: the method, its parameters with their ranges or distributions, a
// user's design file, and the posterior an uncertainty sweep draws from.
#include "sim/config/csv.hpp"
#include "sim/config/spec_input.hpp"
#include "sim/experiment/experiment_spec.hpp"
#include "sim/experiment/experiment_spec_detail.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace sim::experiment_detail {
namespace {

using config::Document;
using config::join_path;

using spec_input::canonical_of;
using spec_input::int_in_range;
using spec_input::missing;
using spec_input::read_file_text;
using spec_input::valid_name;

// `key: {distribution: D, ...}`: the numbers of D into p.values (and p.weights), checked.
void read_distribution(const ExperimentSpec& spec, const Document& node, const std::string& path,
                       SweepParameter& p) {
  if (spec.sweep_method != "lhs" && spec.sweep_method != "saltelli" &&
      spec.sweep_method != "uncertainty") {
    throw InputError(p.loc, path,
                     "distributions are drawn by methods lhs, saltelli and uncertainty; method " +
                         spec.sweep_method + " takes " +
                         (spec.sweep_method == "grid" ? "a list of values" : "[low, high]"));
  }
  if (!node.has("distribution")) missing(node, path, "distribution");
  p.distribution = node.child("distribution").as_string(path + ".distribution");
  const auto number = [&](const char* key) {
    if (!node.has(key)) missing(node, path, key, "distribution: " + p.distribution);
    const double v = node.child(key).as_double(path + "." + key);
    p.values.push_back(v);
    return v;
  };
  const auto fail = [&](const std::string& why) { throw InputError(p.loc, path, why); };
  if (p.distribution == "uniform") {
    config::check_known_keys(node, path, {"distribution", "low", "high"});
    if (!(number("low") < number("high"))) fail("expected low < high");
  } else if (p.distribution == "normal") {
    config::check_known_keys(node, path, {"distribution", "mean", "sd"});
    number("mean");
    if (!(number("sd") > 0)) fail("expected sd > 0");
  } else if (p.distribution == "triangular") {
    config::check_known_keys(node, path, {"distribution", "low", "mode", "high"});
    const double low = number("low"), mode = number("mode"), high = number("high");
    if (!(low <= mode && mode <= high && low < high))
      fail("expected low <= mode <= high, low < high");
  } else if (p.distribution == "discrete") {
    config::check_known_keys(node, path, {"distribution", "values", "weights"});
    if (!node.has("values")) missing(node, path, "values", "distribution: discrete");
    for (const Document& v : node.child("values").as_list(path + ".values"))
      p.values.push_back(v.as_double(path + ".values"));
    if (p.values.empty()) fail("expected at least one value");
    if (node.has("weights")) {
      double total = 0;
      for (const Document& w : node.child("weights").as_list(path + ".weights")) {
        p.weights.push_back(w.as_double(path + ".weights"));
        if (!(p.weights.back() >= 0)) fail("expected weights >= 0");
        total += p.weights.back();
      }
      if (p.weights.size() != p.values.size() || !(total > 0))
        fail("expected one weight per value, not all zero");
    }
  } else {
    throw InputError(
        node.location("distribution"), path + ".distribution",
        "expected one of: uniform, normal, triangular, discrete; got '" + p.distribution + "'");
  }
}

void read_sweep_parameter(ExperimentSpec& spec, const Document& parameters,
                          const std::string& key) {
  const std::string path = "experiment.sweep.parameters." + key;
  const Document node = parameters.child(key);
  SweepParameter p{key, {}, node.location(), "uniform", {}};
  if (node.is_map()) {
    read_distribution(spec, node, path, p);
    (void)spec.base.with_value(key, p.quantile(0.5), p.loc);
    spec.sweep.push_back(std::move(p));
    return;
  }
  for (const Document& v : node.as_list(path)) p.values.push_back(v.as_double(path));
  if (spec.sweep_method == "grid" && p.values.empty()) {
    throw InputError(p.loc, path, "expected a list of at least one value");
  }
  if (spec.sweep_method != "grid") {
    if (p.values.size() != 2) {
      throw InputError(p.loc, path, "expected [low, high] for method: " + spec.sweep_method);
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

void read_posterior(ExperimentSpec& spec, const Document& sweep) {
  const std::string path = "experiment.sweep.posterior";
  const Document node = sweep.child("posterior");
  if (!node.is_map()) throw InputError(node.location(), path, "expected a map");
  config::check_known_keys(node, path, {"calibration", "sample"});
  if (!node.has("calibration")) missing(node, path, "calibration");
  if (!node.has("sample")) missing(node, path, "sample");
  PosteriorSample posterior =
      load_posterior_sample(named_file(spec, node.child("calibration"), path + ".calibration"),
                            named_file(spec, node.child("sample"), path + ".sample"));
  // A multiplier is relative to the base it was fitted on: another base would scale other values.
  if (canonical_of(posterior.calibration.base_file) != canonical_of(spec.base_file)) {
    throw InputError(node.location("calibration"), path + ".calibration",
                     "the calibration's scenario is " + posterior.calibration.base_file.string() +
                         ", but the experiment's is " + spec.base_file.string() +
                         "; a posterior applies to the base it was fitted on");
  }
  for (const SweepParameter& p : spec.sweep) {
    for (const CalibrationParameter& c : posterior.calibration.parameters) {
      if (p.key_path == c.key) {
        throw InputError(p.loc, "experiment.sweep.parameters." + p.key_path,
                         "also a parameter of the posterior; draw it from one or the other");
      }
    }
  }
  spec.posterior = std::move(posterior);
}

// A user's design: a CSV file whose header names the key paths and whose rows are the points
// (finite numbers; errors at the file's line and column). Nothing else is read from the sweep.
void read_design(ExperimentSpec& spec, const Document& sweep) {
  spec.sweep_method = "design";
  for (const char* other : {"samples", "levels", "parameters", "posterior"}) {
    if (sweep.has(other)) {
      throw InputError(sweep.key_location(other), std::string("experiment.sweep.") + other,
                       std::string(other) +
                           " is not used by method design: the file's header "
                           "names the parameters and its rows are the points");
    }
  }
  if (!sweep.has("file")) missing(sweep, "experiment.sweep", "file", "method: design");
  spec.design_file = named_file(spec, sweep.child("file"), "experiment.sweep.file");
  const CsvTable table = CsvTable::load(spec.design_file);
  const SourceLoc at = sweep.location("file");
  for (const std::string& key : table.header()) {
    if (key.empty())
      throw InputError({table.file(), 1, 0}, "", "an empty column name (a scenario key path)");
    spec.sweep.push_back({key, {}, at, "uniform", {}});
  }
  if (table.rows() == 0 || table.rows() > static_cast<std::size_t>(kMaxSamples)) {
    throw InputError({table.file(), 0, 0}, "",
                     "expected 1 to " + std::to_string(kMaxSamples) + " rows of points, got " +
                         std::to_string(table.rows()));
  }
  for (std::size_t r = 0; r < table.rows(); ++r) {
    std::vector<double>& row = spec.design_rows.emplace_back();
    for (std::size_t c = 0; c < table.columns(); ++c) {
      row.push_back(table.number(r, c));
      if (!std::isfinite(row.back()))
        throw InputError({table.file(), table.line(r), 0}, table.header()[c],
                         "expected a finite number, got '" + table.text(r, c) + "'");
    }
  }
}

}  // namespace

void read_sweep(ExperimentSpec& spec, const Document& experiment) {
  const Document sweep = experiment.child("sweep");
  if (!sweep.is_map()) throw InputError(sweep.location(), "experiment.sweep", "expected a map");
  config::check_known_keys(
      sweep, "experiment.sweep",
      {"method", "samples", "levels", "second_order", "file", "parameters", "posterior"});
  if (!sweep.has("method")) missing(sweep, "experiment.sweep", "method");
  const std::string method = sweep.child("method").as_string("experiment.sweep.method");
  if (method != "grid" && method != "lhs" && method != "saltelli" && method != "morris" &&
      method != "uncertainty" && method != "design") {
    throw InputError(
        sweep.location("method"), "experiment.sweep.method",
        "expected one of: grid, lhs, saltelli, morris, uncertainty, design; got '" + method + "'");
  }
  if (method == "design") {
    read_design(spec, sweep);
    return;
  }
  if (sweep.has("file")) {
    throw InputError(sweep.key_location("file"), "experiment.sweep.file",
                     "file is only used by method design");
  }
  if (sweep.has("second_order")) {
    if (method != "saltelli") {
      throw InputError(sweep.key_location("second_order"), "experiment.sweep.second_order",
                       "second_order is only used by method saltelli");
    }
    const std::string flag = sweep.child("second_order").as_string("experiment.sweep.second_order");
    if (flag != "true" && flag != "false") {
      throw InputError(sweep.location("second_order"), "experiment.sweep.second_order",
                       "expected true or false, got '" + flag + "'");
    }
    spec.saltelli_second_order = flag == "true";
  }
  if (sweep.has("levels")) {
    if (method != "morris") {
      throw InputError(sweep.key_location("levels"), "experiment.sweep.levels",
                       "levels is only used by method morris");
    }
    spec.morris_levels =
        static_cast<int>(int_in_range(sweep, "levels", "experiment.sweep.levels", 2, 100));
    if (spec.morris_levels % 2 != 0) {
      throw InputError(sweep.location("levels"), "experiment.sweep.levels",
                       "expected an even number of levels (each step then joins two levels of "
                       "the grid), got " +
                           std::to_string(spec.morris_levels));
    }
  }
  spec.sweep_method = method;
  if (method != "uncertainty" && sweep.has("posterior")) {
    throw InputError(sweep.key_location("posterior"), "experiment.sweep.posterior",
                     "posterior is only used by method uncertainty");
  }
  if (method == "grid") {
    if (sweep.has("samples")) {
      throw InputError(sweep.key_location("samples"), "experiment.sweep.samples",
                       "samples is only used by methods lhs, saltelli, morris and uncertainty");
    }
  } else {
    if (!sweep.has("samples")) missing(sweep, "experiment.sweep", "samples", "method: " + method);
    // Sobol' indices need variances over the base samples, and an effect over draws an interval.
    const std::int64_t min_samples = method == "lhs" ? 1 : 2;
    const auto n = static_cast<int>(
        int_in_range(sweep, "samples", "experiment.sweep.samples", min_samples, kMaxSamples));
    if (method == "saltelli") {
      spec.saltelli_samples = n;
    } else if (method == "morris") {
      spec.morris_trajectories = n;
    } else {
      spec.lhs_samples = n;
    }
  }
  const bool needs_parameters = method != "uncertainty" || !sweep.has("posterior");
  if (needs_parameters && !sweep.has("parameters")) {
    missing(sweep, "experiment.sweep", "parameters",
            method == "uncertainty" ? "an uncertainty sweep needs parameters or a posterior" : "");
  }
  if (sweep.has("parameters")) {
    const Document parameters = sweep.child("parameters");
    if (!parameters.is_map() || parameters.empty()) {
      throw InputError(parameters.location(), "experiment.sweep.parameters",
                       "expected a map of at least one key path to its values");
    }
    if (method == "saltelli" && parameters.keys().size() > kMaxSaltelliParameters) {
      throw InputError(parameters.location(), "experiment.sweep.parameters",
                       "method: saltelli takes at most " + std::to_string(kMaxSaltelliParameters) +
                           " parameters, got " + std::to_string(parameters.keys().size()));
    }
    for (const std::string& key : parameters.keys()) read_sweep_parameter(spec, parameters, key);
  }
  if (sweep.has("posterior")) read_posterior(spec, sweep);
}

}  // namespace sim::experiment_detail
