#include "sim/experiment/abc_smc.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "sim/random.hpp"

namespace sim {
namespace {

constexpr std::uint64_t kPurposeAbc = 0xABC5AC;

// Transformed space: every prior is uniform on [lo, hi] there.
double to_space(const AbcPrior& p, double v) {
  return p.log_scale ? std::log(v) : v;
}
double from_space(const AbcPrior& p, double u) {
  return p.log_scale ? std::exp(u) : u;
}
double lo(const AbcPrior& p) {
  return to_space(p, p.low);
}
double hi(const AbcPrior& p) {
  return to_space(p, p.high);
}

bool inside(const std::vector<AbcPrior>& priors, const Eigen::VectorXd& u) {
  for (std::size_t k = 0; k < priors.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    if (u(i) < lo(priors[k]) || u(i) > hi(priors[k])) return false;
  }
  return true;
}

double plain_quantile(std::vector<double> d, double q) {
  std::sort(d.begin(), d.end());
  const auto k = static_cast<std::size_t>(std::floor(q * static_cast<double>(d.size() - 1)));
  return d[k];
}

void check(const std::vector<AbcPrior>& priors, const AbcOptions& o) {
  if (priors.empty()) throw std::invalid_argument("abc_smc: no parameters");
  for (const auto& p : priors) {
    if (!(std::isfinite(p.low) && std::isfinite(p.high) && p.low < p.high))
      throw std::invalid_argument("abc_smc: prior of " + p.name + " needs low < high");
    if (p.log_scale && p.low <= 0)
      throw std::invalid_argument("abc_smc: log-scale prior of " + p.name + " needs low > 0");
  }
  if (o.population < 2) throw std::invalid_argument("abc_smc: population must be at least 2");
  if (o.generations < 1) throw std::invalid_argument("abc_smc: at least one generation");
  if (!(o.quantile > 0 && o.quantile < 1))
    throw std::invalid_argument("abc_smc: quantile must be in (0, 1)");
}

}  // namespace

std::vector<double> AbcGeneration::mean() const {
  std::vector<double> m(particles.empty() ? 0 : particles[0].size(), 0.0);
  for (std::size_t i = 0; i < particles.size(); ++i)
    for (std::size_t k = 0; k < m.size(); ++k) m[k] += weights[i] * particles[i][k];
  return m;
}

std::vector<double> AbcGeneration::variance() const {
  const auto m = mean();
  std::vector<double> v(m.size(), 0.0);
  for (std::size_t i = 0; i < particles.size(); ++i)
    for (std::size_t k = 0; k < m.size(); ++k)
      v[k] += weights[i] * (particles[i][k] - m[k]) * (particles[i][k] - m[k]);
  return v;
}

double AbcGeneration::effective_sample_size() const {
  double s = 0;
  for (double w : weights) s += w * w;
  return s > 0 ? 1.0 / s : 0.0;
}

AbcResult abc_smc(const std::vector<AbcPrior>& priors, const AbcSimulator& simulate,
                  const AbcOptions& o) {
  check(priors, o);
  const std::size_t n = o.population;
  const std::size_t batch = o.batch > 0 ? o.batch : n;
  const std::size_t max_proposals = o.max_proposals > 0 ? o.max_proposals : 100 * n;
  const auto dims = static_cast<Eigen::Index>(priors.size());
  AbcResult result;
  std::vector<Eigen::VectorXd> prev_u;  // previous particles in the transformed space
  std::vector<double> prev_w;
  Eigen::MatrixXd chol;  // lower Cholesky factor of the kernel covariance
  Eigen::MatrixXd kernel_inv;

  for (int g = 0; g < o.generations; ++g) {
    AbcGeneration gen;
    gen.tolerance = g == 0 ? std::numeric_limits<double>::infinity()
                           : plain_quantile(result.generations.back().distances, o.quantile);
    std::vector<Eigen::VectorXd> acc_u;
    std::size_t proposed = 0;
    while (acc_u.size() < n && proposed < max_proposals) {
      const std::size_t size = std::min(batch, max_proposals - proposed);
      std::vector<Eigen::VectorXd> us;
      std::vector<std::vector<double>> thetas;
      for (std::size_t b = 0; b < size; ++b) {
        RandomStream rng(o.seed, kPurposeAbc, static_cast<std::uint64_t>(g), proposed + b);
        Eigen::VectorXd u(dims);
        if (g == 0) {
          for (Eigen::Index k = 0; k < dims; ++k) {
            const auto& p = priors[static_cast<std::size_t>(k)];
            u(k) = lo(p) + (hi(p) - lo(p)) * rng.uniform();
          }
        } else {
          // Resample by weight, perturb; redraw (without simulating) until inside the prior.
          for (int tries = 0;; ++tries) {
            double r = rng.uniform(), c = 0;
            std::size_t j = 0;
            for (; j + 1 < prev_w.size(); ++j) {
              if ((c += prev_w[j]) >= r) break;
            }
            Eigen::VectorXd z(dims);
            for (Eigen::Index k = 0; k < dims; ++k) z(k) = rng.normal();
            u = prev_u[j] + chol * z;
            if (inside(priors, u)) break;
            if (tries > 10000)
              throw std::runtime_error("abc_smc: proposals keep falling outside the prior");
          }
        }
        std::vector<double> theta(priors.size());
        for (std::size_t k = 0; k < priors.size(); ++k)
          theta[k] = from_space(priors[k], u(static_cast<Eigen::Index>(k)));
        us.push_back(u);
        thetas.push_back(std::move(theta));
      }
      const std::vector<double> d = simulate(g, proposed, thetas);
      if (d.size() != thetas.size())
        throw std::logic_error("abc_smc: the simulator returned the wrong number of distances");
      for (std::size_t b = 0; b < size; ++b) {
        const bool ok = std::isfinite(d[b]) && d[b] <= gen.tolerance && acc_u.size() < n;
        result.tried.push_back({g, proposed + b, thetas[b], d[b], ok});
        if (!ok) continue;
        acc_u.push_back(us[b]);
        gen.particles.push_back(thetas[b]);
        gen.distances.push_back(d[b]);
      }
      proposed += size;
    }
    gen.proposals = proposed;
    if (acc_u.size() < n) {
      result.complete = false;
      break;
    }
    // Weights: uniform priors in the transformed space, so prior(theta) is constant inside;
    // the kernel's normalising constant is the same for every pair and cancels too.
    gen.weights.assign(n, 1.0);
    if (g > 0) {
      for (std::size_t i = 0; i < n; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < prev_u.size(); ++j) {
          const Eigen::VectorXd diff = acc_u[i] - prev_u[j];
          s += prev_w[j] * std::exp(-0.5 * diff.dot(kernel_inv * diff));
        }
        gen.weights[i] = s > 0 ? 1.0 / s : 0.0;
      }
    }
    const double total = std::accumulate(gen.weights.begin(), gen.weights.end(), 0.0);
    for (double& w : gen.weights) w /= total;
    // The next kernel: twice the weighted covariance (Beaumont et al. 2009).
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(dims);
    for (std::size_t i = 0; i < n; ++i) mean += gen.weights[i] * acc_u[i];
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(dims, dims);
    for (std::size_t i = 0; i < n; ++i) {
      const Eigen::VectorXd c = acc_u[i] - mean;
      cov += gen.weights[i] * c * c.transpose();
    }
    cov *= 2.0;
    for (Eigen::Index k = 0; k < dims; ++k) {
      // A collapsed dimension still needs a kernel: a small share of its prior width.
      const auto& p = priors[static_cast<std::size_t>(k)];
      cov(k, k) = std::max(cov(k, k), 1e-12 * (hi(p) - lo(p)) * (hi(p) - lo(p)));
    }
    Eigen::LLT<Eigen::MatrixXd> llt(cov);
    if (llt.info() != Eigen::Success) {
      cov = Eigen::MatrixXd(cov.diagonal().asDiagonal());
      llt.compute(cov);
    }
    chol = llt.matrixL();
    kernel_inv = llt.solve(Eigen::MatrixXd::Identity(dims, dims));
    prev_u = std::move(acc_u);
    prev_w = gen.weights;
    result.generations.push_back(std::move(gen));
  }
  return result;
}

}  // namespace sim
