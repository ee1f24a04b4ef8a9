// Where a sweep's points and the runs' seeds come from: Latin hypercube strata, Saltelli's
// scrambled Sobol' blocks, Morris trajectories, grids, designs read from a file, distributions'
// quantiles, and the seed of each replicate, all derived from the experiment's seed.
#include "sim/experiment/experiment_spec.hpp"
#include "sim/experiment/experiment_spec_detail.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <iterator>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace sim {
namespace experiment_detail {

std::size_t sample_count(const ExperimentSpec& spec) {
  if (spec.sweep_method == "lhs" || spec.sweep_method == "uncertainty")
    return static_cast<std::size_t>(spec.lhs_samples);
  if (spec.sweep_method == "saltelli") {
    const std::size_t blocks = (spec.saltelli_second_order ? 2 : 1) * spec.sweep.size() + 2;
    return static_cast<std::size_t>(spec.saltelli_samples) * blocks;
  }
  if (spec.sweep_method == "morris") {
    return static_cast<std::size_t>(spec.morris_trajectories) * (spec.sweep.size() + 1);
  }
  if (spec.sweep_method == "design") return spec.design_rows.size();
  std::size_t n = 1;
  for (const SweepParameter& p : spec.sweep) {
    // Saturate: the caller only compares with a limit.
    n = n > kMaxRuns ? n : n * p.values.size();
  }
  return n;
}

}  // namespace experiment_detail

namespace {

using namespace experiment_detail;  // NOLINT(google-build-using-namespace): this file's own

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// splitmix64's output function: a bijection that scatters nearby inputs.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A splitmix64 stream, written out so that the sweep design is identical everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return mix(state_ += kGolden); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::size_t below(std::size_t n) {
    return std::min(n - 1, static_cast<std::size_t>(uniform() * static_cast<double>(n)));
  }

 private:
  std::uint64_t state_;
};

// Primitive polynomials and initial direction numbers of Sobol' sequences, dimensions 2 to
// 2 x kMaxSaltelliParameters, from S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
// two-dimensional projections", SIAM J. Sci. Comput. 30 (2008) 2635-2654, file
// new-joe-kuo-6.21201 (https://web.maths.unsw.edu.au/~fkuo/sobol/): the degree s, the interior
// coefficients a of the polynomial, and m_1 .. m_s. Dimension 1 is van der Corput's sequence.
// Their licence, which asks that this notice stay with the numbers:
//
// Copyright (c) 2008, Frances Y. Kuo and Stephen Joe
// All rights reserved.
//
// Redistribution and use in source and binary forms, with or without
// modification, are permitted provided that the following conditions are met:
//
//     * Redistributions of source code must retain the above copyright
//       notice, this list of conditions and the following disclaimer.
//
//     * Redistributions in binary form must reproduce the above copyright
//       notice, this list of conditions and the following disclaimer in the
//       documentation and/or other materials provided with the distribution.
//
//     * Neither the names of the copyright holders nor the names of the
//       University of New South Wales and the University of Waikato
//       and its contributors may be used to endorse or promote products derived
//       from this software without specific prior written permission.
//
// THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS ``AS IS'' AND ANY
// EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
// WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
// DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDERS BE LIABLE FOR ANY
// DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES
// (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
// LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND
// ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
// (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
// SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
struct SobolPolynomial {
  unsigned degree;
  std::uint64_t coefficients;
  std::array<std::uint64_t, 10> m;
};

