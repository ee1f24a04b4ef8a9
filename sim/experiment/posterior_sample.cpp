#include "sim/experiment/posterior_sample.hpp"

#include <cmath>
#include <string>

#include "sim/config/csv.hpp"

namespace sim {

PosteriorSample load_posterior_sample(const std::filesystem::path& calibration_file,
                                      const std::filesystem::path& csv) {
  PosteriorSample s;
  s.calibration = load_calibration(calibration_file);
  s.file = csv;
  const CsvTable table = CsvTable::load(csv);
  const std::string where = csv.string();
  if (table.rows() == 0) throw InputError(SourceLoc{where, 1, 1}, "weight", "no rows");
  const std::size_t weight_col = table.column("weight");
  std::vector<std::size_t> cols;
  for (const CalibrationParameter& p : s.calibration.parameters)
    cols.push_back(table.column(p.key));
  if (table.columns() != cols.size() + 1) {
    throw InputError(SourceLoc{where, 1, 1}, "",
                     "expected a weight column and one column per parameter of " +
                         calibration_file.string() + " (" + std::to_string(cols.size()) +
                         "), got " + std::to_string(table.columns()) + " columns");
  }
  double total = 0;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const double w = table.number(r, weight_col);
    if (!(w >= 0) || !std::isfinite(w)) {
      throw InputError(SourceLoc{where, table.line(r), static_cast<int>(weight_col) + 1}, "weight",
                       "expected a finite weight >= 0");
    }
    std::vector<double> row;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const CalibrationParameter& p = s.calibration.parameters[k];
      const double v = table.number(r, cols[k]);
      // The prior's support: a value outside it cannot be a posterior draw of this calibration.
      if (!(v >= p.low && v <= p.high)) {
        throw InputError(SourceLoc{where, table.line(r), static_cast<int>(cols[k]) + 1}, p.key,
                         "outside the calibration's prior range [" + config::format_number(p.low) +
                             ", " + config::format_number(p.high) + "]");
      }
      row.push_back(v);
    }
    total += w;
    s.weights.push_back(w);
    s.rows.push_back(std::move(row));
  }
  if (!(total > 0)) throw InputError(SourceLoc{where, 2, 1}, "weight", "every weight is zero");
  for (double& w : s.weights) w /= total;
  return s;
}

std::vector<std::size_t> systematic_resample(const std::vector<double>& weights, std::size_t n,
                                             double offset) {
  std::vector<std::size_t> out;
  out.reserve(n);
  double cumulative = weights.empty() ? 0 : weights[0];
  std::size_t row = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = (static_cast<double>(i) + offset) / static_cast<double>(n);
    while (u >= cumulative && row + 1 < weights.size()) cumulative += weights[++row];
    out.push_back(row);
  }
  return out;
}

}  // namespace sim
