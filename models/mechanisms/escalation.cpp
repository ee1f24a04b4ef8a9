// MODEL.md §4.8 Escalation and cascades (P5): an issue still unresolved at its domain's limit
// escalates and spawns follow-on issues by the coupling matrix K, some in neighbouring communities.
#include <Eigen/Eigenvalues>

#include "models/mechanisms/mechanisms.hpp"

namespace gov {

void on_escalate(World& w, std::uint32_t idx, double t) {
  Issue& is = w.issues[idx];
  // Solved, settled and explained issues do not escalate; open ones and false closures (the
  // problem is still there) do.
  if (!problem_persists(is.state) || is.escalated) return;
  is.escalated = true;
  w.tally(is.community).add(Count::Escalated);
  w.ledger.escalated_by_domain[is.domain] += 1;
  whistle_on_escalation(w, idx, t);

  const auto& cfg = w.scenario.cascades;
  const Issue parent = is;  // new_issue() below may move the pool
  auto rng = w.rng(Purpose::Escalation, parent.key);
  const auto& row = w.coupling[parent.domain];
  const Adjacency& nb = w.city.community_neighbours;
  std::uint32_t spawned = 0;
  for (std::uint8_t j = 0; j < kDomainCount; ++j) {
    const auto n = rng.poisson(row[j]);
    for (std::uint64_t k = 0; k < n; ++k) {
      Issue child;
      child.key = sim::mix64(parent.key ^ (0x5851f42d4c957f2dULL * (++spawned))) | (1ULL << 63);
      child.t_arise = t + cfg.follow_on_delay_h;
      child.community = parent.community;
      const std::size_t degree = nb.degree(parent.community);
      if (degree > 0 && rng.bernoulli(cfg.neighbour_spill_share)) {
        child.community = nb.begin(parent.community)[rng.below(degree)];
      }
      // An empty neighbour (a farm area at a small population.scale) keeps the follow-on home.
      if (w.city.communities[child.community].residents == 0) child.community = parent.community;
      const Community& com = w.city.communities[child.community];
      child.resident = com.first_resident + static_cast<std::uint32_t>(rng.below(com.residents));
      child.domain = j;
      child.origin = Origin::Cascade;
      child.generation = static_cast<std::uint8_t>(std::min(255, parent.generation + 1));
      draw_issue_traits(w, child);
      const std::uint32_t c = w.new_issue(child);
      w.schedule(c, EventKind::Arise, child.t_arise);
    }
  }
}

std::vector<std::vector<double>> expected_offspring(const World& w) {
  // M[i][j] = P(escalate | domain i) * K[i][j], with the escalation share observed in the run.
  std::vector<std::vector<double>> m = w.coupling;
  for (std::size_t i = 0; i < kDomainCount; ++i) {
    const double arisen = w.ledger.arisen_by_domain[i];
    const double q = arisen > 0 ? w.ledger.escalated_by_domain[i] / arisen : 0.0;
    for (auto& x : m[i]) x *= q;
  }
  return m;
}

double branching_ratio(const std::vector<std::vector<double>>& matrix) {
  const auto n = static_cast<Eigen::Index>(matrix.size());
  if (n == 0) return 0.0;
  Eigen::MatrixXd a(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j)
      a(i, j) = matrix[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  }
  const Eigen::VectorXcd ev = a.eigenvalues();
  double rho = 0;
  for (Eigen::Index i = 0; i < ev.size(); ++i) rho = std::max(rho, std::abs(ev[i]));
  return rho;
}

}  // namespace gov
