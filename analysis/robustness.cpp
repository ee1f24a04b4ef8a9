#include "analysis/robustness.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <map>
#include <ostream>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "analysis/text_output.hpp"

namespace analysis {
namespace {

// The metric's value oriented so that larger is better.
double oriented(const PrimaryMetric& m, double v) {
  return m.higher_is_better ? v : -v;
}

}  // namespace

std::vector<PrimaryMetric> parse_primary_metrics(const std::string& text) {
  std::vector<PrimaryMetric> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t colon = item.rfind(':');
    const std::string way = colon == std::string::npos ? "" : item.substr(colon + 1);
    if (colon == 0 || (way != "higher" && way != "lower")) {
      throw BadInput(fmt::format(
          "primary metric '{}': expected NAME:higher or NAME:lower (which way is better)", item));
    }
    out.push_back({item.substr(0, colon), way == "higher"});
    start = comma + 1;
  }
  return out;
}

Adjustment parse_adjustment(const std::string& name) {
  if (name == "holm") return Adjustment::kHolm;
  if (name == "bh") return Adjustment::kBenjaminiHochberg;
  throw BadInput(
      fmt::format("unknown multiple-comparison adjustment '{}'; available: holm, bh", name));
}

std::string adjustment_name(Adjustment how) {
  return how == Adjustment::kHolm ? "Holm (family-wise error rate)"
                                  : "Benjamini-Hochberg (false discovery rate)";
}

bool is_uncertainty_experiment(const ResultsFile& file) {
  return std::any_of(file.runs().begin(), file.runs().end(), [](const RunInfo& r) {
    const std::string* method = find_attribute(r.attributes, "sweep_method");
    return method != nullptr && *method == "uncertainty";
  });
}

DrawTable draw_table(const ResultsFile& file, const std::string& baseline,
                     const std::vector<PrimaryMetric>& metrics) {
  if (file.runs().empty()) {
    throw BadInput(fmt::format("{}: no successful runs to analyse ({} failed)",
                               file.path().string(), file.failures().size()));
  }
  DrawTable t;
  t.metrics = metrics;
  t.policies.push_back(baseline);
  for (const RunInfo& r : file.runs())
    if (std::find(t.policies.begin(), t.policies.end(), r.policy) == t.policies.end())
      t.policies.push_back(r.policy);
  // (policy, draw) -> replicate -> values of the metrics
  std::map<std::pair<std::string, std::int64_t>, std::map<std::int64_t, std::vector<double>>> runs;
  std::map<std::int64_t, const RunInfo*> first_run;
  std::set<std::string> available;
  bool baseline_found = false;
  for (const RunInfo& r : file.runs()) {
    baseline_found = baseline_found || r.policy == baseline;
    const auto summary = file.summary(r.name);
    std::vector<double> values;
    for (const PrimaryMetric& m : metrics) {
      auto it = std::find_if(summary.begin(), summary.end(),
                             [&](const SummaryValue& s) { return s.name == m.name; });
      values.push_back(it == summary.end() ? kNaN : it->value);
    }
    for (const auto& s : summary) available.insert(s.name);
    const std::int64_t draw = r.sample.value_or(0);
    runs[{r.policy, draw}][r.replicate.value_or(0)] = std::move(values);
    if (!first_run.count(draw)) first_run[draw] = &r;
  }
  if (!baseline_found) {
    std::string names;
    for (std::size_t i = 1; i < t.policies.size(); ++i)
      names += (names.empty() ? "" : ", ") + t.policies[i];
    throw BadInput(fmt::format("baseline policy '{}' is not in {}; policies: {}", baseline,
                               file.path().string(), names));
  }
  for (const PrimaryMetric& m : metrics) {
    if (available.count(m.name)) continue;
    std::string names;
    for (const auto& n : available) names += (names.empty() ? "" : ", ") + n;
    throw BadInput(fmt::format("unknown primary metric '{}'; available: {}", m.name, names));
  }
  // The drawn parameters, in the order the runs record them.
  for (const auto& [k, v] : first_run.begin()->second->attributes)
    if (k.starts_with(kParameterPrefix)) t.parameters.push_back(k.substr(kParameterPrefix.size()));
  t.values.assign(t.policies.size(), std::vector<std::vector<double>>(metrics.size()));
  t.replicates = SIZE_MAX;
  for (const auto& [draw, run] : first_run) {
    // The replicates every policy ran on this draw, with every metric finite.
    std::set<std::int64_t> common;
    bool first = true;
    for (const auto& policy : t.policies) {
      std::set<std::int64_t> have;
      auto it = runs.find({policy, draw});
      if (it != runs.end())
        for (const auto& [rep, values] : it->second)
          if (std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); }))
            have.insert(rep);
      if (first) {
        common = have;
        first = false;
      } else {
        std::set<std::int64_t> both;
        std::set_intersection(common.begin(), common.end(), have.begin(), have.end(),
                              std::inserter(both, both.end()));
        common = both;
      }
    }
    if (common.empty()) {
      t.notes.push_back(fmt::format(
          "draw {} left out: no replicate that every policy completed with every metric", draw));
      continue;
    }
    t.replicates = std::min(t.replicates, common.size());
    for (std::size_t p = 0; p < t.policies.size(); ++p) {
      const auto& reps = runs[{t.policies[p], draw}];
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        double sum = 0;
        for (const auto rep : common) sum += reps.at(rep)[m];
        t.values[p][m].push_back(sum / static_cast<double>(common.size()));
      }
    }
    std::vector<double> point;
    for (const auto& key : t.parameters) {
      const std::string* found =
          find_attribute(run->attributes, std::string(kParameterPrefix) + key);
      const std::string v = found != nullptr ? *found : std::string();
      char* end = nullptr;
      const double x = std::strtod(v.c_str(), &end);
      point.push_back(v.empty() || *end != '\0' ? kNaN : x);
    }
    t.parameter_values.push_back(std::move(point));
  }
  if (t.parameter_values.size() < 2) {
    throw BadInput(fmt::format("{}: {} complete draw(s); the uncertainty analysis needs two",
                               file.path().string(), t.parameter_values.size()));
  }
  return t;
}