constexpr SobolPolynomial kSobolPolynomials[] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},
    {7, 50, {1, 3, 1, 3, 5, 53, 69}},
    {7, 55, {1, 1, 5, 5, 23, 33, 13}},
    {7, 56, {1, 1, 7, 7, 1, 61, 123}},
    {7, 59, {1, 1, 7, 9, 13, 61, 49}},
    {7, 62, {1, 3, 3, 5, 3, 55, 33}},
    {8, 14, {1, 3, 1, 15, 31, 13, 49, 245}},
    {8, 21, {1, 3, 5, 15, 31, 59, 63, 97}},
    {8, 22, {1, 3, 1, 11, 11, 11, 77, 249}},
    {8, 38, {1, 3, 1, 11, 27, 43, 71, 9}},
    {8, 47, {1, 1, 7, 15, 21, 11, 81, 45}},
    {8, 49, {1, 3, 7, 3, 25, 31, 65, 79}},
    {8, 50, {1, 3, 1, 1, 19, 11, 3, 205}},
    {8, 52, {1, 1, 5, 9, 19, 21, 29, 157}},
    {8, 56, {1, 3, 7, 11, 1, 33, 89, 185}},
    {8, 67, {1, 3, 3, 3, 15, 9, 79, 71}},
    {8, 70, {1, 3, 7, 11, 15, 39, 119, 27}},
    {8, 84, {1, 1, 3, 1, 11, 31, 97, 225}},
    {8, 97, {1, 1, 1, 3, 23, 43, 57, 177}},
    {8, 103, {1, 3, 7, 7, 17, 17, 37, 71}},
    {8, 115, {1, 3, 1, 5, 27, 63, 123, 213}},
    {8, 122, {1, 1, 3, 5, 11, 43, 53, 133}},
    {9, 8, {1, 3, 5, 5, 29, 17, 47, 173, 479}},
    {9, 13, {1, 3, 3, 11, 3, 1, 109, 9, 69}},
    {9, 16, {1, 1, 1, 5, 17, 39, 23, 5, 343}},
    {9, 22, {1, 3, 1, 5, 25, 15, 31, 103, 499}},
    {9, 25, {1, 1, 1, 11, 11, 17, 63, 105, 183}},
    {9, 44, {1, 1, 5, 11, 9, 29, 97, 231, 363}},
    {9, 47, {1, 1, 5, 15, 19, 45, 41, 7, 383}},
    {9, 52, {1, 3, 7, 7, 31, 19, 83, 137, 221}},
    {9, 55, {1, 1, 1, 3, 23, 15, 111, 223, 83}},
    {9, 59, {1, 1, 5, 13, 31, 15, 55, 25, 161}},
    {9, 62, {1, 1, 3, 13, 25, 47, 39, 87, 257}},
    {9, 67, {1, 1, 1, 11, 21, 53, 125, 249, 293}},
    {9, 74, {1, 1, 7, 11, 11, 7, 57, 79, 323}},
    {9, 81, {1, 1, 5, 5, 17, 13, 81, 3, 131}},
    {9, 82, {1, 1, 7, 13, 23, 7, 65, 251, 475}},
    {9, 87, {1, 3, 5, 1, 9, 43, 3, 149, 11}},
    {9, 91, {1, 1, 3, 13, 31, 13, 13, 255, 487}},
    {9, 94, {1, 3, 3, 1, 5, 63, 89, 91, 127}},
    {9, 103, {1, 1, 3, 3, 1, 19, 123, 127, 237}},
    {9, 104, {1, 1, 5, 7, 23, 31, 37, 243, 289}},
    {9, 109, {1, 1, 5, 11, 17, 53, 117, 183, 491}},
    {9, 122, {1, 1, 1, 5, 1, 13, 13, 209, 345}},
    {9, 124, {1, 1, 3, 15, 1, 57, 115, 7, 33}},
    {9, 137, {1, 3, 1, 11, 7, 43, 81, 207, 175}},
    {9, 138, {1, 3, 1, 1, 15, 27, 63, 255, 49}},
    {9, 143, {1, 3, 5, 3, 27, 61, 105, 171, 305}},
    {9, 145, {1, 1, 5, 3, 1, 3, 57, 249, 149}},
    {9, 152, {1, 1, 3, 5, 5, 57, 15, 13, 159}},
    {9, 157, {1, 1, 1, 11, 7, 11, 105, 141, 225}},
    {9, 167, {1, 3, 3, 5, 27, 59, 121, 101, 271}},
    {9, 173, {1, 3, 5, 9, 11, 49, 51, 59, 115}},
    {9, 176, {1, 1, 7, 1, 23, 45, 125, 71, 419}},
    {9, 181, {1, 1, 3, 5, 23, 5, 105, 109, 75}},
    {9, 182, {1, 1, 7, 15, 7, 11, 67, 121, 453}},
    {9, 185, {1, 3, 7, 3, 9, 13, 31, 27, 449}},
    {9, 191, {1, 3, 1, 15, 19, 39, 39, 89, 15}},
    {9, 194, {1, 1, 1, 1, 1, 33, 73, 145, 379}},
    {9, 199, {1, 3, 1, 15, 15, 43, 29, 13, 483}},
    {9, 218, {1, 1, 7, 3, 19, 27, 85, 131, 431}},
    {9, 220, {1, 3, 3, 3, 5, 35, 23, 195, 349}},
    {9, 227, {1, 3, 3, 7, 9, 27, 39, 59, 297}},
    {9, 229, {1, 1, 3, 9, 11, 17, 13, 241, 157}},
    {9, 230, {1, 3, 7, 15, 25, 57, 33, 189, 213}},
    {9, 234, {1, 1, 7, 1, 9, 55, 73, 83, 217}},
    {9, 236, {1, 3, 3, 13, 19, 27, 23, 113, 249}},
    {9, 241, {1, 3, 5, 3, 23, 43, 3, 253, 479}},
    {9, 244, {1, 1, 5, 5, 11, 5, 45, 117, 217}},
    {9, 253, {1, 3, 3, 7, 29, 37, 33, 123, 147}},
    {10, 4, {1, 3, 1, 15, 5, 5, 37, 227, 223, 459}},
    {10, 13, {1, 1, 7, 5, 5, 39, 63, 255, 135, 487}},
    {10, 19, {1, 3, 1, 7, 9, 7, 87, 249, 217, 599}},
    {10, 22, {1, 1, 3, 13, 9, 47, 7, 225, 363, 247}},
    {10, 50, {1, 3, 7, 13, 19, 13, 9, 67, 9, 737}},
    {10, 55, {1, 3, 5, 5, 19, 59, 7, 41, 319, 677}},
    {10, 64, {1, 1, 5, 3, 31, 63, 15, 43, 207, 789}},
    {10, 69, {1, 1, 7, 9, 13, 39, 3, 47, 497, 169}},
    {10, 98, {1, 3, 1, 7, 21, 17, 97, 19, 415, 905}},
    {10, 107, {1, 3, 7, 1, 3, 31, 71, 111, 165, 127}},
    {10, 115, {1, 1, 5, 11, 1, 61, 83, 119, 203, 847}},
    {10, 121, {1, 3, 3, 13, 9, 61, 19, 97, 47, 35}},
    {10, 127, {1, 1, 7, 7, 15, 29, 63, 95, 417, 469}},
    {10, 134, {1, 3, 1, 9, 25, 9, 71, 57, 213, 385}},
    {10, 140, {1, 3, 5, 13, 31, 47, 101, 57, 39, 341}},
    {10, 145, {1, 1, 3, 3, 31, 57, 125, 173, 365, 551}},
    {10, 152, {1, 3, 7, 1, 13, 57, 67, 157, 451, 707}},
    {10, 158, {1, 1, 1, 7, 21, 13, 105, 89, 429, 965}},
    {10, 161, {1, 1, 5, 9, 17, 51, 45, 119, 157, 141}},
    {10, 171, {1, 3, 7, 7, 13, 45, 91, 9, 129, 741}},
    {10, 181, {1, 3, 7, 1, 23, 57, 67, 141, 151, 571}},
    {10, 194, {1, 1, 3, 11, 17, 47, 93, 107, 375, 157}},
    {10, 199, {1, 3, 3, 5, 11, 21, 43, 51, 169, 915}},
    {10, 203, {1, 1, 5, 3, 15, 55, 101, 67, 455, 625}},
    {10, 208, {1, 3, 5, 9, 1, 23, 29, 47, 345, 595}},
    {10, 227, {1, 3, 7, 7, 5, 49, 29, 155, 323, 589}},
    {10, 242, {1, 3, 3, 7, 5, 41, 127, 61, 261, 717}},
};
static_assert(std::size(kSobolPolynomials) + 1 == 2 * kMaxSaltelliParameters);

