#include "analysis/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <ostream>
#include <set>

#include "analysis/compare.hpp"
#include "analysis/sensitivity.hpp"
#include "analysis/svg.hpp"

namespace analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Forest-plot metrics when the experiment declared no primary metrics.
const std::vector<std::string> kDefaultMetrics = {"resolution_rate", "satisfaction_rate",
                                                  "time_to_resolution_mean_h", "trust_end"};

std::string paragraph(const std::string& text) {
  return "<p>" + svg::escape(text) + "</p>\n";
}

std::string provenance_table(const ResultsFile& file) {
  std::string s = "<table>\n";
  for (const auto& [key, value] : file.attributes()) {
    // Whole YAML files are stored as attributes: folded, to be opened when wanted.
    const bool long_text = value.size() > 160 || value.find('\n') != std::string::npos;
    if (long_text)
      s += fmt::format(
          "<tr><th>{}</th><td><details><summary>{} lines</summary><pre>{}</pre></details></td>"
          "</tr>\n",
          svg::escape(key), std::count(value.begin(), value.end(), '\n') + 1, svg::escape(value));
    else
      s += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", svg::escape(key), svg::escape(value));
  }
  // The root attributes `runs` and `failed_runs` already say how many runs succeeded and failed.
  return s + "</table>\n";
}

// The metrics conclusions rest on: the file's primary metrics, else those of a default set the
// file has.
std::vector<std::string> report_metrics(const ResultsFile& file, const ReportOptions& o) {
  if (!o.metrics.empty()) return o.metrics;
  std::vector<std::string> out;
  if (const auto declared = file.attribute("primary_metrics"); declared && !declared->empty()) {
    for (const auto& m : parse_primary_metrics(*declared)) out.push_back(m.name);
    return out;
  }
  std::set<std::string> have;
  for (const auto& v : file.summary(file.runs().front().name)) have.insert(v.name);
  for (const auto& m : kDefaultMetrics)
    if (have.count(m) > 0) out.push_back(m);
  return out;
}

std::string figure(const std::string& svg, const std::string& name, const std::string& description);

std::string forest_section(const ResultsFile& file, const ReportOptions& o,
                           const std::vector<std::string>& metrics) {
  std::string s = "<h2>Paired effects of the policies</h2>\n";
  CompareOptions co;
  co.baseline = o.baseline;
  co.metrics = metrics;
  const Comparison c = compare_policies(file, co);
  s += paragraph(fmt::format(
      "Each policy minus {}, paired by replicate (policies share their random numbers), with "
      "the 95 % interval; a filled dot: the interval excludes zero. {}",
      o.baseline,
      c.primary_metrics.empty() ? std::string("No primary metrics were declared.")
                                : "Primary metrics' p-values are adjusted in `govsim compare`."));
  for (const auto& metric : metrics) {
    std::vector<svg::ForestRow> rows;
    std::string unit, description;
    for (const auto& row : c.rows) {
      if (row.metric != metric || !row.difference) continue;
      unit = row.units;
      description = row.description;
      const Difference& d = *row.difference;
      std::string label = row.group.label;
      if (std::isfinite(d.relative_pct)) label += fmt::format(" ({:+.1f} %)", d.relative_pct);
      rows.push_back({label, d.diff.estimate, d.diff.lower, d.diff.upper, d.significant()});
    }
    if (rows.empty()) continue;
    s += figure(svg::forest_plot(metric, unit == "1" ? "" : unit, rows), metric, description);
  }
  for (const auto& note : c.notes) s += paragraph("Note: " + note);
  return s;
}

std::string figure(const std::string& svg, const std::string& name,
                   const std::string& description) {
  return "<figure>" + svg + "<figcaption><b>" + svg::escape(name) + "</b>" +
         (description.empty() ? "" : ": " + svg::escape(description)) + "</figcaption></figure>\n";
}

