#include "sim/experiment/experiment_spec.hpp"

#include "sim/config/csv.hpp"
#include "sim/config/spec_input.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace sim {
namespace fs = std::filesystem;
using config::Document;
using config::join_path;

namespace {

using spec_input::canonical_of;
using spec_input::int_in_range;
using spec_input::missing;
using spec_input::read_file_text;
using spec_input::valid_name;

constexpr std::int64_t kMaxReplicates = 1'000'000;
constexpr std::int64_t kMaxDays = 1'000'000;
constexpr std::int64_t kMaxSamples = 1'000'000;
constexpr std::size_t kMaxRuns = 1'000'000;

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

// A file named in the experiment, relative to it; an error at the naming node when absent.
fs::path named_file(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  return spec_input::named_file(spec.file, node, path);
}

// An overlay file's own keys. A top-level `extends` (which lets the file run standalone) must name
// the experiment's base scenario: resolved, it would bring its own copy of a base and undo the
// experiment's one. It is dropped; the rest (`name` included) is the overlay.
Document overlay_file(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  const fs::path file = named_file(spec, node, path);
  Document own = Document::load_unresolved(file);
  if (!own.has("extends")) return own;
  const Document extends = own.child("extends");
  const fs::path target = (file.parent_path() / extends.as_string("extends")).lexically_normal();
  if (canonical_of(target) != canonical_of(spec.base_file)) {
    throw InputError(extends.location(), "extends",
                     "overlay of " + path + " extends " + target.string() +
                         ", but the experiment's base scenario is " + spec.base_file.string() +
                         "; an overlay file may only extend the experiment's base (or have no "
                         "extends)");
  }
  return own.without("extends");
}

// One overlay: an inline map (null for nothing) or an overlay file.
Document overlay_part(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  if (node.is_null()) return Document();
  if (node.is_map()) return node;
  if (node.is_scalar()) return overlay_file(spec, node, path);
  throw InputError(node.location(), path, "expected an overlay: a map or a file name");
}

Document policy_overlay(const ExperimentSpec& spec, const Document& node, const std::string& path) {
  if (!node.is_list()) return overlay_part(spec, node, path);
  Document overlay;
  const std::vector<Document> parts = node.as_list(path);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    overlay = overlay.merged(overlay_part(spec, parts[i], path + "[" + std::to_string(i) + "]"));
  }
  return overlay;
}

void read_policies(ExperimentSpec& spec, const Document& experiment) {
  if (!experiment.has("policies")) missing(experiment, "experiment", "policies");
  const Document policies = experiment.child("policies");
  if (!policies.is_map() || policies.empty()) {
    throw InputError(policies.location(), "experiment.policies",
                     "expected a map of at least one policy name to its overlay");
  }
  // Duplicate names are refused by the YAML reader, with the line of the first one.
  for (const std::string& name : policies.keys()) {
    const std::string path = "experiment.policies." + name;
    if (!valid_name(name)) {
      throw InputError(policies.key_location(name), path,
                       "policy names may only use letters, digits, '-' and '_'");
    }
    spec.policies.push_back({name, policy_overlay(spec, policies.child(name), path)});
  }
}