// Direction numbers per dimension: 2^32 points, far more than kMaxSamples * (k + 2).
constexpr unsigned kSobolBits = 32;
using Directions = std::array<std::uint64_t, kSobolBits>;

// Dimension d's direction numbers v_1 .. v_32 as 64-bit binary fractions (Bratley and Fox's
// recurrence m_i = 2 a_1 m_{i-1} ^ ... ^ 2^(s-1) a_(s-1) m_(i-s+1) ^ 2^s m_(i-s) ^ m_(i-s)).
Directions sobol_directions(std::size_t d) {
  Directions v{};
  if (d == 0) {
    for (unsigned i = 0; i < kSobolBits; ++i) v[i] = std::uint64_t{1} << (63 - i);
    return v;
  }
  const SobolPolynomial& p = kSobolPolynomials[d - 1];
  const unsigned s = p.degree;
  for (unsigned i = 0; i < s; ++i) v[i] = p.m[i] << (63 - i);
  for (unsigned i = s; i < kSobolBits; ++i) {
    v[i] = v[i - s] ^ (v[i - s] >> s);
    for (unsigned l = 1; l < s; ++l) {
      if ((p.coefficients >> (s - 1 - l)) & 1) v[i] ^= v[i - l];
    }
  }
  return v;
}

// A Sobol' sequence randomised by Matousek's linear matrix scramble and a digital shift. The
// scramble multiplies each dimension's direction numbers by a random lower-triangular binary
// matrix with unit diagonal (each output bit is its own bit xor a random choice of the bits above
// it), which keeps the points' stratification; the shift (a random xor) makes every point
// uniform on [0, 1), so the estimates are unbiased and the first point is not the origin.
class ScrambledSobol {
 public:
  ScrambledSobol(std::size_t dims, SplitMix64& rng) : directions_(dims), point_(dims) {
    for (std::size_t d = 0; d < dims; ++d) {
      std::array<std::uint64_t, 64> rows{};
      for (unsigned i = 0; i < 64; ++i) {
        const std::uint64_t own = std::uint64_t{1} << (63 - i);
        const std::uint64_t above = ~((own << 1) - 1);  // 0 for the top bit (unsigned wrap)
        rows[i] = own | (rng.next() & above);
      }
      const Directions v = sobol_directions(d);
      for (unsigned j = 0; j < kSobolBits; ++j) {
        std::uint64_t scrambled = 0;
        for (unsigned i = 0; i < 64; ++i) {
          if (std::popcount(rows[i] & v[j]) % 2 == 1) scrambled |= std::uint64_t{1} << (63 - i);
        }
        directions_[d][j] = scrambled;
      }
      point_[d] = rng.next();  // the shift: point 0 is the scrambled origin, 0, xor the shift
    }
  }

