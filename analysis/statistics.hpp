#pragma once
// Small-sample statistics for comparing policies across replicated runs: means, Student-t
// confidence intervals, and paired (common random numbers) versus unpaired (Welch) differences.
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

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
// test needs; df = infinity gives the normal distribution), from Boost.Math.
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

// Two-sided p-value of "the true value is 0" from an interval built with a t quantile at
// `level` (as the functions above build them): 1 when the estimate and the interval are all 0,
// 0 when the interval has no width but the estimate is not 0, NaN without an interval.
double two_sided_p(const Interval& i, double level = 0.95);

// How a family of p-values is adjusted for multiple comparisons.
enum class Adjustment {
  kHolm,               // Holm (1979) step-down: controls the family-wise error rate
  kBenjaminiHochberg,  // Benjamini & Hochberg (1995) step-up: controls the false discovery rate
};
// Adjusted p-values in the input's order (compare each with the level, e.g. 0.05). NaN entries
// stay NaN and are not counted in the family.
std::vector<double> adjusted_p_values(std::span<const double> p, Adjustment how);

// The q-quantile, 0 <= q <= 1, by linear interpolation between order statistics (R's type 7).
// Throws std::invalid_argument for empty input.
double quantile(std::span<const double> x, double q);

}  // namespace analysis
