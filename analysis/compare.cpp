#include "analysis/compare.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

namespace analysis {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitBadInput = 2;
constexpr double kLevel = 0.95;

// ---- loading ---------------------------------------------------------------------------------

struct Metric {
  std::string name;
  std::string units;
  std::string description;
};

struct Observation {
  std::int64_t replicate;
  double value;
  std::string seed;
};

// Runs of one policy (and sample), in file order, with their summary scalars.
struct Group {
  std::string policy;
  std::optional<std::int64_t> sample;
  std::vector<const RunInfo*> runs;
  std::vector<std::map<std::string, double>> summaries;

  std::string label() const { return sample ? fmt::format("{}.s{:03}", policy, *sample) : policy; }
  bool same_key(const RunInfo& r) const { return r.policy == policy && r.sample == sample; }

  // Values of `metric`, by ascending replicate; runs without a replicate number are numbered by
  // their position in the file.
  std::vector<Observation> observations(const std::string& metric) const {
    std::vector<Observation> out;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      auto it = summaries[i].find(metric);
      if (it == summaries[i].end()) continue;
      const auto replicate = runs[i]->replicate.value_or(static_cast<std::int64_t>(i));
      out.push_back({replicate, it->second, runs[i]->seed});
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.replicate < b.replicate; });
    return out;
  }
};

struct Loaded {
  std::vector<Group> groups;    // in order of first appearance
  std::vector<Metric> metrics;  // in order of first appearance
};

Loaded load(const ResultsFile& file) {
  if (file.runs().empty())
    throw BadInput(fmt::format("{}: no successful runs to compare ({} failed)",
                               file.path().string(), file.failures().size()));
  Loaded loaded;
  std::set<std::string> seen_metrics;
  for (const RunInfo& run : file.runs()) {
    auto group = std::find_if(loaded.groups.begin(), loaded.groups.end(),
                              [&](const Group& g) { return g.same_key(run); });
    if (group == loaded.groups.end())
      group = loaded.groups.insert(loaded.groups.end(), Group{run.policy, run.sample, {}, {}});
    std::map<std::string, double> values;
    for (const SummaryValue& s : file.summary(run.name)) {
      values[s.name] = s.value;
      if (seen_metrics.insert(s.name).second)
        loaded.metrics.push_back({s.name, s.units, s.description});
    }
    group->runs.push_back(&run);
    group->summaries.push_back(std::move(values));
  }
  return loaded;
}

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<Metric> select_metrics(const std::vector<Metric>& available,
                                   const std::vector<std::string>& wanted) {
  if (wanted.empty()) return available;
  std::vector<Metric> out;
  for (const auto& name : wanted) {
    auto it = std::find_if(available.begin(), available.end(),
                           [&](const Metric& m) { return m.name == name; });
    if (it == available.end()) {
      std::vector<std::string> names;
      for (const auto& m : available) names.push_back(m.name);
      throw BadInput(fmt::format("unknown metric '{}'; available: {}", name, list(names)));
    }
    out.push_back(*it);
  }
  return out;
}

// ---- statistics per row ----------------------------------------------------------------------

GroupSummary summarize(std::string label, const std::vector<Observation>& obs) {
  GroupSummary g;
  g.label = std::move(label);
  for (const auto& o : obs) {
    g.replicates.push_back(o.replicate);
    g.values.push_back(o.value);
  }
  g.mean = mean_ci(g.values, kLevel);
  return g;
}

enum class SeedRule {
  kPairUnlessSeedsDiffer,  // runs of one file: policies share seeds by design
  kPairOnlyIfSeedsMatch,   // two files: pairing must be shown by equal seeds
};

double percent_of(double diff, double reference_mean) {
  return reference_mean == 0.0 ? kNaN : 100.0 * diff / std::fabs(reference_mean);
}