  // Coordinate d of the current point, in [0, 1).
  double coordinate(std::size_t d) const {
    return static_cast<double>(point_[d] >> 11) * 0x1.0p-53;
  }

  // To the next point, in Gray-code order (Antonov and Saleev): point n differs from point n - 1
  // by the direction number of the lowest zero bit of n - 1.
  void advance() {
    const auto bit = static_cast<std::size_t>(std::countr_one(index_));
    for (std::size_t d = 0; d < point_.size(); ++d) point_[d] ^= directions_[d][bit];
    ++index_;
  }

 private:
  std::vector<Directions> directions_;
  std::vector<std::uint64_t> point_;
  std::uint64_t index_ = 0;
};

std::vector<ParameterPoint> saltelli_points(const ExperimentSpec& spec) {
  const std::size_t n = static_cast<std::size_t>(spec.saltelli_samples);
  const std::size_t k = spec.sweep.size();
  if (k > kMaxSaltelliParameters) {
    throw std::invalid_argument("saltelli design: more than " +
                                std::to_string(kMaxSaltelliParameters) + " parameters");
  }
  // "SALTELLI": a stream apart from the run seeds and the LHS design.
  SplitMix64 rng(mix(spec.seed ^ 0x53414C54454C4C49ull));
  ScrambledSobol sobol(2 * k, rng);
  std::vector<double> a(n * k), b(n * k);  // row-major: row j, parameter i at j * k + i
  for (std::size_t j = 0; j < n; ++j, sobol.advance()) {
    for (std::size_t i = 0; i < k; ++i) {
      a[j * k + i] = spec.sweep[i].quantile(sobol.coordinate(i));
      b[j * k + i] = spec.sweep[i].quantile(sobol.coordinate(k + i));
    }
  }
  std::vector<ParameterPoint> points;
  const std::size_t blocks = (spec.saltelli_second_order ? 2 * k : k) + 2;
  points.reserve(n * blocks);
  for (std::size_t block = 0; block < blocks; ++block) {
    for (std::size_t j = 0; j < n; ++j) {
      ParameterPoint& point = points.emplace_back();
      point.reserve(k);
      for (std::size_t i = 0; i < k; ++i) {
        // Block 0 is A, block 1 is B, block 2 + i is AB_i: A with column i from B; block
        // 2 + k + i is BA_i: B with column i from A.
        const bool from_b = block < k + 2 ? block == 1 || block == i + 2 : block != k + 2 + i;
        point.emplace_back(spec.sweep[i].key_path, (from_b ? b : a)[j * k + i]);
      }
    }
  }
  return points;
}