Robustness analyse_draws(const DrawTable& t, const RobustnessOptions& o) {
  if (t.policies.size() < 2) throw BadInput("the uncertainty analysis needs two policies");
  const std::size_t draws = t.metrics.empty() ? 0 : t.values[0][0].size();
  if (draws < 2) throw BadInput("the uncertainty analysis needs two draws");
  Robustness r;
  r.metrics = t.metrics;
  r.parameters = t.parameters;
  r.options = o;
  r.draws = draws;
  r.notes = t.notes;
  // Scenario discovery needs every draw's parameters (a file may lack or garble some).
  bool parameters_usable = !t.parameters.empty();
  for (const auto& point : t.parameter_values)
    for (double v : point) parameters_usable = parameters_usable && std::isfinite(v);
  if (!t.parameters.empty() && !parameters_usable)
    r.notes.push_back("some draws lack a parameter value, so no scenario discovery");
  std::vector<std::size_t> family;  // rows whose p-values are adjusted together
  for (std::size_t m = 0; m < t.metrics.size(); ++m) {
    const PrimaryMetric& metric = t.metrics[m];
    // Per draw, the best oriented value over the policies.
    std::vector<double> best(draws, -INFINITY);
    for (std::size_t p = 0; p < t.policies.size(); ++p)
      for (std::size_t d = 0; d < draws; ++d)
        best[d] = std::max(best[d], oriented(metric, t.values[p][m][d]));
    for (std::size_t p = 0; p < t.policies.size(); ++p) {
      PolicyMetricRow row;
      row.policy = t.policies[p];
      row.metric = m;
      row.baseline = p == 0;
      std::vector<double> regret(draws);
      double best_count = 0;
      for (std::size_t d = 0; d < draws; ++d) {
        regret[d] = best[d] - oriented(metric, t.values[p][m][d]);
        // Equal to the best up to rounding: a tie counts for each policy in it.
        if (regret[d] <= 1e-12 * std::max(1.0, std::fabs(best[d]))) best_count += 1;
      }
      row.best_share = best_count / static_cast<double>(draws);
      row.mean_value = mean(t.values[p][m]);
      row.mean_regret = mean(regret);
      row.max_regret = *std::max_element(regret.begin(), regret.end());
      if (p > 0) {
        std::vector<double> effect(draws);
        double wins = 0;
        for (std::size_t d = 0; d < draws; ++d) {
          effect[d] = t.values[p][m][d] - t.values[0][m][d];
          if (oriented(metric, effect[d]) > 0) wins += 1;
        }
        row.effect = mean_ci(effect, o.level);
        row.range_low = quantile(effect, (1.0 - o.range) / 2.0);
        row.range_high = quantile(effect, (1.0 + o.range) / 2.0);
        row.wins_share = wins / static_cast<double>(draws);
        row.p = two_sided_p(row.effect, o.level);
        family.push_back(r.rows.size());
        const bool contested = row.wins_share >= o.contested_low &&
                               row.wins_share <= o.contested_high && parameters_usable &&
                               draws >= o.min_draws_for_box;
        if (contested) {
          std::vector<bool> is_case(draws);
          for (std::size_t d = 0; d < draws; ++d) is_case[d] = oriented(metric, effect[d]) > 0;
          r.boxes.push_back(
              {row.policy, m, row.wins_share, prim(t.parameter_values, is_case, o.prim)});
        }
      }
      r.rows.push_back(std::move(row));
    }
  }
  std::vector<double> p;
  p.reserve(family.size());
  for (std::size_t i : family) p.push_back(r.rows[i].p);
  const std::vector<double> adjusted = adjusted_p_values(p, o.adjustment);
  for (std::size_t k = 0; k < family.size(); ++k) {
    PolicyMetricRow& row = r.rows[family[k]];
    row.p_adjusted = adjusted[k];
    row.flagged = adjusted[k] < o.alpha;
    if (!std::isnan(row.p)) ++r.comparisons;
  }
  return r;
}

