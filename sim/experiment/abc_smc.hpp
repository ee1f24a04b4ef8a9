#pragma once
// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC; Toni et al. 2009, with
// the weights and the adaptive Gaussian kernel of Beaumont et al. 2009). Engine-level: the
// simulator is a callback that turns a batch of parameter vectors into distances to the data.
//
// Generation 0 draws `population` particles from the prior and accepts them all. Generation t
// takes as tolerance the `quantile` of generation t-1's distances, proposes by resampling a
// particle by weight and perturbing it with N(0, 2 x the weighted covariance), redraws proposals
// outside the prior without simulating them, simulates them in batches and keeps those within
// the tolerance, in proposal order, until it has `population`. Weights are
// prior(theta) / sum_j w_j K(theta | theta_j). Priors are uniform, on a linear or a log scale; the
// algorithm works in the transformed space, where every prior is uniform.
//
// Every draw comes from a counter-based stream keyed by (seed, generation, proposal), so a run is
// reproducible and the simulator may run a batch in any order or in parallel.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sim {

struct AbcPrior {
  std::string name;
  double low = 0, high = 1;  // bounds of the parameter itself (both > 0 when log_scale)
  bool log_scale = false;    // uniform in log(value)
};

struct AbcOptions {
  std::size_t population = 100;
  int generations = 5;  // including generation 0 (the prior)
  double quantile = 0.5;
  std::size_t batch = 0;          // proposals simulated together; 0 = population
  std::size_t max_proposals = 0;  // per generation; 0 = 100 x population
  std::uint64_t seed = 1;
};

struct AbcProposal {
  int generation = 0;
  std::size_t index = 0;      // in the generation's proposal order
  std::vector<double> theta;  // parameter values (not transformed)
  double distance = 0;
  bool accepted = false;
};

struct AbcGeneration {
  double tolerance = 0;  // +inf for generation 0
  std::size_t proposals = 0;
  std::vector<std::vector<double>> particles;  // parameter values
  std::vector<double> weights;                 // normalised
  std::vector<double> distances;
  std::vector<double> mean() const;
  std::vector<double> variance() const;  // weighted, per parameter
  double effective_sample_size() const;
};

struct AbcResult {
  std::vector<AbcProposal> tried;  // every simulated proposal
  std::vector<AbcGeneration> generations;
  // False when a generation ran out of proposals before filling its population: the last
  // generation is then the last complete one.
  bool complete = true;
};

// distances(generation, first_index, thetas): one distance per parameter vector (NaN or +inf
// for a failed simulation, which is never accepted).
using AbcSimulator = std::function<std::vector<double>(
    int generation, std::size_t first_index, const std::vector<std::vector<double>>& thetas)>;

// Throws std::invalid_argument for empty or inconsistent priors and options.
AbcResult abc_smc(const std::vector<AbcPrior>& priors, const AbcSimulator& simulate,
                  const AbcOptions& options);

}  // namespace sim