std::vector<ParameterPoint> morris_points(const ExperimentSpec& spec) {
  const std::size_t k = spec.sweep.size();
  const auto levels = static_cast<std::size_t>(spec.morris_levels);
  const std::size_t jump = levels / 2;  // delta in grid steps: p / (2(p - 1)) of the range
  const double step = 1.0 / static_cast<double>(levels - 1);
  // "MORRIS__": a stream apart from the run seeds and the other designs.
  SplitMix64 rng(mix(spec.seed ^ 0x4D4F525249535F5Full));
  std::vector<ParameterPoint> points;
  points.reserve(static_cast<std::size_t>(spec.morris_trajectories) * (k + 1));
  const auto point_at = [&](const std::vector<std::size_t>& grid) {
    ParameterPoint point;
    point.reserve(k);
    for (std::size_t i = 0; i < k; ++i)
      point.emplace_back(spec.sweep[i].key_path,
                         spec.sweep[i].quantile(static_cast<double>(grid[i]) * step));
    return point;
  };
  for (int t = 0; t < spec.morris_trajectories; ++t) {
    std::vector<std::size_t> grid(k);
    for (auto& g : grid) g = rng.below(levels);
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = k; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    points.push_back(point_at(grid));
    for (const std::size_t i : order) {
      // Up from the lower half of the grid, down from the upper half: always inside the range.
      grid[i] = grid[i] < jump ? grid[i] + jump : grid[i] - jump;
      points.push_back(point_at(grid));
    }
  }
  return points;
}

}  // namespace

