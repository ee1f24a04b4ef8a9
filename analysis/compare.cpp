#include "analysis/compare.hpp"

#include "analysis/compare_notes.hpp"

#include "analysis/robustness.hpp"
#include "analysis/text_output.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <ostream>
#include <set>

#include <fmt/format.h>

namespace analysis {
namespace {

using namespace compare_notes;  // NOLINT(google-build-using-namespace): this command's notes

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
  // their position in the file. A run where the metric is undefined (NaN: e.g. a mean time over
  // no events) has no observation; `undefined` counts those runs.
  std::vector<Observation> observations(const std::string& metric,
                                        std::size_t* undefined = nullptr) const {
    std::vector<Observation> out;
    if (undefined != nullptr) *undefined = 0;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      auto it = summaries[i].find(metric);
      if (it == summaries[i].end()) continue;
      if (std::isnan(it->second)) {
        if (undefined != nullptr) ++*undefined;
        continue;
      }
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

std::vector<Metric> select_metrics(const std::vector<Metric>& available,
                                   const std::vector<std::string>& wanted) {
  if (wanted.empty()) return available;
  std::vector<Metric> out;
  for (const auto& name : wanted) {
    auto it = std::find_if(available.begin(), available.end(),
                           [&](const Metric& m) { return m.name == name; });
    if (it == available.end()) {
      std::vector<std::string> names;
      names.reserve(available.size());
      for (const auto& m : available) names.push_back(m.name);
      throw BadInput(fmt::format("unknown metric '{}'; available: {}", name, comma_list(names)));
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

std::vector<PrimaryMetric> primary_metrics(const ResultsFile& file, const CompareOptions& o) {
  std::vector<PrimaryMetric> out;
  if (o.primary_metrics.empty()) {
    if (auto declared = file.attribute("primary_metrics"); declared && !declared->empty())
      out = parse_primary_metrics(*declared);
  } else {
    for (const auto& m : o.primary_metrics)
      for (auto& p : parse_primary_metrics(m)) out.push_back(std::move(p));
  }
  return out;
}

Adjustment adjustment(const ResultsFile& file, const CompareOptions& o) {
  if (!o.adjustment.empty()) return parse_adjustment(o.adjustment);
  if (auto declared = file.attribute("multiple_comparisons")) return parse_adjustment(*declared);
  return Adjustment::kHolm;
}

// The primary metrics' differences get p-values adjusted over the whole family at once.
void adjust_primary(Comparison& c, const std::vector<PrimaryMetric>& primary, Adjustment how) {
  std::vector<Difference*> family;
  for (auto& row : c.rows) {
    const bool is_primary =
        std::any_of(primary.begin(), primary.end(),
                    [&](const PrimaryMetric& m) { return m.name == row.metric; });
    if (!is_primary || !row.difference) continue;
    row.difference->p = two_sided_p(row.difference->diff, kLevel);
    family.push_back(&*row.difference);
  }
  std::vector<double> p;
  p.reserve(family.size());
  for (const Difference* d : family) p.push_back(d->p);
  const auto adjusted = adjusted_p_values(p, how);
  for (std::size_t i = 0; i < family.size(); ++i) family[i]->p_adjusted = adjusted[i];
  for (const auto& m : primary) c.primary_metrics.push_back(m.name);
  if (!primary.empty()) {
    c.header.push_back(fmt::format("primary metrics: p-values adjusted by {} over {} comparisons",
                                   adjustment_name(how), family.size()));
  }
}

}  // namespace

Comparison compare_policies(const ResultsFile& file, const CompareOptions& options) {
  const Loaded loaded = load(file);
  const auto primary = primary_metrics(file, options);
  const bool primary_only = options.metrics.empty() && !primary.empty() && !options.all_metrics;
  auto metrics =
      primary_only ? std::vector<Metric>{} : select_metrics(loaded.metrics, options.metrics);
  // The primary metrics are always compared: their family of p-values must not depend on which
  // other metrics are shown.
  for (const auto& m : primary) {
    const Metric found = select_metrics(loaded.metrics, {m.name}).front();
    if (std::none_of(metrics.begin(), metrics.end(),
                     [&](const Metric& x) { return x.name == m.name; }))
      metrics.push_back(found);
  }
  std::vector<std::string> policies;
  for (const auto& g : loaded.groups)
    if (std::find(policies.begin(), policies.end(), g.policy) == policies.end())
      policies.push_back(g.policy);
  if (std::find(policies.begin(), policies.end(), options.baseline) == policies.end())
    throw BadInput(fmt::format("baseline policy '{}' is not in {}; policies: {}", options.baseline,
                               file.path().string(), comma_list(policies)));
  Comparison c;
  c.header = {fmt::format("file: {} ({} runs)", file.path().string(), file.runs().size()),
              fmt::format("baseline: {}", options.baseline)};
  std::set<std::string> noted;
  UndefinedRuns undefined_runs;
  for (const Metric& m : metrics) {
    for (const Group& g : loaded.groups) {
      std::size_t undefined = 0;
      const auto obs = g.observations(m.name, &undefined);
      undefined_runs.add(m.name, g.label(), undefined, obs.size());
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
  adjust_primary(c, primary, adjustment(file, options));
  if (primary_only) {
    c.notes.push_back(
        fmt::format("only the {} primary metrics are shown; --all (or --metric) for "
                    "the other {}",
                    primary.size(), loaded.metrics.size() - primary.size()));
  }
  undefined_runs.note(c);
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
  UndefinedRuns undefined_runs;
  std::vector<std::string> labels_a, labels_b;
  for (const auto& g : la.groups) labels_a.push_back(g.label());
  for (const auto& g : lb.groups) labels_b.push_back(g.label());
  for (const Metric& m : metrics) {
    for (const Group& ga : la.groups) {
      auto gb = std::find_if(lb.groups.begin(), lb.groups.end(), [&](const Group& g) {
        return g.policy == ga.policy && g.sample == ga.sample;
      });
      if (gb == lb.groups.end()) continue;
      std::size_t undefined_a = 0, undefined_b = 0;
      const auto obs_a = ga.observations(m.name, &undefined_a);
      const auto obs_b = gb->observations(m.name, &undefined_b);
      const std::string label_a = ga.label() + " [A]";
      undefined_runs.add(m.name, label_a, undefined_a, obs_a.size());
      undefined_runs.add(m.name, gb->label() + " [B]", undefined_b, obs_b.size());
      if (obs_a.empty() || obs_b.empty()) continue;
      c.rows.push_back({m.name, m.units, m.description, summarize(label_a, obs_a), std::nullopt});
      ComparisonRow row{m.name, m.units, m.description, summarize(gb->label() + " [B]", obs_b),
                        difference(obs_b, obs_a, label_a, SeedRule::kPairOnlyIfSeedsMatch)};
      note_unpaired(c, noted, row);
      c.rows.push_back(std::move(row));
    }
  }
  if (c.rows.empty())
    throw BadInput(fmt::format("no policy in common between {} ({}) and {} ({})", a.path().string(),
                               comma_list(labels_a), b.path().string(), comma_list(labels_b)));
  for (const auto& l : labels_a)
    if (std::find(labels_b.begin(), labels_b.end(), l) == labels_b.end())
      c.notes.push_back(l + ": only in A");
  for (const auto& l : labels_b)
    if (std::find(labels_a.begin(), labels_a.end(), l) == labels_a.end())
      c.notes.push_back(l + ": only in B");
  undefined_runs.note(c);
  note_failures(c, a);
  note_failures(c, b);
  return c;
}

Robustness analyse_uncertainty(const ResultsFile& file, const CompareOptions& options) {
  const auto primary = primary_metrics(file, options);
  if (primary.empty()) {
    throw BadInput(fmt::format(
        "{} is an uncertainty experiment, read on its primary metrics: the file declares none, so "
        "pass --primary NAME:higher|lower",
        file.path().string()));
  }
  RobustnessOptions ro;
  ro.adjustment = adjustment(file, options);
  ro.alpha = kAlpha;
  ro.level = kLevel;
  const DrawTable table = draw_table(file, options.baseline, primary);
  Robustness r = analyse_draws(table, ro);
  std::string parameters;
  for (const auto& p : table.parameters) parameters += (parameters.empty() ? "" : ", ") + p;
  r.header = {fmt::format("file: {} ({} runs), an uncertainty experiment", file.path().string(),
                          file.runs().size()),
              fmt::format("baseline: {}; {} policies on {} draws x {} replicate(s) each",
                          options.baseline, table.policies.size(), r.draws, table.replicates),
              "drawn: " + parameters};
  Comparison notes;
  note_failures(notes, file);
  note_transients(notes, file, options);
  r.notes.insert(r.notes.end(), notes.notes.begin(), notes.notes.end());
  return r;
}

void write_compare_report(const std::filesystem::path& file, const CompareOptions& options,
                          std::ostream& out) {
  if (options.format != "table" && options.format != "csv" && options.format != "markdown")
    throw BadInput(
        fmt::format("unknown format '{}'; available: table, csv, markdown", options.format));
  const ResultsFile a(file);
  if (!options.other_file && is_uncertainty_experiment(a)) {
    write_robustness(analyse_uncertainty(a, options), options.format, out);
    return;
  }
  const Comparison c = options.other_file
                           ? compare_files(a, ResultsFile(*options.other_file), options)
                           : compare_policies(a, options);
  write_comparison(c, options.format, out);
}

}  // namespace analysis
