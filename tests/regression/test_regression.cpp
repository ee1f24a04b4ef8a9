// Scenario files with reference outputs: any change in a case's end-of-run summary beyond its
// tolerance fails, so model changes are always deliberate. One driver for every case;
// GOVSIM_REGENERATE=1 rewrites the references (then review the diff and commit it).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "models/governance_model.hpp"
#include "tests/support.hpp"

namespace {

struct Case {
  std::string name, scenario;
  int days = 0;
  double scale = 1;
};

std::vector<Case> read_cases() {
  std::ifstream in(test::source_dir() / "tests/regression/cases.tsv");
  std::vector<Case> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    Case c;
    f >> c.name >> c.scenario >> c.days >> c.scale;
    out.push_back(c);
  }
  return out;
}

std::filesystem::path reference(const Case& c) {
  return test::source_dir() / "tests/regression" / (c.name + ".ref.csv");
}

}  // namespace

TEST_CASE("scenario summaries match their stored references", "[regression]") {
  const auto cases = read_cases();
  REQUIRE(cases.size() >= 3);
  const bool regenerate = std::getenv("GOVSIM_REGENERATE") != nullptr;
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      gov::Scenario s = test::load(c.scenario);
      s.run.days = c.days;
      s.run.warmup_days = c.days / 3;
      s.population.scale = c.scale;
      gov::GovernanceModel model(s);
      const auto rec = model.run();
      if (regenerate) {
        std::ofstream out(reference(c));
        out << "# " << c.scenario << ", " << c.days << " days, scale " << c.scale
            << "; regenerate with GOVSIM_REGENERATE=1\nname,value\n";
        out.precision(17);
        for (const auto& sc : rec.summary) out << sc.name << ',' << sc.value << '\n';
        WARN("regenerated " << reference(c).string());
        continue;
      }
      std::ifstream in(reference(c));
      REQUIRE(in.good());
      std::map<std::string, double> ref;
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line == "name,value") continue;
        const auto comma = line.find(',');
        ref[line.substr(0, comma)] = std::stod(line.substr(comma + 1));
      }
      REQUIRE(ref.size() == rec.summary.size());
      for (const auto& sc : rec.summary) {
        INFO(c.name << ": " << sc.name);
        REQUIRE(ref.count(sc.name) == 1);
        const double want = ref[sc.name];
        if (std::isnan(want)) {
          CHECK(std::isnan(sc.value));
        } else {
          // Runs are deterministic; the tolerance only absorbs printing and libm rounding.
          CHECK(sc.value == Approx(want).epsilon(1e-9).margin(1e-12));
        }
      }
    }
  }
}