std::vector<ParameterPoint> sweep_points(const ExperimentSpec& spec) {
  if (spec.sweep_method == "none") return {ParameterPoint{}};
  const std::size_t n = sample_count(spec);
  std::vector<ParameterPoint> points(n);
  if (spec.sweep_method == "lhs" || spec.sweep_method == "uncertainty") {
    SplitMix64 rng(mix(spec.seed ^ 0x4C48535F44455349ull));  // "LHS_DESI": apart from run seeds
    for (const SweepParameter& p : spec.sweep) {
      std::vector<std::size_t> stratum(n);
      std::iota(stratum.begin(), stratum.end(), std::size_t{0});
      for (std::size_t i = n; i > 1; --i) std::swap(stratum[i - 1], stratum[rng.below(i)]);
      const double low = p.values[0];
      const double width = (p.values[1] - low) / static_cast<double>(n);
      for (std::size_t s = 0; s < n; ++s) {
        const double u = static_cast<double>(stratum[s]) + rng.uniform();
        const double v = p.distribution == "uniform" ? std::min(low + u * width, p.values[1])
                                                     : p.quantile(u / static_cast<double>(n));
        points[s].emplace_back(p.key_path, v);
      }
    }
    if (spec.posterior) {
      // "POSTERIO": its own stream, so adding an assumption does not change the rows drawn.
      SplitMix64 draw(mix(spec.seed ^ 0x504F53544552494Full));
      std::vector<std::size_t> rows =
          systematic_resample(spec.posterior->weights, n, draw.uniform());
      for (std::size_t i = n; i > 1; --i) std::swap(rows[i - 1], rows[draw.below(i)]);
      const auto& parameters = spec.posterior->calibration.parameters;
      for (std::size_t s = 0; s < n; ++s) {
        for (std::size_t k = 0; k < parameters.size(); ++k)
          points[s].emplace_back(parameters[k].key, spec.posterior->rows[rows[s]][k]);
      }
    }
    return points;
  }
  if (spec.sweep_method == "saltelli") return saltelli_points(spec);
  if (spec.sweep_method == "morris") return morris_points(spec);
  if (spec.sweep_method == "design") {
    for (std::size_t s = 0; s < n; ++s) {
      for (std::size_t j = 0; j < spec.sweep.size(); ++j)
        points[s].emplace_back(spec.sweep[j].key_path, spec.design_rows[s][j]);
    }
    return points;
  }
  // grid: sample s in mixed radix, the last parameter varying fastest.
  for (std::size_t s = 0; s < n; ++s) {
    std::size_t rest = s;
    ParameterPoint& point = points[s];
    point.resize(spec.sweep.size());
    for (std::size_t j = spec.sweep.size(); j-- > 0;) {
      const std::vector<double>& values = spec.sweep[j].values;
      point[j] = {spec.sweep[j].key_path, values[rest % values.size()]};
      rest /= values.size();
    }
  }
  return points;
}

double SweepParameter::quantile(double u) const {
  if (distribution == "normal") {
    // Clamped an ulp-scale away from 0 and 1, where the normal's quantile is infinite.
    const double p = std::clamp(u, 1e-12, 1 - 1e-12);
    return boost::math::quantile(boost::math::normal(values[0], values[1]), p);
  }
  if (distribution == "triangular") {
    const double a = values[0], c = values[1], b = values[2];
    const double at_mode = (c - a) / (b - a);
    return u < at_mode ? a + std::sqrt(u * (b - a) * (c - a))
                       : b - std::sqrt((1 - u) * (b - a) * (b - c));
  }
  if (distribution == "discrete") {
    double total = 0;
    for (std::size_t i = 0; i < values.size(); ++i) total += weights.empty() ? 1.0 : weights[i];
    double cumulative = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      cumulative += weights.empty() ? 1.0 : weights[i];
      if (u * total < cumulative) return values[i];
    }
    return values.back();
  }
  return std::min(values[0] + u * (values[1] - values[0]), values[1]);
}

std::string SweepParameter::describe() const {
  const auto num = [](double v) { return config::format_number(v); };
  if (distribution == "normal")
    return "normal(mean " + num(values[0]) + ", sd " + num(values[1]) + ")";
  if (distribution == "triangular")
    return "triangular(low " + num(values[0]) + ", mode " + num(values[1]) + ", high " +
           num(values[2]) + ")";
  std::string list;
  for (std::size_t i = 0; i < values.size(); ++i) list += (i ? ", " : "") + num(values[i]);
  if (distribution == "discrete") {
    std::string w;
    for (std::size_t i = 0; i < weights.size(); ++i) w += (i ? ", " : "") + num(weights[i]);
    return "discrete(values " + list + (w.empty() ? "" : "; weights " + w) + ")";
  }
  return "uniform [" + list + "]";
}

std::uint64_t replicate_seed(std::uint64_t master, int replicate) {
  return mix(mix(master) + (static_cast<std::uint64_t>(replicate) + 1) * kGolden);
}

}  // namespace sim