// `key: {distribution: D, ...}`: the numbers of D into p.values (and p.weights), checked.
void read_distribution(const ExperimentSpec& spec, const Document& node, const std::string& path,
                       SweepParameter& p) {
  if (spec.sweep_method != "lhs" && spec.sweep_method != "saltelli" &&
      spec.sweep_method != "uncertainty") {
    throw InputError(p.loc, path,
                     "distributions are drawn by methods lhs, saltelli and uncertainty; method " +
                         spec.sweep_method + " takes " +
                         (spec.sweep_method == "grid" ? "a list of values" : "[low, high]"));
  }
  if (!node.has("distribution")) missing(node, path, "distribution");
  p.distribution = node.child("distribution").as_string(path + ".distribution");
  const auto number = [&](const char* key) {
    if (!node.has(key)) missing(node, path, key, "distribution: " + p.distribution);
    const double v = node.child(key).as_double(path + "." + key);
    p.values.push_back(v);
    return v;
  };
  const auto fail = [&](const std::string& why) { throw InputError(p.loc, path, why); };
  if (p.distribution == "uniform") {
    config::check_known_keys(node, path, {"distribution", "low", "high"});
    if (!(number("low") < number("high"))) fail("expected low < high");
  } else if (p.distribution == "normal") {
    config::check_known_keys(node, path, {"distribution", "mean", "sd"});
    number("mean");
    if (!(number("sd") > 0)) fail("expected sd > 0");
  } else if (p.distribution == "triangular") {
    config::check_known_keys(node, path, {"distribution", "low", "mode", "high"});
    const double low = number("low"), mode = number("mode"), high = number("high");
    if (!(low <= mode && mode <= high && low < high))
      fail("expected low <= mode <= high, low < high");
  } else if (p.distribution == "discrete") {
    config::check_known_keys(node, path, {"distribution", "values", "weights"});
    if (!node.has("values")) missing(node, path, "values", "distribution: discrete");
    for (const Document& v : node.child("values").as_list(path + ".values"))
      p.values.push_back(v.as_double(path + ".values"));
    if (p.values.empty()) fail("expected at least one value");
    if (node.has("weights")) {
      double total = 0;
      for (const Document& w : node.child("weights").as_list(path + ".weights")) {
        p.weights.push_back(w.as_double(path + ".weights"));
        if (!(p.weights.back() >= 0)) fail("expected weights >= 0");
        total += p.weights.back();
      }
      if (p.weights.size() != p.values.size() || !(total > 0))
        fail("expected one weight per value, not all zero");
    }
  } else {
    throw InputError(
        node.location("distribution"), path + ".distribution",
        "expected one of: uniform, normal, triangular, discrete; got '" + p.distribution + "'");
  }
}

void read_sweep_parameter(ExperimentSpec& spec, const Document& parameters,
                          const std::string& key) {
  const std::string path = "experiment.sweep.parameters." + key;
  const Document node = parameters.child(key);
  SweepParameter p{key, {}, node.location(), "uniform", {}};
  if (node.is_map()) {
    read_distribution(spec, node, path, p);
    (void)spec.base.with_value(key, p.quantile(0.5), p.loc);
    spec.sweep.push_back(std::move(p));
    return;
  }
  for (const Document& v : node.as_list(path)) p.values.push_back(v.as_double(path));
  if (spec.sweep_method == "grid" && p.values.empty()) {
    throw InputError(p.loc, path, "expected a list of at least one value");
  }
  if (spec.sweep_method != "grid") {
    if (p.values.size() != 2) {
      throw InputError(p.loc, path, "expected [low, high] for method: " + spec.sweep_method);
    }
    if (!(p.values[0] < p.values[1])) {
      throw InputError(p.loc, path,
                       "expected low < high, got [" + config::format_number(p.values[0]) + ", " +
                           config::format_number(p.values[1]) + "]");
    }
  }
  // A malformed key path, or one through a scalar of the base scenario, fails here.
  (void)spec.base.with_value(key, p.values.front(), p.loc);
  spec.sweep.push_back(std::move(p));
}

void read_posterior(ExperimentSpec& spec, const Document& sweep) {
  const std::string path = "experiment.sweep.posterior";
  const Document node = sweep.child("posterior");
  if (!node.is_map()) throw InputError(node.location(), path, "expected a map");
  config::check_known_keys(node, path, {"calibration", "sample"});
  if (!node.has("calibration")) missing(node, path, "calibration");
  if (!node.has("sample")) missing(node, path, "sample");
  PosteriorSample posterior =
      load_posterior_sample(named_file(spec, node.child("calibration"), path + ".calibration"),
                            named_file(spec, node.child("sample"), path + ".sample"));
  // A multiplier is relative to the base it was fitted on: another base would scale other values.
  if (canonical_of(posterior.calibration.base_file) != canonical_of(spec.base_file)) {
    throw InputError(node.location("calibration"), path + ".calibration",
                     "the calibration's scenario is " + posterior.calibration.base_file.string() +
                         ", but the experiment's is " + spec.base_file.string() +
                         "; a posterior applies to the base it was fitted on");
  }
  for (const SweepParameter& p : spec.sweep) {
    for (const CalibrationParameter& c : posterior.calibration.parameters) {
      if (p.key_path == c.key) {
        throw InputError(p.loc, "experiment.sweep.parameters." + p.key_path,
                         "also a parameter of the posterior; draw it from one or the other");
      }
    }
  }
  spec.posterior = std::move(posterior);
}

