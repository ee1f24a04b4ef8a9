#include "sim/experiment/calibration_spec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/config/spec_input.hpp"

namespace sim {
namespace fs = std::filesystem;
using config::Document;
using spec_input::int_in_range;
using spec_input::missing;

namespace {

double number(const Document& map, std::string_view key, const std::string& path) {
  return map.child(key).as_double(path + "." + std::string(key));
}

CalibrationOutput read_output(const Document& node, const std::string& path) {
  CalibrationOutput out;
  if (node.is_scalar()) {
    out.summary = node.as_string(path);
    return out;
  }
  if (!node.is_map()) {
    throw InputError(node.location(), path, "expected a summary name or {variable, label}");
  }
  config::check_known_keys(node, path, {"variable", "label", "per_days"});
  if (!node.has("variable")) missing(node, path, "variable");
  if (!node.has("label")) missing(node, path, "label");
  out.variable = node.child("variable").as_string(path + ".variable");
  out.label = node.child("label").as_string(path + ".label");
  if (node.has("per_days")) {
    out.per_days = number(node, "per_days", path);
    if (!(out.per_days > 0)) {
      throw InputError(node.location("per_days"), path + ".per_days", "expected a value > 0");
    }
  }
  return out;
}

CalibrationFigure read_figure(const Document& node, const std::string& path, bool target) {
  if (!node.is_map()) throw InputError(node.location(), path, "expected a map");
  if (target) {
    config::check_known_keys(node, path,
                             {"name", "output", "value", "tolerance", "source", "year"});
  } else {
    config::check_known_keys(node, path, {"name", "output", "value", "policy", "source", "year"});
  }
  CalibrationFigure f;
  f.loc = node.location();
  for (const char* key : {"name", "output", "value", "source"}) {
    if (!node.has(key)) missing(node, path, key, "every figure names its source");
  }
  f.name = node.child("name").as_string(path + ".name");
  f.output = read_output(node.child("output"), path + ".output");
  f.value = number(node, "value", path);
  f.source = node.child("source").as_string(path + ".source");
  if (node.has("year")) f.year = node.child("year").as_string(path + ".year");
  if (target) {
    if (!node.has("tolerance")) missing(node, path, "tolerance");
    f.tolerance = number(node, "tolerance", path);
    if (!(f.tolerance > 0)) {
      throw InputError(node.location("tolerance"), path + ".tolerance", "expected a value > 0");
    }
  } else if (node.has("policy")) {
    f.policy = node.child("policy").as_string(path + ".policy");
  }
  return f;
}

CalibrationParameter read_parameter(const Document& node, const std::string& path,
                                    const Document& base) {
  if (!node.is_map()) throw InputError(node.location(), path, "expected a map");
  config::check_known_keys(node, path, {"key", "low", "high", "log", "multiply"});
  for (const char* key : {"key", "low", "high"}) {
    if (!node.has(key)) missing(node, path, key);
  }
  CalibrationParameter p;
  p.loc = node.location();
  p.key = node.child("key").as_string(path + ".key");
  p.low = number(node, "low", path);
  p.high = number(node, "high", path);
  if (node.has("log")) p.log_scale = node.child("log").as_bool(path + ".log");
  if (node.has("multiply")) p.multiply = node.child("multiply").as_bool(path + ".multiply");
  if (!(p.low < p.high)) throw InputError(p.loc, path, "expected low < high");
  if (p.log_scale && !(p.low > 0)) throw InputError(p.loc, path, "log: true needs low > 0");
  // Resolve the key against the base once, so that a typo is reported here.
  CalibrationSpec probe;
  probe.parameters = {p};
  try {
    (void)with_parameters(probe, base, {p.low});
  } catch (const InputError& e) {
    throw InputError(node.location("key"), path + ".key", e.what());
  }
  return p;
}

// The node at a concrete key path (`a.b`, `a.list[2].c`) of the base; an empty map when absent.
Document node_at(const Document& base, const std::string& path) {
  Document node = base;
  std::size_t from = 0;
  while (from < path.size()) {
    auto end = path.find_first_of(".[", from);
    if (end == std::string::npos) end = path.size();
    if (end > from) node = node.child(path.substr(from, end - from));
    if (end < path.size() && path[end] == '[') {
      const auto close = path.find(']', end);
      if (close == std::string::npos || close == end + 1 || !node.is_list()) return Document();
      const std::string index = path.substr(end + 1, close - end - 1);
      if (index.find_first_not_of("0123456789") != std::string::npos) return Document();
      const auto items = node.as_list(path);
      const auto i = std::stoul(index);
      if (i >= items.size()) return Document();
      node = items[i];
      end = close + 1;
    }
    from = end + (end < path.size() && path[end] == '.' ? 1 : 0);
  }
  return node;
}

// The concrete key paths a parameter stands for: `[*]` over every element of the base's list.
std::vector<std::string> expand_key(const Document& base, const std::string& key) {
  const auto star = key.find("[*]");
  if (star == std::string::npos) return {key};
  const std::string list_path = key.substr(0, star);
  const Document node = node_at(base, list_path);
  if (!node.is_list() || node.empty()) {
    throw InputError(key + ": '" + list_path + "' is not a list in the base scenario");
  }
  std::vector<std::string> out;
  const std::string rest = key.substr(star + 3);
  const auto n = node.as_list(list_path).size();
  for (std::size_t i = 0; i < n; ++i) {
    std::string element = list_path;
    element += "[" + std::to_string(i) + "]";
    element += rest;
    for (auto& k : expand_key(base, element)) out.push_back(std::move(k));
  }
  return out;
}

// The scalar at a concrete key path of the base (for `multiply`), or NaN when absent.
double base_value(const Document& base, const std::string& path) {
  const Document node = node_at(base, path);
  return node.is_scalar() ? node.as_double(path) : std::nan("");
}

}  // namespace

std::string CalibrationOutput::describe() const {
  if (!summary.empty()) return summary;
  std::string s = variable + "[" + label + "]";
  if (per_days > 0) s += " per " + config::format_number(per_days) + " d at scale 1";
  return s;
}

bool is_calibration_file(const fs::path& file) {
  return Document::load(file).has("calibration");
}

CalibrationSpec load_calibration(const fs::path& file) {
  CalibrationSpec spec;
  spec.file = file;
  const Document c = spec_input::top_level_map(Document::load(file), "calibration");
  config::check_known_keys(
      c, "calibration",
      {"name", "scenario", "days", "population_scale", "seed", "measure_from_day", "population",
       "generations", "quantile", "parameters", "targets", "held_out"});
  spec.text = spec_input::read_file_text(file);
  spec.name = file.stem().string();
  if (c.has("name")) {
    spec.name = c.child("name").as_string("calibration.name");
    if (!spec_input::valid_name(spec.name)) {
      throw InputError(c.location("name"), "calibration.name",
                       "names may only use letters, digits, '-' and '_'");
    }
  }
  if (!c.has("scenario")) missing(c, "calibration", "scenario");
  spec.base_file = spec_input::named_file(file, c.child("scenario"), "calibration.scenario");
  spec.base = Document::load(spec.base_file);
  if (c.has("days")) {
    spec.days = static_cast<int>(int_in_range(c, "days", "calibration.days", 1, 3650));
    spec.days_loc = c.location("days");
  }
  if (c.has("population_scale")) {
    spec.population_scale = c.child("population_scale").as_double("calibration.population_scale");
    spec.population_scale_loc = c.location("population_scale");
  }
  if (c.has("seed")) {
    spec.seed = static_cast<std::uint64_t>(
        int_in_range(c, "seed", "calibration.seed", 0, std::numeric_limits<std::int64_t>::max()));
  }
  if (c.has("measure_from_day")) {
    spec.measure_from_day = static_cast<int>(int_in_range(
        c, "measure_from_day", "calibration.measure_from_day", 0, spec.days.value_or(3650) - 1));
  }
  if (c.has("population")) {
    spec.population = static_cast<std::size_t>(
        int_in_range(c, "population", "calibration.population", 4, 100000));
  }
  if (c.has("generations")) {
    spec.generations =
        static_cast<int>(int_in_range(c, "generations", "calibration.generations", 1, 100));
  }
  if (c.has("quantile")) {
    spec.quantile = c.child("quantile").as_double("calibration.quantile");
    if (!(spec.quantile > 0 && spec.quantile < 1)) {
      throw InputError(c.location("quantile"), "calibration.quantile", "expected 0 < value < 1");
    }
  }
  for (const char* key : {"parameters", "targets"}) {
    if (!c.has(key)) missing(c, "calibration", key);
  }
  const auto params = c.child("parameters").as_list("calibration.parameters");
  for (std::size_t i = 0; i < params.size(); ++i) {
    spec.parameters.push_back(
        read_parameter(params[i], "calibration.parameters[" + std::to_string(i) + "]", spec.base));
  }
  const auto targets = c.child("targets").as_list("calibration.targets");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    spec.targets.push_back(
        read_figure(targets[i], "calibration.targets[" + std::to_string(i) + "]", true));
  }
  if (spec.parameters.empty() || spec.targets.empty()) {
    throw InputError(c.location(), "calibration", "needs at least one parameter and one target");
  }
  if (c.has("held_out")) {
    const auto held = c.child("held_out").as_list("calibration.held_out");
    for (std::size_t i = 0; i < held.size(); ++i) {
      spec.held_out.push_back(
          read_figure(held[i], "calibration.held_out[" + std::to_string(i) + "]", false));
    }
  }
  return spec;
}

