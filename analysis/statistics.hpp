#pragma once
// Small-sample statistics for comparing policies across replicated runs: means, Student-t
// confidence intervals, and paired (common random numbers) versus unpaired (Welch) differences.
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

namespace analysis {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A point estimate with its confidence interval. With fewer than two observations there is no
// interval: lower, upper and df are NaN.
struct Interval {
  double estimate = kNaN;
  double lower = kNaN;
  double upper = kNaN;
  std::size_t n = 0;  // observations (pairs, for a paired difference)
  double df = kNaN;   // degrees of freedom of the t quantile used

  bool has_interval() const { return !std::isnan(lower) && !std::isnan(upper); }
  double half_width() const { return (upper - lower) / 2.0; }
  // False when there is no interval.
  bool excludes(double value) const { return lower > value || upper < value; }
};

// Throws std::invalid_argument for empty input.
double mean(std::span<const double> x);
// Sample standard deviation (n - 1 denominator); NaN when n < 2.
double sample_sd(std::span<const double> x);

// Student-t distribution with df > 0 degrees of freedom (non-integer df allowed, as Welch's
// test needs; df = infinity gives the normal distribution). Accurate to ~1e-12.
double student_t_cdf(double t, double df);
// The p-quantile, 0 < p < 1.
double student_t_quantile(double p, double df);
// Standard normal quantile, 0 < p < 1.
double normal_quantile(double p);

// Confidence interval of the mean at `level` (e.g. 0.95).
Interval mean_ci(std::span<const double> x, double level = 0.95);
// Mean of treated[i] - reference[i]: pairs share random numbers (same replicate seed), so their
// common noise cancels. Throws std::invalid_argument when the sizes differ.
Interval paired_difference_ci(std::span<const double> treated, std::span<const double> reference,
                              double level = 0.95);
// mean(treated) - mean(reference) for independent samples with unequal variances (Welch, with
// Welch-Satterthwaite degrees of freedom).
Interval welch_difference_ci(std::span<const double> treated, std::span<const double> reference,
                             double level = 0.95);

}  // namespace analysis