// A user's design: a CSV file whose header names the key paths and whose rows are the points
// (finite numbers; errors at the file's line and column). Nothing else is read from the sweep.
void read_design(ExperimentSpec& spec, const Document& sweep) {
  spec.sweep_method = "design";
  for (const char* other : {"samples", "levels", "parameters", "posterior"}) {
    if (sweep.has(other)) {
      throw InputError(sweep.key_location(other), std::string("experiment.sweep.") + other,
                       std::string(other) +
                           " is not used by method design: the file's header "
                           "names the parameters and its rows are the points");
    }
  }
  if (!sweep.has("file")) missing(sweep, "experiment.sweep", "file", "method: design");
  spec.design_file = named_file(spec, sweep.child("file"), "experiment.sweep.file");
  const CsvTable table = CsvTable::load(spec.design_file);
  const SourceLoc at = sweep.location("file");
  for (const std::string& key : table.header()) {
    if (key.empty())
      throw InputError({table.file(), 1, 0}, "", "an empty column name (a scenario key path)");
    spec.sweep.push_back({key, {}, at, "uniform", {}});
  }
  if (table.rows() == 0 || table.rows() > static_cast<std::size_t>(kMaxSamples)) {
    throw InputError({table.file(), 0, 0}, "",
                     "expected 1 to " + std::to_string(kMaxSamples) + " rows of points, got " +
                         std::to_string(table.rows()));
  }
  for (std::size_t r = 0; r < table.rows(); ++r) {
    std::vector<double>& row = spec.design_rows.emplace_back();
    for (std::size_t c = 0; c < table.columns(); ++c) {
      row.push_back(table.number(r, c));
      if (!std::isfinite(row.back()))
        throw InputError({table.file(), table.line(r), 0}, table.header()[c],
                         "expected a finite number, got '" + table.text(r, c) + "'");
    }
  }
}