Document with_parameters(const CalibrationSpec& spec, const Document& base,
                         const std::vector<double>& theta) {
  Document doc = base;
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    const CalibrationParameter& p = spec.parameters[k];
    for (const std::string& key : expand_key(base, p.key)) {
      double v = theta[k];
      if (p.multiply) {
        const double b = base_value(base, key);
        if (std::isnan(b)) {
          throw InputError(p.loc, key,
                           "multiply: true needs the base scenario to set this key explicitly");
        }
        v *= b;
      }
      doc = doc.with_value(key, v, p.loc);
    }
  }
  return doc;
}

bool has_output(const CalibrationOutput& output, const RunRecord& record) {
  if (!output.summary.empty()) {
    return std::any_of(record.summary.begin(), record.summary.end(),
                       [&](const Scalar& s) { return s.name == output.summary; });
  }
  for (const auto& v : record.variables) {
    if (v.name != output.variable || v.dims.size() != 2) continue;
    for (const auto& d : record.dimensions) {
      if (d.name == v.dims[1] &&
          std::find(d.labels.begin(), d.labels.end(), output.label) != d.labels.end())
        return true;
    }
  }
  return false;
}

double observe(const CalibrationOutput& output, const RunRecord& record, double population_scale,
               int measure_from_day) {
  if (!output.summary.empty()) {
    for (const auto& s : record.summary) {
      if (s.name == output.summary) return s.value;
    }
    return std::nan("");
  }
  for (const auto& v : record.variables) {
    if (v.name != output.variable || v.dims.size() != 2) continue;
    const Dimension* rows = nullptr;
    const Dimension* cols = nullptr;
    for (const auto& d : record.dimensions) {
      if (d.name == v.dims[0]) rows = &d;
      if (d.name == v.dims[1]) cols = &d;
    }
    if (rows == nullptr || cols == nullptr) return std::nan("");
    std::size_t col = cols->labels.size();
    for (std::size_t j = 0; j < cols->labels.size(); ++j) {
      if (cols->labels[j] == output.label) col = j;
    }
    if (col == cols->labels.size()) return std::nan("");
    double sum = 0, days = 0;
    for (std::size_t i = static_cast<std::size_t>(measure_from_day); i < rows->size(); ++i) {
      const double x = v.data[i * cols->size() + col];
      if (std::isfinite(x)) sum += x;
      days += 1;
    }
    if (output.per_days > 0) {
      if (days <= 0) return std::nan("");
      sum *= output.per_days / days / population_scale;
    }
    return sum;
  }
  return std::nan("");
}

double target_distance(const std::vector<CalibrationFigure>& targets,
                       const std::vector<double>& model) {
  double s = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const double z = (model[i] - targets[i].value) / targets[i].tolerance;
    s += z * z;
  }
  const double d = std::sqrt(s / static_cast<double>(targets.size()));
  return std::isfinite(d) ? d : std::numeric_limits<double>::infinity();
}

}  // namespace sim
