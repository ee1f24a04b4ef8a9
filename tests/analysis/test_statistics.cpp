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

TEST_CASE("two-sided p of a t interval matches the t test", "[unit][statistics]") {
  // R: t.test(1:5)$p.value = 0.01324
  const std::vector<double> x{1, 2, 3, 4, 5};
  CHECK(analysis::two_sided_p(analysis::mean_ci(x)) == Approx(0.013236).epsilon(1e-4));
  // The level the interval was built at does not change the p-value.
  CHECK(analysis::two_sided_p(analysis::mean_ci(x, 0.9), 0.9) == Approx(0.013236).epsilon(1e-4));
  const std::vector<double> zeros{0, 0, 0};
  CHECK(analysis::two_sided_p(analysis::mean_ci(zeros)) == 1.0);
  const std::vector<double> constant{2, 2, 2};
  CHECK(analysis::two_sided_p(analysis::mean_ci(constant)) == 0.0);
  const std::vector<double> one{1.0};
  CHECK(std::isnan(analysis::two_sided_p(analysis::mean_ci(one))));
}

TEST_CASE("Holm and Benjamini-Hochberg adjustments match R's p.adjust", "[unit][statistics]") {
  // p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") and "BH"
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
  const auto holm = analysis::adjusted_p_values(p, analysis::Adjustment::kHolm);
  const auto bh = analysis::adjusted_p_values(p, analysis::Adjustment::kBenjaminiHochberg);
  const std::vector<double> holm_r{0.03, 0.06, 0.06, 0.02};
  const std::vector<double> bh_r{0.02, 0.04, 0.04, 0.02};
  for (std::size_t i = 0; i < p.size(); ++i) {
    CHECK(holm[i] == Approx(holm_r[i]));
    CHECK(bh[i] == Approx(bh_r[i]));
  }
  // NaN entries stay NaN and do not count in the family; adjusted values are capped at 1.
  const std::vector<double> with_nan{0.2, analysis::kNaN, 0.6};
  const auto h = analysis::adjusted_p_values(with_nan, analysis::Adjustment::kHolm);
  CHECK(h[0] == Approx(0.4));
  CHECK(std::isnan(h[1]));
  CHECK(h[2] == Approx(0.6));
  const std::vector<double> big{0.7, 0.8};
  CHECK(analysis::adjusted_p_values(big, analysis::Adjustment::kHolm)[0] == 1.0);
}

TEST_CASE("quantiles interpolate between order statistics (type 7)", "[unit][statistics]") {
  const std::vector<double> x{4, 1, 3, 2};
  CHECK(analysis::quantile(x, 0.0) == 1.0);
  CHECK(analysis::quantile(x, 1.0) == 4.0);
  CHECK(analysis::quantile(x, 0.1) == Approx(1.3));  // R: quantile(1:4, 0.1)
  CHECK(analysis::quantile(x, 0.5) == Approx(2.5));
  CHECK_THROWS_AS(analysis::quantile(std::vector<double>{}, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(analysis::quantile(x, 1.5), std::invalid_argument);
}

TEST_CASE("Welch's interval with non-finite values has no interval instead of failing",
          "[unit][statistics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> a = {1, 2, nan}, b = {1, 2, 3}, huge = {1e300, -1e300, 1e300};
  CHECK_FALSE(analysis::welch_difference_ci(a, b, 0.95).has_interval());
  CHECK_FALSE(analysis::welch_difference_ci(huge, b, 0.95).has_interval());
  CHECK(std::isnan(analysis::two_sided_p(analysis::welch_difference_ci(a, b, 0.95), 0.95)));
}