namespace {

std::string share(double s) {
  return std::isfinite(s) ? fmt::format("{:.0f}%", 100.0 * s) : "";
}

// Decimals that show the metric's largest spread with about three significant digits.
int decimals_for(const std::vector<const PolicyMetricRow*>& rows) {
  double magnitude = 0;
  for (const auto* r : rows)
    for (double v : {r->effect.lower, r->effect.upper, r->range_low, r->range_high, r->max_regret})
      if (std::isfinite(v)) magnitude = std::max(magnitude, std::fabs(v));
  if (magnitude == 0) return 3;
  return std::clamp(2 - static_cast<int>(std::floor(std::log10(magnitude))), 0, 8);
}

TextTable metric_table(const Robustness& r, const std::vector<const PolicyMetricRow*>& rows) {
  const int dp = decimals_for(rows);
  double largest = 0;
  for (const auto* row : rows)
    if (std::isfinite(row->mean_value)) largest = std::max(largest, std::fabs(row->mean_value));
  // About four significant digits of the largest mean, never fewer decimals than the effects.
  const int mean_dp =
      largest == 0
          ? dp
          : std::max(dp, std::clamp(3 - static_cast<int>(std::floor(std::log10(largest))), 0, 8));
  TextTable t{
      {"policy", "mean", "effect", "95% CI", fmt::format("{:.0f}% of draws", 100 * r.options.range),
       "wins", "p", "adj. p", "flag", "best in", "mean regret", "max regret"},
      {}};
  for (const auto* row : rows) {
    std::vector<std::string> cells{row->policy, number(row->mean_value, mean_dp)};
    if (row->baseline) {
      cells.insert(cells.end(), {"(baseline)", "", "", "", "", "", ""});
    } else {
      const Interval& e = row->effect;
      cells.insert(
          cells.end(),
          {number(e.estimate, dp),
           e.has_interval() ? fmt::format("[{}, {}]", number(e.lower, dp), number(e.upper, dp))
                            : "",
           fmt::format("[{}, {}]", number(row->range_low, dp), number(row->range_high, dp)),
           share(row->wins_share), p_value_text(row->p), p_value_text(row->p_adjusted),
           row->flagged ? "*" : ""});
    }
    cells.insert(cells.end(), {share(row->best_share), number(row->mean_regret, dp),
                               number(row->max_regret, dp)});
    t.rows.push_back(std::move(cells));
  }
  return t;
}

std::vector<std::string> box_lines(const Robustness& r, const DiscoveryBox& b) {
  const PrimaryMetric& m = r.metrics[b.metric];
  std::vector<std::string> lines;
  lines.push_back(fmt::format(
      "{} on {}: better than the baseline in {} of draws; in the box below in {} of its draws "
      "(coverage {} of the wins, {} of all draws, {} peels)",
      b.policy, m.name, share(b.wins_share), share(b.box.density), share(b.box.coverage),
      share(b.box.support), b.box.peels));
  bool any = false;
  for (std::size_t j = 0; j < r.parameters.size(); ++j) {
    if (!b.box.restricted[j]) continue;
    any = true;
    lines.push_back(fmt::format("    {} in [{:.4g}, {:.4g}] (quasi-p {:.2g})", r.parameters[j],
                                b.box.low[j], b.box.high[j], b.box.quasi_p[j]));
  }
  if (!any) {
    lines.push_back(
        "    no limit is significant: the wins follow no parameter range (noise, or an effect too "
        "small for the draws)");
  }
  return lines;
}

const std::vector<std::string> kFootnotes{
    "effect: policy minus baseline on the same draw and replicates, averaged over the draws; 95% "
    "CI: t interval across draws (parameter uncertainty and simulation noise); the next column: "
    "the central range of the per-draw effects.",
    "wins: share of draws in which the policy is better than the baseline; best in: share of "
    "draws in which it is the best policy (ties count for each); regret: per draw, the best "
    "policy's value minus this one's, in the metric's units (0 = best).",
    "p: t test of a zero mean effect over the draws; adj. p: adjusted over every policy x primary "
    "metric; flag *: adj. p below the level."};

}  // namespace

