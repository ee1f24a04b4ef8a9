#pragma once
// Counter-based random streams. A stream is a pure function of (seed, purpose, entity, time):
// the same four numbers give the same draws on any thread, in any order, which makes results
// independent of the thread count, and lets two policies run with one seed share their random
// world (common random numbers) for every draw their choices have not made different.
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <numbers>

namespace sim {

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t entity, std::uint64_t time)
      : key_{{seed, purpose}}, ctr_{{entity, time, 0, 0}} {}

  std::uint64_t next_u64() {
    if (used_ == 4) refill();
    return block_.v[used_++];
  }
  // Uniform on (0, 1): never 0, so log(u) is finite.
  double uniform() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }
  bool bernoulli(double p) { return uniform() < p; }
  // Uniform integer in [0, n) by multiply-shift (bias below 2^-64 * n, negligible here).
  std::uint64_t below(std::uint64_t n) {
    __extension__ using u128 = unsigned __int128;  // GCC/Clang builtin; pedantic-clean
    return static_cast<std::uint64_t>((static_cast<u128>(next_u64()) * n) >> 64);
  }
  double exponential(double rate) { return -std::log(uniform()) / rate; }
  double normal() {
    // Box-Muller; the second variate is dropped so each call consumes a fixed number of draws.
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  // Log-normal with the given mean and coefficient of variation (not the log-scale parameters).
  double lognormal_mean_cv(double mean, double cv) {
    if (cv <= 0.0) return mean;
    const double s2 = std::log1p(cv * cv);
    return mean * std::exp(std::sqrt(s2) * normal() - 0.5 * s2);
  }
  std::uint64_t poisson(double mean);

 private:
  void refill() {
    block_ = gen_(ctr_, key_);
    ++ctr_.v[2];
    used_ = 0;
  }

  r123::Philox4x64 gen_;
  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type ctr_;
  r123::Philox4x64::ctr_type block_{};
  unsigned used_ = 4;
};

// Poisson by inversion for small means and Hormann's PTRS (transformed rejection with squeeze,
// 1993) for large ones: exact in distribution, a bounded expected number of draws.
inline std::uint64_t RandomStream::poisson(double mean) {
  if (!(mean > 0.0)) return 0;
  if (mean < 12.0) {
    const double limit = std::exp(-mean);
    double p = uniform();
    std::uint64_t k = 0;
    while (p > limit) {
      p *= uniform();
      ++k;
    }
    return k;
  }
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform() - 0.5;
    const double v = uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    const double lhs = std::log(v * inv_alpha / (a / (us * us) + b));
    const double rhs = -mean + k * loglam - std::lgamma(k + 1.0);
    if (lhs <= rhs) return static_cast<std::uint64_t>(k);
  }
}

// Mixes a 64-bit value (splitmix64 finaliser); used to derive keys from several integers.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace sim