// Per policy and day: the mean over its runs (replicates, and samples of a sweep) and the lowest
// and highest run.
std::vector<svg::BandSeries> policy_bands(const VariableData& v) {
  const std::size_t policies = v.dims.front().size(), days = v.dims.back().size();
  const std::size_t runs_per_policy = policies * days == 0 ? 0 : v.data.size() / (policies * days);
  std::vector<svg::BandSeries> bands;
  for (std::size_t p = 0; p < policies; ++p) {
    svg::BandSeries b;
    b.label =
        v.dims.front().labels.empty() ? fmt::format("policy {}", p) : v.dims.front().labels[p];
    for (std::size_t d = 0; d < days; ++d) {
      double sum = 0, lo = kNaN, hi = kNaN;
      std::size_t n = 0;
      for (std::size_t r = 0; r < runs_per_policy; ++r) {
        const double x = v.data[(p * runs_per_policy + r) * days + d];
        if (!std::isfinite(x)) continue;
        sum += x;
        ++n;
        lo = std::isnan(lo) ? x : std::min(lo, x);
        hi = std::isnan(hi) ? x : std::max(hi, x);
      }
      b.mean.push_back(n > 0 ? sum / static_cast<double>(n) : kNaN);
      b.lower.push_back(lo);
      b.upper.push_back(hi);
    }
    bands.push_back(std::move(b));
  }
  return bands;
}

// Small multiples: each policy beside the baseline, on one vertical scale per series.
std::string series_section(const ResultsFile& file, const ReportOptions& o) {
  std::string s = "<h2>Daily series by policy</h2>\n";
  s += paragraph(
      "Each policy (blue) beside the baseline (grey): the line is the mean over the policy's runs, "
      "the band spans the lowest to the highest run on each day. A stock still rising at the end "
      "means end-of-run figures come from a transient.");
  for (const auto& name : o.series) {
    const VariableData v = file.stacked_series(name);
    if (v.dims.size() < 3 || v.dims.front().size() == 0 || v.dims.back().size() == 0) continue;
    std::vector<svg::BandSeries> bands = policy_bands(v);
    std::vector<double> days = v.dims.back().values;
    if (days.empty())
      for (std::size_t d = 0; d < v.dims.back().size(); ++d) days.push_back(static_cast<double>(d));
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& b : bands) {
      for (double x : b.lower) lo = std::isfinite(x) ? std::min(lo, x) : lo;
      for (double x : b.upper) hi = std::isfinite(x) ? std::max(hi, x) : hi;
    }
    const auto base = std::find_if(bands.begin(), bands.end(),
                                   [&](const auto& b) { return b.label == o.baseline; });
    s +=
        "<h3>" + svg::escape(name) + "</h3>\n" +
        paragraph(v.description + (v.units.empty() || v.units == "1" ? "" : " (" + v.units + ")")) +
        "<div class=\"grid\">\n";
    for (auto& b : bands) {
      std::vector<svg::BandSeries> shown;
      if (base != bands.end() && &b != &*base) {
        shown.push_back(*base);
        shown.back().colour = "#888888";
      }
      b.colour = "#0072B2";
      shown.push_back(b);
      s += svg::line_chart(b.label, v.units, days, shown, {lo, hi}, 320, 210) + "\n";
    }
    s += "</div>\n";
  }
  return s;
}