Difference difference(const std::vector<Observation>& treated,
                      const std::vector<Observation>& reference, std::string reference_label,
                      SeedRule rule) {
  std::vector<double> t_all, r_all, t_pair, r_pair;
  bool seeds_known = true, seeds_differ = false;
  for (const auto& o : treated) t_all.push_back(o.value);
  for (const auto& o : reference) r_all.push_back(o.value);
  for (const auto& o : treated) {
    auto it = std::find_if(reference.begin(), reference.end(),
                           [&](const Observation& r) { return r.replicate == o.replicate; });
    if (it == reference.end()) continue;
    t_pair.push_back(o.value);
    r_pair.push_back(it->value);
    seeds_known = seeds_known && !o.seed.empty() && !it->seed.empty();
    seeds_differ = seeds_differ || (!o.seed.empty() && !it->seed.empty() && o.seed != it->seed);
  }
  Difference d;
  d.reference = std::move(reference_label);
  d.welch = welch_difference_ci(t_all, r_all, kLevel);
  if (t_pair.empty()) {
    d.why_unpaired = "no replicate in common";
  } else if (seeds_differ) {
    d.why_unpaired = "the replicates' seeds differ";
  } else if (rule == SeedRule::kPairOnlyIfSeedsMatch && !seeds_known) {
    d.why_unpaired = "seeds are not recorded, so pairing cannot be checked";
  }
  d.paired = d.why_unpaired.empty();
  if (d.paired) {
    d.diff = paired_difference_ci(t_pair, r_pair, kLevel);
    d.relative_pct = percent_of(d.diff.estimate, mean(r_pair));
  } else {
    d.diff = d.welch;
    d.relative_pct = percent_of(d.diff.estimate, mean(r_all));
  }
  return d;
}

void note_unpaired(Comparison& c, std::set<std::string>& noted, const ComparisonRow& row) {
  if (!row.difference || row.difference->paired) return;
  std::string note = fmt::format("{} vs {}: unpaired (Welch): {}", row.group.label,
                                 row.difference->reference, row.difference->why_unpaired);
  if (noted.insert(note).second) c.notes.push_back(std::move(note));
}

void note_failures(Comparison& c, const ResultsFile& file) {
  const auto& failures = file.failures();
  if (failures.empty()) return;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < failures.size() && i < 5; ++i) names.push_back(failures[i].name);
  c.notes.push_back(fmt::format("{}: {} failed run(s) not included: {}{} (see /failures)",
                                file.path().string(), failures.size(), list(names),
                                failures.size() > names.size() ? ", ..." : ""));
}

}  // namespace

double Difference::width_ratio() const {
  if (!paired || !diff.has_interval() || !welch.has_interval() || diff.half_width() <= 0.0)
    return kNaN;
  return welch.half_width() / diff.half_width();
}

double late_growth_per_day(const std::vector<double>& series) {
  const std::size_t n = series.size();
  if (n < 6) return kNaN;
  const std::size_t from = n - n / 3;
  double sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
  for (std::size_t i = from; i < n; ++i) {
    const double x = static_cast<double>(i), y = series[i];
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    m += 1;
  }
  const double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  const double level = sy / m;
  return level > 0 ? slope / level : kNaN;
}

namespace {

// A note for each policy whose watched stock still grows at the end of its runs.
void note_transients(Comparison& c, const ResultsFile& file, const CompareOptions& options) {
  for (const std::string& series : options.stock_series) {
    std::vector<std::string> order;
    std::map<std::string, std::pair<double, double>> growth;  // policy -> (sum, runs)
    for (const RunInfo& r : file.runs()) {
      const auto names = file.variable_names(r.name);
      if (std::find(names.begin(), names.end(), series) == names.end()) continue;
      const double g = late_growth_per_day(file.variable(r.name, series).data);
      if (std::isnan(g)) continue;
      if (!growth.count(r.policy)) order.push_back(r.policy);
      growth[r.policy].first += g;
      growth[r.policy].second += 1;
    }
    for (const auto& policy : order) {
      const double mean = growth[policy].first / growth[policy].second;
      if (mean > options.growth_warning_per_day) {
        c.notes.push_back(fmt::format(
            "{}: {} still grows by {:.2f} % a day over the last third of its runs; its "
            "end-of-run numbers are read off a transient (run longer to see where it settles)",
            policy, series, 100.0 * mean));
      }
    }
  }
}

}  // namespace

