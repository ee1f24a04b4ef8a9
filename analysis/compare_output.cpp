// `govsim compare`'s comparison as text: an aligned table per metric with footnotes, Markdown,
// or CSV at full precision.
#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "analysis/compare.hpp"
#include "analysis/text_output.hpp"

namespace analysis {

namespace {

// Decimals for a metric so that its largest mean shows about four significant digits.
int mean_decimals(const std::vector<const ComparisonRow*>& rows) {
  double magnitude = 0.0;
  for (const auto* r : rows)
    if (std::isfinite(r->group.mean.estimate))
      magnitude = std::max(magnitude, std::fabs(r->group.mean.estimate));
  if (magnitude == 0.0) return 2;
  return std::clamp(3 - static_cast<int>(std::floor(std::log10(magnitude))), 0, 8);
}

// Differences are often much smaller than the means: show the narrowest difference interval
// with two significant digits, and never fewer decimals than the means.
int difference_decimals(const std::vector<const ComparisonRow*>& rows, int mean_dp) {
  double narrowest = std::numeric_limits<double>::infinity();
  for (const auto* r : rows)
    if (r->difference && r->difference->diff.has_interval() &&
        r->difference->diff.half_width() > 0.0)
      narrowest = std::min(narrowest, r->difference->diff.half_width());
  if (!std::isfinite(narrowest)) return mean_dp;
  return std::clamp(1 - static_cast<int>(std::floor(std::log10(narrowest))), mean_dp, 8);
}

std::string percent(double pct) {
  if (!std::isfinite(pct)) return "";
  if (pct == 0.0) return "0.0%";
  return std::fabs(pct) >= 0.1 ? fmt::format("{:+.1f}%", pct) : fmt::format("{:+.2g}%", pct);
}

std::string interval(const Interval& i, int decimals) {
  if (!i.has_interval()) return fmt::format("n={}: no interval", i.n);
  return fmt::format("[{}, {}]", number(i.lower, decimals), number(i.upper, decimals));
}

TextTable metric_table(const std::vector<const ComparisonRow*>& rows) {
  const int dp = mean_decimals(rows);
  const int diff_dp = difference_decimals(rows, dp);
  const bool primary = std::any_of(rows.begin(), rows.end(), [](const ComparisonRow* r) {
    return r->difference && !std::isnan(r->difference->p);
  });
  TextTable t{{"policy", "n", "mean", "95% CI", "diff", "95% CI of diff", "sig", "change",
               "pairing", "Welch/paired"},
              {}};
  if (primary) t.header.insert(t.header.end(), {"p", "adj. p", "flag"});
  for (const auto* r : rows) {
    std::vector<std::string> cells{r->group.label, std::to_string(r->group.values.size()),
                                   number(r->group.mean.estimate, dp), interval(r->group.mean, dp)};
    if (const auto& d = r->difference) {
      const double ratio = d->width_ratio();
      cells.insert(cells.end(), {number(d->diff.estimate, diff_dp), interval(d->diff, diff_dp),
                                 d->significant() ? "*" : "", percent(d->relative_pct),
                                 d->paired ? fmt::format("paired n={}", d->diff.n) : "Welch",
                                 std::isfinite(ratio) ? fmt::format("{:.1f}x", ratio) : ""});
      if (primary) {
        cells.insert(cells.end(), {p_value_text(d->p), p_value_text(d->p_adjusted),
                                   d->p_adjusted < kAlpha ? "*" : ""});
      }
    } else {
      cells.insert(cells.end(), {"(reference)", "", "", "", "", ""});
      if (primary) cells.insert(cells.end(), {"", "", ""});
    }
    t.rows.push_back(std::move(cells));
  }
  return t;
}

// Groups rows by metric, keeping the order of first appearance.
std::vector<std::vector<const ComparisonRow*>> by_metric(const Comparison& c) {
  std::vector<std::vector<const ComparisonRow*>> out;
  for (const auto& row : c.rows) {
    if (out.empty() || out.back().front()->metric != row.metric) out.emplace_back();
    out.back().push_back(&row);
  }
  return out;
}

std::string metric_title(const ComparisonRow& r) {
  std::string title = r.metric;
  if (!r.units.empty()) title += " [" + r.units + "]";
  if (!r.description.empty()) title += ": " + r.description;
  return title;
}

const std::vector<std::string> kFootnotes{
    "diff: policy minus its reference (the baseline with the same sample), paired by replicate "
    "(the runs share random numbers) unless the pairing column says Welch.",
    "sig *: the 95% CI of the difference excludes 0 (not adjusted: among many rows, about one "
    "in twenty is flagged by chance).",
    "p, adj. p, flag (primary metrics only): two-sided p of a zero difference, adjusted over "
    "every policy x primary metric as the header says; flag: a star where adj. p < 0.05.",
    "Welch/paired: width of the unpaired (Welch) interval divided by the paired one; how much "
    "narrower pairing made the interval."};

void write_comparison_text(const Comparison& c, std::ostream& out) {
  for (const auto& h : c.header) out << h << '\n';
  for (const auto& rows : by_metric(c)) {
    out << '\n' << metric_title(*rows.front()) << '\n';
    write_fixed(metric_table(rows), out);
  }
  out << '\n';
  for (const auto& f : kFootnotes) out << f << '\n';
  for (const auto& n : c.notes) out << "note: " << n << '\n';
}

void write_comparison_markdown(const Comparison& c, std::ostream& out) {
  for (const auto& h : c.header) out << "- " << markdown_cell(h) << '\n';
  for (const auto& rows : by_metric(c)) {
    out << "\n### " << markdown_cell(metric_title(*rows.front())) << "\n\n";
    write_markdown(metric_table(rows), out);
  }
  out << '\n';
  for (const auto& f : kFootnotes) out << "- " << markdown_cell(f) << '\n';
  for (const auto& n : c.notes) out << "- note: " << markdown_cell(n) << '\n';
}

void write_csv(const Comparison& c, std::ostream& out) {
  out << "metric,units,policy,n,mean,ci_low,ci_high,reference,pairing,n_diff,diff,diff_ci_low,"
         "diff_ci_high,significant,change_pct,welch_ci_low,welch_ci_high,welch_to_paired_width\n";
  for (const auto& r : c.rows) {
    const Interval& m = r.group.mean;
    out << fmt::format("{},{},{},{},{},{},{}", csv_field(r.metric), csv_field(r.units),
                       csv_field(r.group.label), r.group.values.size(), csv_number(m.estimate),
                       csv_number(m.lower), csv_number(m.upper));
    if (const auto& d = r.difference) {
      out << fmt::format(",{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(d->reference),
                         d->paired ? "paired" : "welch", d->diff.n, csv_number(d->diff.estimate),
                         csv_number(d->diff.lower), csv_number(d->diff.upper),
                         d->significant() ? 1 : 0, csv_number(d->relative_pct),
                         csv_number(d->welch.lower), csv_number(d->welch.upper),
                         csv_number(d->width_ratio()));
    } else {
      out << ",,,,,,,,,,,\n";
    }
  }
}

}  // namespace

void write_comparison(const Comparison& comparison, const std::string& format, std::ostream& out) {
  if (format == "table") {
    write_comparison_text(comparison, out);
  } else if (format == "csv") {
    write_csv(comparison, out);
  } else if (format == "markdown") {
    write_comparison_markdown(comparison, out);
  } else {
    throw BadInput(fmt::format("unknown format '{}'; available: table, csv, markdown", format));
  }
}

}  // namespace analysis
