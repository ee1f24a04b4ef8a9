#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace analysis {
namespace {

// Beyond this many degrees of freedom the t distribution is the normal one to double precision
// in the quantiles used here (Welch's df can be huge when one sample has no spread).
constexpr double kNormalDf = 1e8;

// Boost.Math raises domain and overflow errors as exceptions; the callers check their inputs
// first, so any that remains is a bug, and the exception says where.
using boost::math::normal_distribution;
using boost::math::students_t_distribution;

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
  if (df >= kNormalDf) return boost::math::cdf(normal_distribution<double>(), t);
  return boost::math::cdf(students_t_distribution<double>(df), t);
}

double normal_quantile(double p) {
  check_probability(p);
  return boost::math::quantile(normal_distribution<double>(), p);
}

double student_t_quantile(double p, double df) {
  check_probability(p);
  if (!(df > 0.0)) throw std::invalid_argument("Student t: df must be positive");
  if (df >= kNormalDf) return normal_quantile(p);
  return boost::math::quantile(students_t_distribution<double>(df), p);
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
  // Non-finite values (or variances beyond double's range) leave no usable degrees of freedom.
  if (!std::isfinite(se) || !(df > 0.0)) return {diff, kNaN, kNaN, n, kNaN};
  return centred(diff, t_for_level(level, df) * se, n, df);
}

double two_sided_p(const Interval& i, double level) {
  if (!i.has_interval()) return kNaN;
  const double half = i.half_width();
  if (half == 0.0) return i.estimate == 0.0 ? 1.0 : 0.0;
  const double se = half / t_for_level(level, i.df);
  return 2.0 * student_t_cdf(-std::fabs(i.estimate) / se, i.df);
}

std::vector<double> adjusted_p_values(std::span<const double> p, Adjustment how) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return p[a] < p[b]; });
  const double m = static_cast<double>(order.size());
  std::vector<double> out(p.size(), kNaN);
  if (how == Adjustment::kHolm) {
    // The k-th smallest (from 0) times m - k, kept non-decreasing.
    double running = 0.0;
    for (std::size_t k = 0; k < order.size(); ++k) {
      running = std::max(running, std::min(1.0, (m - static_cast<double>(k)) * p[order[k]]));
      out[order[k]] = running;
    }
  } else {
    // The k-th smallest (from 1) times m / k, kept non-increasing from the largest down.
    double running = 1.0;
    for (std::size_t k = order.size(); k-- > 0;) {
      running = std::min(running, m / static_cast<double>(k + 1) * p[order[k]]);
      out[order[k]] = running;
    }
  }
  return out;
}

double quantile(std::span<const double> x, double q) {
  if (x.empty()) throw std::invalid_argument("quantile of no values");
  if (!(q >= 0.0 && q <= 1.0)) throw std::invalid_argument("quantile: q must be in [0, 1]");
  std::vector<double> v(x.begin(), x.end());
  std::sort(v.begin(), v.end());
  const double h = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace analysis