Comparison compare_policies(const ResultsFile& file, const CompareOptions& options) {
  const Loaded loaded = load(file);
  const auto metrics = select_metrics(loaded.metrics, options.metrics);
  std::vector<std::string> policies;
  for (const auto& g : loaded.groups)
    if (std::find(policies.begin(), policies.end(), g.policy) == policies.end())
      policies.push_back(g.policy);
  if (std::find(policies.begin(), policies.end(), options.baseline) == policies.end())
    throw BadInput(fmt::format("baseline policy '{}' is not in {}; policies: {}", options.baseline,
                               file.path().string(), list(policies)));
  Comparison c;
  c.header = {fmt::format("file: {} ({} runs)", file.path().string(), file.runs().size()),
              fmt::format("baseline: {}", options.baseline)};
  std::set<std::string> noted;
  for (const Metric& m : metrics) {
    for (const Group& g : loaded.groups) {
      const auto obs = g.observations(m.name);
      if (obs.empty()) continue;
      ComparisonRow row{m.name, m.units, m.description, summarize(g.label(), obs), std::nullopt};
      if (g.policy != options.baseline) {
        auto ref = std::find_if(loaded.groups.begin(), loaded.groups.end(), [&](const Group& b) {
          return b.policy == options.baseline && b.sample == g.sample;
        });
        const auto ref_obs =
            ref == loaded.groups.end() ? std::vector<Observation>{} : ref->observations(m.name);
        if (ref_obs.empty()) {
          std::string note = fmt::format("{}: no {} run with the same sample, so no difference",
                                         g.label(), options.baseline);
          if (noted.insert(note).second) c.notes.push_back(std::move(note));
        } else {
          row.difference = difference(obs, ref_obs, ref->label(), SeedRule::kPairUnlessSeedsDiffer);
        }
      }
      note_unpaired(c, noted, row);
      c.rows.push_back(std::move(row));
    }
  }
  note_failures(c, file);
  note_transients(c, file, options);
  return c;
}

Comparison compare_files(const ResultsFile& a, const ResultsFile& b,
                         const CompareOptions& options) {
  const Loaded la = load(a);
  const Loaded lb = load(b);
  std::vector<Metric> common;
  for (const auto& m : la.metrics)
    if (std::any_of(lb.metrics.begin(), lb.metrics.end(),
                    [&](const Metric& x) { return x.name == m.name; }))
      common.push_back(m);
  const auto metrics = select_metrics(common, options.metrics);
  Comparison c;
  c.header = {fmt::format("A: {} ({} runs)", a.path().string(), a.runs().size()),
              fmt::format("B: {} ({} runs)", b.path().string(), b.runs().size()),
              "diff = B - A for each policy"};
  std::set<std::string> noted;
  std::vector<std::string> labels_a, labels_b;
  for (const auto& g : la.groups) labels_a.push_back(g.label());
  for (const auto& g : lb.groups) labels_b.push_back(g.label());
  for (const Metric& m : metrics) {
    for (const Group& ga : la.groups) {
      auto gb = std::find_if(lb.groups.begin(), lb.groups.end(), [&](const Group& g) {
        return g.policy == ga.policy && g.sample == ga.sample;
      });
      if (gb == lb.groups.end()) continue;
      const auto obs_a = ga.observations(m.name);
      const auto obs_b = gb->observations(m.name);
      if (obs_a.empty() || obs_b.empty()) continue;
      const std::string label_a = ga.label() + " [A]";
      c.rows.push_back({m.name, m.units, m.description, summarize(label_a, obs_a), std::nullopt});
      ComparisonRow row{m.name, m.units, m.description, summarize(gb->label() + " [B]", obs_b),
                        difference(obs_b, obs_a, label_a, SeedRule::kPairOnlyIfSeedsMatch)};
      note_unpaired(c, noted, row);
      c.rows.push_back(std::move(row));
    }
  }
  if (c.rows.empty())
    throw BadInput(fmt::format("no policy in common between {} ({}) and {} ({})", a.path().string(),
                               list(labels_a), b.path().string(), list(labels_b)));
  for (const auto& l : labels_a)
    if (std::find(labels_b.begin(), labels_b.end(), l) == labels_b.end())
      c.notes.push_back(l + ": only in A");
  for (const auto& l : labels_b)
    if (std::find(labels_a.begin(), labels_a.end(), l) == labels_a.end())
      c.notes.push_back(l + ": only in B");
  note_failures(c, a);
  note_failures(c, b);
  return c;
}

// ---- output ----------------------------------------------------------------------------------

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

std::string number(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "";
}

std::string interval(const Interval& i, int decimals) {
  if (!i.has_interval()) return fmt::format("n={}: no interval", i.n);
  return fmt::format("[{}, {}]", number(i.lower, decimals), number(i.upper, decimals));
}

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

