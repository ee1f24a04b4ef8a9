// Outputs come from one declaration (models/outcomes/output_catalogue.cpp): a run writes exactly
// the declared outputs, docs/output-format.md holds the declarations' table, and every declared
// unit is one udunits-2 parses (CF conventions); only the issue log's identifiers and codes go
// without one.
#include <stdio.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "models/governance_model.hpp"
#include "models/outcomes/output_catalogue.hpp"
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

TEST_CASE("a run writes exactly the declared outputs", "[unit][outputs]") {
  gov::Scenario s = test::small_city(3);
  s.run.issue_log = "full";
  const auto rec = gov::GovernanceModel(s).run();
  std::map<std::string, const gov::OutputDeclaration*> variables, numbers;
  for (const auto& d : gov::output_declarations())
    (d.dims.empty() ? numbers : variables).emplace(d.name, &d);
  std::set<std::string> written;
  for (const auto& v : rec.variables) {
    INFO(v.name);
    REQUIRE(variables.count(v.name) == 1);
    CHECK(v.dims == variables[v.name]->dims);
    CHECK(v.unit == variables[v.name]->unit);
    written.insert(v.name);
  }
  CHECK(written.size() == variables.size());  // no declaration left unwritten
  written.clear();
  for (const auto& sc : rec.summary) {
    INFO(sc.name);
    REQUIRE(numbers.count(sc.name) == 1);
    CHECK(sc.unit == numbers[sc.name]->unit);
    written.insert(sc.name);
  }
  CHECK(written.size() == numbers.size());
  CHECK_THROWS_AS(gov::declared_variable("city_undeclared", {}), std::logic_error);
  CHECK_THROWS_AS(gov::declared_scalar("city_open", 0),
                  std::logic_error);  // a series, not a number
}

TEST_CASE("docs/output-format.md holds the declared outputs", "[unit][outputs][docs]") {
  std::ifstream in(test::source_dir() / "docs/output-format.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str(), begin = "<!-- outputs:begin -->\n",
                    end = "<!-- outputs:end -->";
  const auto from = doc.find(begin), to = doc.find(end);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  // Regenerate: govsim inspect outputs | scripts/docblock.py docs/output-format.md outputs
  CHECK(doc.substr(from + begin.size(), to - from - begin.size()) == gov::outputs_markdown());
}

TEST_CASE("every declared unit parses in udunits-2", "[unit][outputs][units]") {
  if (std::system("command -v udunits2 >/dev/null 2>&1") != 0) {
    WARN("udunits2 is not installed (Debian udunits-bin; scripts/install-deps.sh installs it)");
    return;
  }
  std::set<std::string> units{"d"};  // the day dimension's
  for (const auto& d : gov::output_declarations()) {
    INFO(d.name);
    if (d.name.rfind("issue_", 0) != 0) CHECK_FALSE(d.unit.empty());
    if (!d.unit.empty()) units.insert(d.unit);
  }
  REQUIRE(units.size() >= 4);
  for (const auto& u : units) {
    INFO("unit '" << u << "'");
    CHECK(udunits_complaint(u).empty());
  }
  CHECK_FALSE(udunits_complaint("issues/d").empty());  // the check itself can fail
}
