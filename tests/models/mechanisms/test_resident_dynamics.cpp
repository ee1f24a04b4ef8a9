// §4.9 residents' slow state (resident_dynamics.cpp): trust moves only through residents' own
// outcomes and what neighbours say; with learning and word of mouth off it stays where it began.
#include <catch2/catch.hpp>

#include "tests/models/mechanism_run.hpp"

namespace {

gov::Scenario with_departments_at(gov::Scenario s, double share) {
  for (auto& d : s.departments) {
    d.staff_per_100k *= share;
    d.staff *= share;
  }
  return s;
}

}  // namespace

TEST_CASE("trust falls with worse service only through residents' own outcomes",
          "[validation][mechanism:resident_dynamics]") {
  gov::Scenario s = test::mechanism_base(60);
  const test::Outcome full = test::run(s);
  const test::Outcome half = test::run(with_departments_at(s, 0.5));
  INFO("trust " << full.s("trust_end") << " -> " << half.s("trust_end"));
  CHECK(half.s("resolution_rate") < full.s("resolution_rate") - 0.02);
  CHECK(half.s("trust_end") < full.s("trust_end") - 0.005);
  // The mechanism switched off: nobody learns from an outcome and no word spreads, so the same
  // worse service leaves trust exactly where the same random world put it.
  s.residents.trust_learning_rate = 0;
  s.residents.word_of_mouth_rate_per_day = 0;
  const test::Outcome deaf_full = test::run(s);
  const test::Outcome deaf_half = test::run(with_departments_at(s, 0.5));
  CHECK(deaf_half.s("resolution_rate") < deaf_full.s("resolution_rate") - 0.02);
  CHECK(deaf_half.s("trust_end") == deaf_full.s("trust_end"));
}