TextTable metric_table(const std::vector<const ComparisonRow*>& rows) {
  const int dp = mean_decimals(rows);
  const int diff_dp = difference_decimals(rows, dp);
  TextTable t{{"policy", "n", "mean", "95% CI", "diff", "95% CI of diff", "sig", "change",
               "pairing", "Welch/paired"},
              {}};
  for (const auto* r : rows) {
    std::vector<std::string> cells{r->group.label, std::to_string(r->group.values.size()),
                                   number(r->group.mean.estimate, dp), interval(r->group.mean, dp)};
    if (const auto& d = r->difference) {
      const double ratio = d->width_ratio();
      cells.insert(cells.end(), {number(d->diff.estimate, diff_dp), interval(d->diff, diff_dp),
                                 d->significant() ? "*" : "", percent(d->relative_pct),
                                 d->paired ? fmt::format("paired n={}", d->diff.n) : "Welch",
                                 std::isfinite(ratio) ? fmt::format("{:.1f}x", ratio) : ""});
    } else {
      cells.insert(cells.end(), {"(reference)", "", "", "", "", ""});
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
    "sig *: the 95% CI of the difference excludes 0.",
    "Welch/paired: width of the unpaired (Welch) interval divided by the paired one; how much "
    "narrower pairing made the interval."};

void write_fixed(const Comparison& c, std::ostream& out) {
  for (const auto& h : c.header) out << h << '\n';
  for (const auto& rows : by_metric(c)) {
    const TextTable t = metric_table(rows);
    std::vector<std::size_t> width(t.header.size());
    for (std::size_t i = 0; i < width.size(); ++i) {
      width[i] = t.header[i].size();
      for (const auto& r : t.rows) width[i] = std::max(width[i], r[i].size());
    }
    out << '\n' << metric_title(*rows.front()) << '\n';
    auto line = [&](const std::vector<std::string>& cells) {
      std::string text = " ";
      // The label column is left-aligned, numbers right-aligned.
      for (std::size_t i = 0; i < cells.size(); ++i)
        text += i == 0 ? fmt::format(" {:<{}}", cells[i], width[i])
                       : fmt::format("  {:>{}}", cells[i], width[i]);
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out << text << '\n';
    };
    line(t.header);
    for (const auto& r : t.rows) line(r);
  }
  out << '\n';
  for (const auto& f : kFootnotes) out << f << '\n';
  for (const auto& n : c.notes) out << "note: " << n << '\n';
}

std::string markdown_cell(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|' || ch == '*') out += '\\';
    out += ch;
  }
  return out;
}

void write_markdown(const Comparison& c, std::ostream& out) {
  for (const auto& h : c.header) out << "- " << markdown_cell(h) << '\n';
  for (const auto& rows : by_metric(c)) {
    const TextTable t = metric_table(rows);
    out << "\n### " << markdown_cell(metric_title(*rows.front())) << "\n\n|";
    for (const auto& h : t.header) out << ' ' << markdown_cell(h) << " |";
    out << "\n|";
    for (std::size_t i = 0; i < t.header.size(); ++i) out << (i == 0 ? " --- |" : " ---: |");
    for (const auto& r : t.rows) {
      out << "\n|";
      for (const auto& cell : r) out << ' ' << markdown_cell(cell) << " |";
    }
    out << '\n';
  }
  out << '\n';
  for (const auto& f : kFootnotes) out << "- " << markdown_cell(f) << '\n';
  for (const auto& n : c.notes) out << "- note: " << markdown_cell(n) << '\n';
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// Full precision, so the CSV can be re-analysed; empty when undefined.
std::string csv_number(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "";
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
    write_fixed(comparison, out);
  } else if (format == "csv") {
    write_csv(comparison, out);
  } else if (format == "markdown") {
    write_markdown(comparison, out);
  } else {
    throw BadInput(fmt::format("unknown format '{}'; available: table, csv, markdown", format));
  }
}

int compare_main(const std::filesystem::path& file, const CompareOptions& options,
                 std::ostream& out) {
  return compare_main(file, options, out, std::cerr);
}

int compare_main(const std::filesystem::path& file, const CompareOptions& options,
                 std::ostream& out, std::ostream& err) {
  try {
    if (options.format != "table" && options.format != "csv" && options.format != "markdown")
      throw BadInput(
          fmt::format("unknown format '{}'; available: table, csv, markdown", options.format));
    const ResultsFile a(file);
    const Comparison c = options.other_file
                             ? compare_files(a, ResultsFile(*options.other_file), options)
                             : compare_policies(a, options);
    write_comparison(c, options.format, out);
    return kExitOk;
  } catch (const BadInput& e) {
    err << "govsim compare: error: " << e.what() << '\n';
    return kExitBadInput;
  }
}

}  // namespace analysis
