// Where a sweep's points and the runs' seeds come from: Latin hypercube strata, Saltelli's
// scrambled Sobol' blocks, Morris trajectories, grids, designs read from a file, distributions'
// quantiles, and the seed of each replicate, all derived from the experiment's seed.
#include "sim/experiment/experiment_spec.hpp"
#include "sim/experiment/experiment_spec_detail.hpp"
#include "sim/experiment/sobol_directions.hpp"

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
