// Student-t quantiles and confidence intervals against tabulated values. Reference numbers are
// from mpmath at 40 digits: scipy.stats.t.ppf is itself only good to ~1e-11 at these points.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/statistics.hpp"

using analysis::student_t_quantile;
using Catch::Detail::Approx;

TEST_CASE("Student t 97.5% quantiles match the tables", "[unit][statistics]") {
  CHECK(student_t_quantile(0.975, 1) == Approx(12.706204736174693).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 2) == Approx(4.3026527297494618).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 5) == Approx(2.5705818356363148).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 10) == Approx(2.2281388519862742).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 30) == Approx(2.0422724563012379).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 1e6) == Approx(1.9599663568141067).epsilon(1e-9));
  CHECK(student_t_quantile(0.975, std::numeric_limits<double>::infinity()) ==
        Approx(1.959963984540054).epsilon(1e-12));
}

TEST_CASE("Student t quantiles for other levels, fractional df and the lower tail",
          "[unit][statistics]") {
  CHECK(student_t_quantile(0.995, 3) == Approx(5.8409093097333554).epsilon(1e-12));
  CHECK(student_t_quantile(0.95, 7) == Approx(1.8945786050900068).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 4.7) == Approx(2.6207260753531696).epsilon(1e-12));
  CHECK(student_t_quantile(0.025, 10) == Approx(-2.2281388519862742).epsilon(1e-12));
  CHECK(student_t_quantile(0.5, 4) == 0.0);
  CHECK(analysis::student_t_cdf(1e-9, 4) == Approx(0.500000000375).epsilon(1e-15));
  CHECK(analysis::student_t_cdf(2.0, 3) == Approx(0.93033701572057841).epsilon(1e-12));
  CHECK(analysis::student_t_cdf(-1.5, 2.5) == Approx(0.12391822654314813).epsilon(1e-12));
  CHECK_THROWS_AS(student_t_quantile(1.0, 3), std::invalid_argument);
  CHECK_THROWS_AS(student_t_quantile(0.9, 0.0), std::invalid_argument);
}

TEST_CASE("mean, sd and the t interval of a known sample", "[unit][statistics]") {
  const std::vector<double> x{1, 2, 3, 4, 5};
  CHECK(analysis::mean(x) == 3.0);
  CHECK(analysis::sample_sd(x) == Approx(std::sqrt(2.5)));
  const auto ci = analysis::mean_ci(x);
  CHECK(ci.estimate == 3.0);
  CHECK(ci.lower == Approx(1.0367568385224393).epsilon(1e-12));
  CHECK(ci.upper == Approx(4.9632431614775605).epsilon(1e-12));
  CHECK(ci.df == 4.0);
  CHECK(ci.n == 5);

  const auto single = analysis::mean_ci(std::vector<double>{7.5});
  CHECK(single.estimate == 7.5);
  CHECK_FALSE(single.has_interval());
  CHECK_FALSE(single.excludes(0.0));
  CHECK_THROWS_AS(analysis::mean(std::vector<double>{}), std::invalid_argument);
}

TEST_CASE("Welch interval matches an independent computation", "[unit][statistics]") {
  const std::vector<double> a{10.2, 11.9, 9.7, 12.4, 10.8, 11.1};
  const std::vector<double> b{8.1, 9.9, 7.5, 8.8, 10.4};
  const auto w = analysis::welch_difference_ci(a, b);
  CHECK(w.estimate == Approx(2.076666666666666));
  CHECK(w.df == Approx(7.8952815090123207).epsilon(1e-12));
  CHECK(w.lower == Approx(0.50188126952302580).epsilon(1e-12));
  CHECK(w.upper == Approx(3.6514520638103066).epsilon(1e-12));
  CHECK(w.excludes(0.0));
}

TEST_CASE("pairing narrows the interval when runs are positively correlated",
          "[unit][statistics]") {
  // Replicate i of both policies shares a large common component (the shared random world);
  // the policy adds 1.0 and a little independent noise.
  const std::vector<double> world{3.1, -4.2, 7.7, 0.4, -2.9, 5.3, -6.1, 1.8, 2.2, -0.7};
  const std::vector<double> noise{0.05, -0.02, 0.01, -0.04, 0.03, 0.00, -0.01, 0.02, -0.03, 0.04};
  std::vector<double> reference, treated;
  for (std::size_t i = 0; i < world.size(); ++i) {
    reference.push_back(20.0 + world[i]);
    treated.push_back(21.0 + world[i] + noise[i]);
  }
  const auto paired = analysis::paired_difference_ci(treated, reference);
  const auto welch = analysis::welch_difference_ci(treated, reference);
  CHECK(paired.estimate == Approx(1.005));
  CHECK(welch.estimate == Approx(paired.estimate));
  CHECK(paired.excludes(0.0));
  CHECK_FALSE(welch.excludes(0.0));  // the shared noise hides the effect when ignored
  CHECK(welch.half_width() > 50.0 * paired.half_width());
  CHECK_THROWS_AS(analysis::paired_difference_ci(treated, std::vector<double>{1.0}),
                  std::invalid_argument);
}
