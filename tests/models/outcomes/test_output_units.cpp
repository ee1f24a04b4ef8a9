// Every unit the model writes is one udunits-2 parses (CF conventions), and only the issue log's
// identifiers and codes go without one.
#include <stdio.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "models/governance_model.hpp"
#include "tests/support.hpp"

namespace {

// udunits2's answer for `unit` against the dimensionless unit: empty when it parses.
std::string udunits_complaint(const std::string& unit) {
  const std::string cmd = "udunits2 -H '" + unit + "' -W '' 2>&1 </dev/null";
  std::string out;
  if (FILE* pipe = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
    if (::pclose(pipe) != 0 && out.empty()) out = "udunits2 failed";
  }
  return out.find("Don't recognize") != std::string::npos || out.find("failed") != std::string::npos
             ? out
             : "";
}

}  // namespace

TEST_CASE("every unit the model writes parses in udunits-2", "[unit][outputs][units]") {
  if (std::system("command -v udunits2 >/dev/null 2>&1") != 0) {
    WARN("udunits2 is not installed (Debian udunits-bin; scripts/install-deps.sh installs it)");
    return;
  }
  gov::Scenario s = test::small_city(3);
  s.run.issue_log = "full";
  const auto rec = gov::GovernanceModel(s).run();
  std::set<std::string> units;
  for (const auto& v : rec.variables) {
    INFO(v.name);
    if (v.name.rfind("issue_", 0) != 0) CHECK_FALSE(v.unit.empty());
    if (!v.unit.empty()) units.insert(v.unit);
  }
  for (const auto& d : rec.dimensions)
    if (!d.unit.empty()) units.insert(d.unit);
  for (const auto& sc : rec.summary) {
    INFO(sc.name);
    CHECK_FALSE(sc.unit.empty());
    units.insert(sc.unit);
  }
  REQUIRE(units.size() >= 4);
  for (const auto& u : units) {
    INFO("unit '" << u << "'");
    CHECK(udunits_complaint(u).empty());
  }
  CHECK_FALSE(udunits_complaint("issues/d").empty());  // the check itself can fail
}
