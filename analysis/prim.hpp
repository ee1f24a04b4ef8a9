#pragma once
// Scenario discovery with PRIM, the patient rule induction method (Friedman & Fisher 1999), as
// robust decision making uses it (Bryant & Lempert 2010): the box of parameter space where the
// cases of interest (here, draws in which a policy beats the baseline) concentrate, found by
// peeling a small share of the points off one face of the box at a time.
#include <cstddef>
#include <vector>

namespace analysis {

struct PrimOptions {
  double peel_alpha = 0.1;    // share of the box's points peeled per step (at least one point)
  double min_support = 0.1;   // peeling stops before the box holds fewer than this share
  double min_coverage = 0.5;  // the box reported: the densest one that keeps this share of cases
  // A limit is kept only when lifting it would let in significantly more non-cases: its
  // quasi-p-value (Bryant & Lempert 2010; one-sided binomial test of the cases in the box against
  // the density of the box without that limit) must be at most this. With few points and many
  // dimensions peeling alone restricts dimensions by chance.
  double max_quasi_p = 0.05;
};

struct PrimBox {
  std::vector<double> low, high;  // per dimension: the box's limits (the extreme kept points)
  std::vector<bool> restricted;   // whether peeling moved a limit inward (and it was kept)
  std::vector<double> quasi_p;    // per restricted dimension; NaN for the others
  std::size_t points = 0, cases = 0;
  double coverage = 0;      // cases in the box / all cases
  double density = 0;       // cases in the box / points in the box
  double support = 0;       // points in the box / all points
  double base_density = 0;  // all cases / all points
  std::size_t peels = 0;    // steps from the whole space to this box
};

// x: n points of k coordinates; is_case: n flags. Deterministic: the peel that raises the
// density most wins, ties going to the larger box, then the lower dimension, lower face first.
// The chosen box's limits are then lifted, least significant first, while any has a quasi-p-value
// above `max_quasi_p`; a box with no limit left says the cases follow no parameter range.
// Throws std::invalid_argument when sizes differ, the points are ragged or there is no case.
PrimBox prim(const std::vector<std::vector<double>>& x, const std::vector<bool>& is_case,
             const PrimOptions& options = {});

}  // namespace analysis
