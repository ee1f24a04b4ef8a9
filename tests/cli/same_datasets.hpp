#pragma once
// The checks that two results files hold the same experiment (every run, in order, with every
// variable and summary equal bit for bit; attributes such as timings may differ) or the same
// calibration (the ABC-SMC posterior and every distance tried).
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>

#include "analysis/results_reader.hpp"

namespace test {

inline void require_same_datasets(const std::filesystem::path& a, const std::filesystem::path& b) {
  const analysis::ResultsFile fa(a), fb(b);
  REQUIRE(fa.runs().size() == fb.runs().size());
  for (std::size_t r = 0; r < fa.runs().size(); ++r) {
    const std::string& run = fa.runs()[r].name;
    REQUIRE(run == fb.runs()[r].name);
    const auto names = fa.variable_names(run);
    REQUIRE(names == fb.variable_names(run));
    for (const auto& n : names) {
      const auto va = fa.variable(run, n), vb = fb.variable(run, n);
      INFO(run << "/" << n);
      REQUIRE(va.data.size() == vb.data.size());
      REQUIRE(std::memcmp(va.data.data(), vb.data.data(), va.data.size() * sizeof(double)) == 0);
    }
    const auto sa = fa.summary(run), sb = fb.summary(run);
    REQUIRE(sa.size() == sb.size());
    for (std::size_t k = 0; k < sa.size(); ++k) {
      REQUIRE(std::memcmp(&sa[k].value, &sb[k].value, sizeof(double)) == 0);
    }
  }
}

inline void require_same_posterior(const std::filesystem::path& a, const std::filesystem::path& b) {
  const analysis::ResultsFile fa(a), fb(b);
  CHECK(fa.variable("abc-smc", "posterior_value").data ==
        fb.variable("abc-smc", "posterior_value").data);
  CHECK(fa.variable("abc-smc", "tried_distance").data ==
        fb.variable("abc-smc", "tried_distance").data);
}

}  // namespace test