std::string map_section(const ResultsFile& file, const ReportOptions& o) {
  const std::string policy = o.map_policy.empty() ? o.baseline : o.map_policy;
  std::string s = "<h2>Districts</h2>\n";
  if (o.outlines.empty())
    return s + paragraph(
                   "No district boundaries for this city (a synthetic city, or none "
                   "given with --outlines): no map.");
  std::map<std::string, std::pair<double, std::size_t>> by_district;  // sum of run means, runs
  std::string units, description;
  for (const auto& run : file.runs()) {
    if (run.policy != policy) continue;
    const VariableData v = file.variable(run.name, o.map_variable);
    if (v.dims.size() != 2 || v.dims[1].labels.empty())
      throw BadInput(fmt::format("{}: {} is not a variable over (day, district)",
                                 file.path().string(), o.map_variable));
    units = v.units;
    description = v.description;
    const std::size_t days = v.dims[0].size(), districts = v.dims[1].size();
    for (std::size_t k = 0; k < districts; ++k) {
      double sum = 0;
      for (std::size_t d = 0; d < days; ++d) sum += v.data[d * districts + k];
      auto& [total, runs] = by_district[v.dims[1].labels[k]];
      total += days > 0 ? sum / static_cast<double>(days) : kNaN;
      ++runs;
    }
  }
  if (by_district.empty())
    throw BadInput(fmt::format("{}: no successful run of policy '{}' for the map",
                               file.path().string(), policy));
  std::vector<svg::Region> regions;
  for (const auto& outline : o.outlines) {
    const auto it = by_district.find(outline.name);
    const double value =
        it == by_district.end() ? kNaN : it->second.first / static_cast<double>(it->second.second);
    regions.push_back({outline.label, outline.name, outline.rings, value});
  }
  s +=
      paragraph(fmt::format("{} of policy {}: the mean over days of each run, averaged over its "
                            "{} runs. Hover a district for its value.",
                            o.map_variable, policy, by_district.begin()->second.second));
  s += figure(
      svg::choropleth(o.map_variable,
                      units == "1" || units.empty() ? "mean per day" : units + ", mean per day",
                      regions),
      o.map_variable, description);
  return s;
}

std::string sobol_section(const ResultsFile& file, const std::vector<std::string>& metrics) {
  std::string s = "<h2>Sensitivity (Sobol' indices)</h2>\n";
  s += paragraph(
      "First-order and total indices of each swept parameter, with 95 % bootstrap "
      "intervals (govsim sensitivity gives the numbers).");
  for (const auto& metric : metrics) {
    const SensitivityResult r = sobol_from_file(file, metric, 1, 200);
    for (const auto& p : r.policies) {
      std::vector<svg::SobolBar> bars;
      const SobolIndices& ix = p.indices;
      for (std::size_t i = 0; i < ix.parameters.size(); ++i)
        bars.push_back({ix.parameters[i], ix.first_order[i], ix.first_order_ci[i], ix.total[i],
                        ix.total_ci[i]});
      s += figure(svg::sobol_bars(metric + " under " + p.policy, bars),
                  metric + " under " + p.policy, r.description);
    }
    for (const auto& note : r.notes) s += paragraph("Note: " + note);
  }
  return s;
}

constexpr const char* kStyle =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
    "h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}"
    "table{border-collapse:collapse;font-size:.85em}th,td{text-align:left;padding:2px 8px;"
    "border-bottom:1px solid #eee;vertical-align:top}td{word-break:break-word}"
    "figure{margin:1em 0}figcaption{font-size:.9em;color:#444}svg{max-width:100%;height:auto}"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:6px}"
    "details pre{white-space:pre-wrap;font-size:.9em}";

}  // namespace

void write_report(const ResultsFile& file, const ReportOptions& options, std::ostream& out) {
  if (file.runs().empty())
    throw BadInput(fmt::format("{}: no successful runs to report", file.path().string()));
  const std::vector<std::string> metrics = report_metrics(file, options);
  const bool sampled = std::any_of(file.runs().begin(), file.runs().end(),
                                   [](const RunInfo& r) { return r.sample.has_value(); });
  const std::string* method = find_attribute(file.runs().front().attributes, "sweep_method");
  const bool saltelli = method != nullptr && *method == "saltelli";
  const std::string title = file.attribute("experiment").value_or(file.path().filename().string());
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<title>" << svg::escape(title) << "</title><style>" << kStyle
      << "</style></head><body>\n";
  out << "<h1>" << svg::escape(title) << "</h1>\n";
  out << paragraph(fmt::format("From {}.", file.path().filename().string()));
  out << "<h2>Provenance</h2>\n" << provenance_table(file);
  if (sampled)
    out << "<h2>Paired effects of the policies</h2>\n"
        << paragraph(
               "A sweep: effects differ from sample to sample (govsim compare gives them "
               "per sample, or over the draws of an uncertainty experiment).");
  else
    out << forest_section(file, options, metrics);
  out << series_section(file, options);
  out << map_section(file, options);
  if (saltelli) out << sobol_section(file, metrics);
  out << "</body></html>\n";
}

}  // namespace analysis
