#include "analysis/prim.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <boost/math/distributions/binomial.hpp>

namespace analysis {
namespace {

struct Box {
  std::vector<std::size_t> in;  // indices of the points inside
  std::size_t cases = 0;
};

std::size_t count_cases(const std::vector<std::size_t>& in, const std::vector<bool>& is_case) {
  return static_cast<std::size_t>(
      std::count_if(in.begin(), in.end(), [&](std::size_t i) { return is_case[i]; }));
}

// The box without its `k` lowest (or highest) points along `dim`; points tied with the last one
// peeled go too, so that the box stays a box. Empty when that would peel every point.
Box peel(const Box& box, const std::vector<std::vector<double>>& x,
         const std::vector<bool>& is_case, std::size_t dim, bool lower, std::size_t k) {
  std::vector<double> v;
  for (std::size_t i : box.in) v.push_back(x[i][dim]);
  std::sort(v.begin(), v.end());
  const double cut = lower ? v[k - 1] : v[v.size() - k];
  Box out;
  for (std::size_t i : box.in)
    if (lower ? x[i][dim] > cut : x[i][dim] < cut) out.in.push_back(i);
  out.cases = count_cases(out.in, is_case);
  return out;
}

double density(const Box& b) {
  return static_cast<double>(b.cases) / static_cast<double>(b.in.size());
}

struct Range {
  std::vector<double> low, high;  // per dimension, over every point
};

Range data_range(const std::vector<std::vector<double>>& x) {
  const std::size_t k = x.front().size();
  Range r{std::vector<double>(k, INFINITY), std::vector<double>(k, -INFINITY)};
  for (const auto& p : x) {
    for (std::size_t j = 0; j < k; ++j) {
      r.low[j] = std::min(r.low[j], p[j]);
      r.high[j] = std::max(r.high[j], p[j]);
    }
  }
  return r;
}

PrimBox describe(const Box& b, const std::vector<std::vector<double>>& x, const Range& all,
                 std::size_t total_cases, std::size_t peels) {
  const std::size_t k = all.low.size();
  PrimBox out;
  out.low.assign(k, INFINITY);
  out.high.assign(k, -INFINITY);
  for (std::size_t i : b.in) {
    for (std::size_t j = 0; j < k; ++j) {
      out.low[j] = std::min(out.low[j], x[i][j]);
      out.high[j] = std::max(out.high[j], x[i][j]);
    }
  }
  for (std::size_t j = 0; j < k; ++j)
    out.restricted.push_back(out.low[j] > all.low[j] || out.high[j] < all.high[j]);
  out.points = b.in.size();
  out.cases = b.cases;
  out.coverage = static_cast<double>(b.cases) / static_cast<double>(total_cases);
  out.density = density(b);
  out.support = static_cast<double>(b.in.size()) / static_cast<double>(x.size());
  out.peels = peels;
  return out;
}

// Points and cases inside the limits, ignoring dimension `skip` (none when out of range).
std::pair<std::size_t, std::size_t> inside(const std::vector<std::vector<double>>& x,
                                           const std::vector<bool>& is_case, const PrimBox& box,
                                           std::size_t skip) {
  std::size_t points = 0, cases = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    bool in = true;
    for (std::size_t j = 0; j < x[i].size() && in; ++j)
      in = j == skip || (x[i][j] >= box.low[j] && x[i][j] <= box.high[j]);
    if (!in) continue;
    ++points;
    cases += is_case[i];
  }
  return {points, cases};
}

// P(X >= cases) for X ~ Binomial(points, p0): how surprising the box's cases are if the limit
// being tested did nothing.
double upper_tail(std::size_t cases, std::size_t points, double p0) {
  if (cases == 0) return 1.0;
  if (p0 >= 1.0) return 1.0;
  if (p0 <= 0.0) return 0.0;
  const boost::math::binomial_distribution<double> b(static_cast<double>(points), p0);
  return boost::math::cdf(boost::math::complement(b, static_cast<double>(cases - 1)));
}

// Lifts the least significant limit while any has a quasi-p-value above the threshold.
void prune(PrimBox& box, const std::vector<std::vector<double>>& x,
           const std::vector<bool>& is_case, const Range& all, double max_quasi_p) {
  const std::size_t k = all.low.size();
  for (;;) {
    box.quasi_p.assign(k, std::numeric_limits<double>::quiet_NaN());
    std::size_t worst = k;
    for (std::size_t j = 0; j < k; ++j) {
      if (!box.restricted[j]) continue;
      const auto [points, cases] = inside(x, is_case, box, j);
      box.quasi_p[j] = upper_tail(box.cases, box.points,
                                  static_cast<double>(cases) / static_cast<double>(points));
      if (box.quasi_p[j] > max_quasi_p && (worst == k || box.quasi_p[j] > box.quasi_p[worst]))
        worst = j;
    }
    if (worst == k) return;
    box.low[worst] = all.low[worst];
    box.high[worst] = all.high[worst];
    box.restricted[worst] = false;
    std::tie(box.points, box.cases) = inside(x, is_case, box, k);
  }
}

}  // namespace

PrimBox prim(const std::vector<std::vector<double>>& x, const std::vector<bool>& is_case,
             const PrimOptions& options) {
  if (x.size() != is_case.size()) throw std::invalid_argument("prim: points and flags differ");
  if (x.empty() || x.front().empty()) throw std::invalid_argument("prim: no points");
  const std::size_t k = x.front().size();
  for (const auto& p : x)
    if (p.size() != k) throw std::invalid_argument("prim: points of different dimensions");
  Box box;
  for (std::size_t i = 0; i < x.size(); ++i) box.in.push_back(i);
  box.cases = count_cases(box.in, is_case);
  if (box.cases == 0) throw std::invalid_argument("prim: no case to find a box for");
  const std::size_t total_cases = box.cases;
  const auto min_points = static_cast<std::size_t>(
      std::max(2.0, std::ceil(options.min_support * static_cast<double>(x.size()))));

  const Range all = data_range(x);
  PrimBox best = describe(box, x, all, total_cases, 0);
  best.base_density = best.density;
  for (std::size_t step = 1;; ++step) {
    const auto n = static_cast<double>(box.in.size());
    const auto k_peel = static_cast<std::size_t>(std::max(1.0, std::floor(options.peel_alpha * n)));
    Box next;
    for (std::size_t dim = 0; dim < k; ++dim) {
      for (const bool lower : {true, false}) {
        Box candidate = peel(box, x, is_case, dim, lower, k_peel);
        if (candidate.in.size() < min_points) continue;
        const bool better =
            next.in.empty() || density(candidate) > density(next) ||
            (density(candidate) == density(next) && candidate.in.size() > next.in.size());
        if (better) next = std::move(candidate);
      }
    }
    if (next.in.empty() || next.cases == 0) break;
    box = std::move(next);
    const double coverage = static_cast<double>(box.cases) / static_cast<double>(total_cases);
    if (coverage >= options.min_coverage && density(box) > best.density) {
      const double base = best.base_density;
      best = describe(box, x, all, total_cases, step);
      best.base_density = base;
    }
  }
  prune(best, x, is_case, all, options.max_quasi_p);
  const auto total = static_cast<double>(total_cases);
  best.coverage = static_cast<double>(best.cases) / total;
  best.density = static_cast<double>(best.cases) / static_cast<double>(best.points);
  best.support = static_cast<double>(best.points) / static_cast<double>(x.size());
  return best;
}

}  // namespace analysis
