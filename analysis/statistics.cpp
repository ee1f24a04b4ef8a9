#include "analysis/statistics.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace analysis {
namespace {

// Continued fraction of the regularized incomplete beta function (modified Lentz method,
// Numerical Recipes 6.4); converges quickly for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-15;
  constexpr int kMaxIterations = 100000;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEps) return h;
  }
  throw std::runtime_error("incomplete beta: continued fraction did not converge");
}

// I_x(a, b), the regularized incomplete beta function.
double incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}

double normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}

double student_t_pdf(double t, double df) {
  const double log_c =
      std::lgamma((df + 1.0) / 2.0) - std::lgamma(df / 2.0) - 0.5 * std::log(df * std::numbers::pi);
  return std::exp(log_c - (df + 1.0) / 2.0 * std::log1p(t * t / df));
}

// Beyond this many degrees of freedom the t and normal quantiles agree to ~1e-7 relative, and
// the continued fraction would need many iterations.
constexpr double kNormalDf = 1e8;

// Solves cdf(x) = p for x >= 0 (p >= 0.5) by Newton steps kept inside a bisection bracket.
template <class Cdf, class Pdf>
double solve_upper_quantile(double p, Cdf cdf, Pdf pdf) {
  double lo = 0.0, hi = 1.0;
  while (cdf(hi) < p) {
    lo = hi;
    hi *= 2.0;
    if (!std::isfinite(hi)) return hi;
  }
  double x = 0.5 * (lo + hi);
  for (int i = 0; i < 200; ++i) {
    const double f = cdf(x) - p;
    if (f == 0.0) return x;
    (f < 0.0 ? lo : hi) = x;
    const double density = pdf(x);
    double next = density > 0.0 ? x - f / density : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= 1e-15 * std::fabs(x) || hi - lo <= 1e-15 * hi) return next;
    x = next;
  }
  return x;
}

void check_probability(double p) {
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("quantile: p must be in (0, 1)");
}

double t_for_level(double level, double df) {
  if (!(level > 0.0 && level < 1.0))
    throw std::invalid_argument("confidence level must be in (0, 1)");
  return student_t_quantile(0.5 + level / 2.0, df);
}

Interval centred(double estimate, double half_width, std::size_t n, double df) {
  return {estimate, estimate - half_width, estimate + half_width, n, df};
}

}  // namespace

double mean(std::span<const double> x) {
  if (x.empty()) throw std::invalid_argument("mean of no values");
  double sum = 0.0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

double sample_sd(std::span<const double> x) {
  if (x.size() < 2) return kNaN;
  const double m = mean(x);
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

double student_t_cdf(double t, double df) {
  if (!(df > 0.0)) throw std::invalid_argument("Student t: df must be positive");
  if (df >= kNormalDf) return normal_cdf(t);
  const double t2 = t * t;
  // P(|T| > |t|) from whichever incomplete-beta argument is far from 1: near t = 0 the
  // argument df / (df + t^2) rounds to 1 and would lose every digit of t^2.
  const double both_tails = t2 < df ? 1.0 - incomplete_beta(0.5, df / 2.0, t2 / (df + t2))
                                    : incomplete_beta(df / 2.0, 0.5, df / (df + t2));
  return t >= 0.0 ? 1.0 - 0.5 * both_tails : 0.5 * both_tails;
}

double normal_quantile(double p) {
  check_probability(p);
  if (p == 0.5) return 0.0;
  if (p < 0.5) return -normal_quantile(1.0 - p);
  return solve_upper_quantile(p, normal_cdf, normal_pdf);
}

double student_t_quantile(double p, double df) {
  check_probability(p);
  if (!(df > 0.0)) throw std::invalid_argument("Student t: df must be positive");
  if (p == 0.5) return 0.0;
  if (p < 0.5) return -student_t_quantile(1.0 - p, df);
  if (df >= kNormalDf) return normal_quantile(p);
  // Closed forms for one and two degrees of freedom.
  if (df == 1.0) return std::tan(std::numbers::pi * (p - 0.5));
  if (df == 2.0) return (2.0 * p - 1.0) / std::sqrt(2.0 * p * (1.0 - p));
  return solve_upper_quantile(
      p, [df](double t) { return student_t_cdf(t, df); },
      [df](double t) { return student_t_pdf(t, df); });
}

Interval mean_ci(std::span<const double> x, double level) {
  const double m = mean(x);
  if (x.size() < 2) return {m, kNaN, kNaN, x.size(), kNaN};
  const double df = static_cast<double>(x.size() - 1);
  const double se = sample_sd(x) / std::sqrt(static_cast<double>(x.size()));
  return centred(m, t_for_level(level, df) * se, x.size(), df);
}

Interval paired_difference_ci(std::span<const double> treated, std::span<const double> reference,
                              double level) {
  if (treated.size() != reference.size())
    throw std::invalid_argument("paired difference: samples differ in size");
  std::vector<double> d(treated.size());
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = treated[i] - reference[i];
  return mean_ci(d, level);
}

Interval welch_difference_ci(std::span<const double> treated, std::span<const double> reference,
                             double level) {
  const double diff = mean(treated) - mean(reference);
  const std::size_t n = treated.size() + reference.size();
  if (treated.size() < 2 || reference.size() < 2) return {diff, kNaN, kNaN, n, kNaN};
  const double nt = static_cast<double>(treated.size());
  const double nr = static_cast<double>(reference.size());
  const double vt = std::pow(sample_sd(treated), 2) / nt;
  const double vr = std::pow(sample_sd(reference), 2) / nr;
  const double se = std::sqrt(vt + vr);
  // Both samples constant: no spread, and the Welch-Satterthwaite ratio is 0/0.
  if (se == 0.0) return centred(diff, 0.0, n, nt + nr - 2.0);
  const double df = (vt + vr) * (vt + vr) / (vt * vt / (nt - 1.0) + vr * vr / (nr - 1.0));
  return centred(diff, t_for_level(level, df) * se, n, df);
}

}  // namespace analysis