void read_sweep(ExperimentSpec& spec, const Document& experiment) {
  const Document sweep = experiment.child("sweep");
  if (!sweep.is_map()) throw InputError(sweep.location(), "experiment.sweep", "expected a map");
  config::check_known_keys(
      sweep, "experiment.sweep",
      {"method", "samples", "levels", "second_order", "file", "parameters", "posterior"});
  if (!sweep.has("method")) missing(sweep, "experiment.sweep", "method");
  const std::string method = sweep.child("method").as_string("experiment.sweep.method");
  if (method != "grid" && method != "lhs" && method != "saltelli" && method != "morris" &&
      method != "uncertainty" && method != "design") {
    throw InputError(
        sweep.location("method"), "experiment.sweep.method",
        "expected one of: grid, lhs, saltelli, morris, uncertainty, design; got '" + method + "'");
  }
  if (method == "design") {
    read_design(spec, sweep);
    return;
  }
  if (sweep.has("file")) {
    throw InputError(sweep.key_location("file"), "experiment.sweep.file",
                     "file is only used by method design");
  }
  if (sweep.has("second_order")) {
    if (method != "saltelli") {
      throw InputError(sweep.key_location("second_order"), "experiment.sweep.second_order",
                       "second_order is only used by method saltelli");
    }
    const std::string flag = sweep.child("second_order").as_string("experiment.sweep.second_order");
    if (flag != "true" && flag != "false") {
      throw InputError(sweep.location("second_order"), "experiment.sweep.second_order",
                       "expected true or false, got '" + flag + "'");
    }
    spec.saltelli_second_order = flag == "true";
  }
  if (sweep.has("levels")) {
    if (method != "morris") {
      throw InputError(sweep.key_location("levels"), "experiment.sweep.levels",
                       "levels is only used by method morris");
    }
    spec.morris_levels =
        static_cast<int>(int_in_range(sweep, "levels", "experiment.sweep.levels", 2, 100));
    if (spec.morris_levels % 2 != 0) {
      throw InputError(sweep.location("levels"), "experiment.sweep.levels",
                       "expected an even number of levels (each step then joins two levels of "
                       "the grid), got " +
                           std::to_string(spec.morris_levels));
    }
  }
  spec.sweep_method = method;
  if (method != "uncertainty" && sweep.has("posterior")) {
    throw InputError(sweep.key_location("posterior"), "experiment.sweep.posterior",
                     "posterior is only used by method uncertainty");
  }
  if (method == "grid") {
    if (sweep.has("samples")) {
      throw InputError(sweep.key_location("samples"), "experiment.sweep.samples",
                       "samples is only used by methods lhs, saltelli, morris and uncertainty");
    }
  } else {
    if (!sweep.has("samples")) missing(sweep, "experiment.sweep", "samples", "method: " + method);
    // Sobol' indices need variances over the base samples, and an effect over draws an interval.
    const std::int64_t min_samples = method == "lhs" ? 1 : 2;
    const auto n = static_cast<int>(
        int_in_range(sweep, "samples", "experiment.sweep.samples", min_samples, kMaxSamples));
    if (method == "saltelli") {
      spec.saltelli_samples = n;
    } else if (method == "morris") {
      spec.morris_trajectories = n;
    } else {
      spec.lhs_samples = n;
    }
  }
  const bool needs_parameters = method != "uncertainty" || !sweep.has("posterior");
  if (needs_parameters && !sweep.has("parameters")) {
    missing(sweep, "experiment.sweep", "parameters",
            method == "uncertainty" ? "an uncertainty sweep needs parameters or a posterior" : "");
  }
  if (sweep.has("parameters")) {
    const Document parameters = sweep.child("parameters");
    if (!parameters.is_map() || parameters.empty()) {
      throw InputError(parameters.location(), "experiment.sweep.parameters",
                       "expected a map of at least one key path to its values");
    }
    if (method == "saltelli" && parameters.keys().size() > kMaxSaltelliParameters) {
      throw InputError(parameters.location(), "experiment.sweep.parameters",
                       "method: saltelli takes at most " + std::to_string(kMaxSaltelliParameters) +
                           " parameters, got " + std::to_string(parameters.keys().size()));
    }
    for (const std::string& key : parameters.keys()) read_sweep_parameter(spec, parameters, key);
  }
  if (sweep.has("posterior")) read_posterior(spec, sweep);
}

void read_primary_metrics(ExperimentSpec& spec, const Document& e) {
  if (e.has("primary_metrics")) {
    const Document m = e.child("primary_metrics");
    if (!m.is_map() || m.empty()) {
      throw InputError(m.location(), "experiment.primary_metrics",
                       "expected a map of metric names to higher or lower (which way is better)");
    }
    for (const std::string& name : m.keys()) {
      const std::string path = "experiment.primary_metrics." + name;
      const std::string way = m.child(name).as_string(path);
      if (way != "higher" && way != "lower") {
        throw InputError(m.location(name), path, "expected higher or lower, got '" + way + "'");
      }
      spec.primary_metrics.push_back({name, way == "higher", m.location(name)});
    }
  }
  if (e.has("multiple_comparisons")) {
    const std::string how =
        e.child("multiple_comparisons").as_string("experiment.multiple_comparisons");
    if (how != "holm" && how != "bh") {
      throw InputError(e.location("multiple_comparisons"), "experiment.multiple_comparisons",
                       "expected holm or bh, got '" + how + "'");
    }
    spec.multiple_comparisons = how;
  }
  if (spec.sweep_method == "uncertainty" && spec.primary_metrics.empty()) {
    missing(
        e, "experiment", "primary_metrics",
        "an uncertainty sweep is read on its primary metrics, each with the way that is better");
  }
}

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