void write_robustness(const Robustness& r, const std::string& format, std::ostream& out) {
  std::vector<std::vector<const PolicyMetricRow*>> by_metric(r.metrics.size());
  for (const auto& row : r.rows) by_metric[row.metric].push_back(&row);
  if (format == "csv") {
    out << "metric,better,policy,draws,mean,effect,effect_ci_low,effect_ci_high,range_low,range_"
           "high,"
           "wins_share,p,p_adjusted,flagged,best_share,mean_regret,max_regret\n";
    for (const auto& row : r.rows) {
      const PrimaryMetric& m = r.metrics[row.metric];
      out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(m.name),
                         m.higher_is_better ? "higher" : "lower", csv_field(row.policy), r.draws,
                         csv_number(row.mean_value), csv_number(row.effect.estimate),
                         csv_number(row.effect.lower), csv_number(row.effect.upper),
                         csv_number(row.range_low), csv_number(row.range_high),
                         csv_number(row.wins_share), csv_number(row.p), csv_number(row.p_adjusted),
                         row.baseline ? "" : (row.flagged ? "1" : "0"), csv_number(row.best_share),
                         csv_number(row.mean_regret), csv_number(row.max_regret));
    }
    return;
  }
  if (format != "table" && format != "markdown")
    throw BadInput(fmt::format("unknown format '{}'; available: table, csv, markdown", format));
  const bool md = format == "markdown";
  const std::string bullet = md ? "- " : "";
  for (const auto& h : r.header) out << bullet << h << '\n';
  out << bullet
      << fmt::format(
             "{} draws; p-values adjusted by {} over {} comparisons (policies x primary "
             "metrics), flagged at {}",
             r.draws, adjustment_name(r.options.adjustment), r.comparisons, r.options.alpha)
      << '\n';
  for (std::size_t m = 0; m < r.metrics.size(); ++m) {
    const std::string title = fmt::format("{} ({} is better)", r.metrics[m].name,
                                          r.metrics[m].higher_is_better ? "higher" : "lower");
    if (md) {
      out << "\n### " << markdown_cell(title) << "\n\n";
      write_markdown(metric_table(r, by_metric[m]), out);
    } else {
      out << '\n' << title << '\n';
      write_fixed(metric_table(r, by_metric[m]), out);
    }
  }
  if (!r.boxes.empty()) {
    out << '\n'
        << (md ? "### " : "")
        << "Scenario discovery (PRIM): where a policy whose sign depends on the draw wins\n";
    if (md) out << '\n';
    for (const auto& b : r.boxes) {
      const auto lines = box_lines(r, b);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        // Markdown: the policy as a list item, its limits nested under it.
        if (md) out << (i == 0 ? "- " : "  - ");
        out << (md && i > 0 ? lines[i].substr(4) : lines[i]) << '\n';
      }
    }
  }
  out << '\n';
  for (const auto& f : kFootnotes) out << bullet << f << '\n';
  for (const auto& n : r.notes) out << bullet << "note: " << n << '\n';
}

}  // namespace analysis
