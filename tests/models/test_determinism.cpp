// Results do not depend on the thread count, and one seed gives one run.
#include <tbb/global_control.h>
#include <catch2/catch.hpp>

#include <cstring>

#include "models/governance_model.hpp"
#include "tests/support.hpp"

namespace {

sim::RunRecord run_with_threads(const gov::Scenario& s, std::size_t threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  gov::GovernanceModel model(s);
  return model.run();
}

// Bit-identical, NaN included.
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void require_identical(const sim::RunRecord& a, const sim::RunRecord& b) {
  REQUIRE(a.variables.size() == b.variables.size());
  for (std::size_t i = 0; i < a.variables.size(); ++i) {
    INFO(a.variables[i].name);
    REQUIRE(a.variables[i].name == b.variables[i].name);
    REQUIRE(same_bits(a.variables[i].data, b.variables[i].data));
  }
  REQUIRE(a.summary.size() == b.summary.size());
  for (std::size_t i = 0; i < a.summary.size(); ++i) {
    INFO(a.summary[i].name);
    REQUIRE(same_bits({a.summary[i].value}, {b.summary[i].value}));
  }
}

}  // namespace

TEST_CASE("the full record is bit-identical for 1, 2 and 8 threads and for two runs",
          "[validation][determinism]") {
  gov::Scenario s = test::small_city(15);
  s.policies.whistle.enabled = true;
  s.policies.closed_loop.enabled = true;
  s.policies.resource_sinking.share = 0.3;
  s.run.issue_log = "full";
  const auto one = run_with_threads(s, 1);
  const auto two = run_with_threads(s, 2);
  const auto eight = run_with_threads(s, 8);
  const auto again = run_with_threads(s, 2);
  require_identical(one, two);
  require_identical(one, eight);
  require_identical(two, again);
  s.run.seed += 1;
  const auto other = run_with_threads(s, 2);
  bool differs = false;
  for (std::size_t i = 0; i < one.variables.size(); ++i)
    differs |= !same_bits(one.variables[i].data, other.variables[i].data);
  CHECK(differs);
}