void read_scalars(ExperimentSpec& spec, const Document& e) {
  spec.name = spec.file.stem().string();
  if (e.has("name")) {
    // The name makes the default results path, results/NAME.h5.
    spec.name = e.child("name").as_string("experiment.name");
    if (!valid_name(spec.name)) {
      throw InputError(
          e.location("name"), "experiment.name",
          "experiment names may only use letters, digits, '-' and '_', got '" + spec.name + "'");
    }
  }
  if (e.has("replicates")) {
    spec.replicates =
        static_cast<int>(int_in_range(e, "replicates", "experiment.replicates", 1, kMaxReplicates));
  }
  if (e.has("seed")) {
    spec.seed = static_cast<std::uint64_t>(
        int_in_range(e, "seed", "experiment.seed", 0, std::numeric_limits<std::int64_t>::max()));
  }
  if (e.has("days")) {
    spec.days = static_cast<int>(int_in_range(e, "days", "experiment.days", 1, kMaxDays));
    spec.days_loc = e.location("days");
  }
  if (e.has("population_scale")) {
    const double scale = e.child("population_scale").as_double("experiment.population_scale");
    if (!(scale > 0.0)) {
      throw InputError(e.location("population_scale"), "experiment.population_scale",
                       "out of range: expected value > 0, got " + config::format_number(scale));
    }
    spec.population_scale = scale;
    spec.population_scale_loc = e.location("population_scale");
  }
}

std::string padded(int n) {
  std::string s = std::to_string(n);
  return s.size() >= 3 ? s : std::string(3 - s.size(), '0') + s;
}

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

bool is_experiment_file(const fs::path& file) {
  return Document::load(file).has("experiment");
}

ExperimentSpec load_experiment(const fs::path& file) {
  ExperimentSpec spec;
  spec.file = file;
  const Document e = spec_input::top_level_map(Document::load(file), "experiment");
  config::check_known_keys(e, "experiment",
                           {"name", "scenario", "replicates", "seed", "days", "population_scale",
                            "policies", "sweep", "primary_metrics", "multiple_comparisons"});
  spec.text = read_file_text(file);
  read_scalars(spec, e);
  if (!e.has("scenario")) missing(e, "experiment", "scenario");
  spec.base_file = named_file(spec, e.child("scenario"), "experiment.scenario");
  spec.base = Document::load(spec.base_file);
  read_policies(spec, e);
  if (e.has("sweep")) read_sweep(spec, e);
  read_primary_metrics(spec, e);

  const std::size_t samples = sample_count(spec);
  const std::size_t per_policy = samples * static_cast<std::size_t>(spec.replicates);
  if (samples > kMaxRuns || per_policy > kMaxRuns || per_policy * spec.policies.size() > kMaxRuns) {
    throw InputError(e.location(), "experiment",
                     "too many runs (limit " + std::to_string(kMaxRuns) + ")");
  }
  return spec;
}

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

std::string RunPlan::name() const {
  std::string out = policy;
  if (!parameters.empty()) out += ".s" + padded(sample);
  return out + ".r" + padded(replicate);
}

std::vector<RunPlan> expand(const ExperimentSpec& spec) {
  const std::vector<ParameterPoint> points = sweep_points(spec);
  std::vector<RunPlan> runs;
  runs.reserve(spec.policies.size() * points.size() * static_cast<std::size_t>(spec.replicates));
  for (const PolicySpec& policy : spec.policies) {
    const Document with_policy = spec.base.merged(policy.overlay);
    for (std::size_t s = 0; s < points.size(); ++s) {
      Document scenario = with_policy;
      for (std::size_t j = 0; j < spec.sweep.size(); ++j) {
        scenario = scenario.with_value(points[s][j].first, points[s][j].second, spec.sweep[j].loc);
      }
      if (spec.posterior) {
        std::vector<double> theta;
        for (std::size_t j = spec.sweep.size(); j < points[s].size(); ++j)
          theta.push_back(points[s][j].second);
        scenario = with_parameters(spec.posterior->calibration, scenario, theta);
      }
      for (int r = 0; r < spec.replicates; ++r) {
        runs.push_back({runs.size(), policy.name, static_cast<int>(s), r,
                        replicate_seed(spec.seed, r), points[s], scenario});
      }
    }
  }
  return runs;
}

std::uint64_t replicate_seed(std::uint64_t master, int replicate) {
  return mix(mix(master) + (static_cast<std::uint64_t>(replicate) + 1) * kGolden);
}

}  // namespace sim
