// `govsim sensitivity`'s Sobol' indices as an aligned table with notes, or as CSV.
#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "analysis/sensitivity.hpp"
#include "analysis/text_output.hpp"

namespace analysis {
namespace {

std::string fixed(double v) {
  return std::isfinite(v) ? fmt::format("{:.3f}", v) : "-";
}

void write_table(const std::vector<SensitivityResult>& results, std::ostream& out) {
  for (const SensitivityResult& r : results) {
    std::string title = r.metric;
    if (!r.units.empty()) title += " [" + r.units + "]";
    if (!r.description.empty()) title += ": " + r.description;
    out << title << '\n';
    for (const PolicySobol& p : r.policies) {
      const SobolIndices& s = p.indices;
      if (std::none_of(s.first_order.begin(), s.first_order.end(),
                       [](double v) { return std::isfinite(v); })) {
        out << fmt::format("  {}: {} does not vary over the design ({} runs), so no indices\n",
                           p.policy, r.metric, p.runs);
        continue;
      }
      out << fmt::format("  {}: N = {} base rows, {} replicate(s) averaged, {} runs\n", p.policy,
                         s.base_samples, p.replicates, p.runs);
      std::size_t width = std::string_view("parameter").size();
      for (const auto& name : s.parameters) width = std::max(width, name.size());
      out << fmt::format("    {:<{}}  {:>7}  {:>6}  {:>7}  {:>6}\n", "parameter", width, "S1",
                         "+-95%", "ST", "+-95%");
      double sum = 0.0;
      for (std::size_t i = 0; i < s.parameters.size(); ++i) {
        sum += s.first_order[i];
        out << fmt::format("    {:<{}}  {:>7}  {:>6}  {:>7}  {:>6}\n", s.parameters[i], width,
                           fixed(s.first_order[i]), fixed(s.first_order_ci[i]), fixed(s.total[i]),
                           fixed(s.total_ci[i]));
      }
      out << fmt::format("    {:<{}}  {:>7}\n", "sum", width, fixed(sum));
      for (std::size_t i = 0; i < s.second_order.size(); ++i)
        for (std::size_t j = i + 1; j < s.second_order.size(); ++j)
          out << fmt::format("    S2 {} x {}: {} +- {}\n", s.parameters[i], s.parameters[j],
                             fixed(s.second_order[i][j]), fixed(s.second_order_ci[i][j]));
    }
    for (const auto& n : r.notes) out << "  note: " << n << '\n';
    out << '\n';
  }
  out << "S1: first-order index (Saltelli 2010), the share of the metric's variance the parameter "
         "explains alone.\n"
         "ST: total index (Jansen 1999), alone and through its interactions; ST - S1 is the "
         "interactions' share.\n"
         "+-95%: half-width of a 95% bootstrap interval over the base rows (conservative for the "
         "quasi-random design).\n"
         "Estimates may stray slightly outside [0, 1] and S1 may exceed ST by sampling error; a "
         "sum "
         "of S1 well below 1 means interactions matter.\n";
}

void write_csv(const std::vector<SensitivityResult>& results, std::ostream& out) {
  out << "metric,units,policy,parameter,base_samples,replicates,runs,s1,s1_ci,st,st_ci\n";
  for (const SensitivityResult& r : results) {
    for (const PolicySobol& p : r.policies) {
      const SobolIndices& s = p.indices;
      for (std::size_t i = 0; i < s.parameters.size(); ++i) {
        out << fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(r.metric),
                           csv_field(r.units), csv_field(p.policy), csv_field(s.parameters[i]),
                           s.base_samples, p.replicates, p.runs, csv_number(s.first_order[i]),
                           csv_number(s.first_order_ci[i]), csv_number(s.total[i]),
                           csv_number(s.total_ci[i]));
      }
    }
  }
}

}  // namespace

void check_sensitivity_format(const std::string& format) {
  if (format != "table" && format != "csv")
    throw BadInput(fmt::format("unknown format '{}'; available: table, csv", format));
}

void write_sensitivity(const std::vector<SensitivityResult>& results, const std::string& format,
                       std::ostream& out) {
  check_sensitivity_format(format);
  if (format == "table") {
    write_table(results, out);
  } else {
    write_csv(results, out);
  }
}

}  // namespace analysis
