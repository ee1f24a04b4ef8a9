// The README's five-minute tour, line by line, as a new user would type it: in a fresh directory
// holding only links to the checkout's scenarios, tests, analysis and scripts and to the built
// binary. Every line must succeed and everything it writes must land in results/.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tests/cli/process.hpp"
#include "tests/support.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

// The commands of the README section `heading`'s first ```sh block, comments and blank lines
// dropped.
std::vector<std::string> tour_commands(const fs::path& readme, const std::string& heading) {
  std::ifstream in(readme);
  std::vector<std::string> out;
  std::string line;
  bool in_section = false, in_block = false;
  while (std::getline(in, line)) {
    if (!in_section) {
      in_section = line == heading;
      continue;
    }
    if (!in_block) {
      in_block = line == "```sh";
      continue;
    }
    if (line == "```") break;
    const auto comment = line.find("  #");
    if (comment != std::string::npos) line.erase(comment);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// What a test can afford: the tour's full-city runs at a few days and a small share of the
// residents, with the options the commands already have. The lines themselves stay as written.
struct Reduction {
  std::string fragment;  // a line containing this
  std::string append;    // gets these options
};

const std::vector<Reduction> kReductions = {
    {"$B run ", " --days 2 --scale 0.005"},
    {"$B calibrate ", " --scale 0.002 --population 8 --generations 2"},
    {"scripts/full_scale_screen.py", " --scale 0.002 --only 0,1 --govsim \"$B\""},
    {"scripts/ablation.py",
     " --only whistle --scale 0.005 --days 2 --results results/ablation --govsim \"$B\""},
};

// A line's `--days N` is dropped where a reduction sets the days (an option given twice is
// refused).
std::string reduced(std::string line) {
  std::string extra;
  for (const auto& r : kReductions) {
    if (line.find(r.fragment) == std::string::npos) continue;
    extra += r.append;
    if (r.append.find("--days") == std::string::npos) continue;
    const auto at = line.find(" --days ");
    if (at != std::string::npos) line.erase(at, line.find(' ', at + 8) - at);
  }
  // Options go before a trailing `&& ...` so they reach the first command.
  const auto chain = line.find(" && ");
  if (chain != std::string::npos) return line.substr(0, chain) + extra + line.substr(chain);
  return line + extra;
}

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

}  // namespace

TEST_CASE("every command of the README's tour runs in a fresh directory and writes to results/",
          "[cli][readme]") {
  const auto commands = tour_commands(test::source_dir() / "README.md", "## Five-minute tour");
  REQUIRE(commands.size() >= 15);
  REQUIRE(commands.front().starts_with("B="));
  const test::TempDir tmp;
  const fs::path work = tmp.path() / "tour";
  fs::create_directories(work / "build/release/app");
  fs::create_symlink(GOVSIM_BINARY, work / "build/release/app/govsim");
  for (const char* dir : {"scenarios", "tests", "analysis", "scripts"})
    fs::create_directory_symlink(test::source_dir() / dir, work / dir);
  const auto before = entries(work);
  // mpirun as root on a 2-core machine, as CI is.
  const std::string mpi_env =
      "export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
      "OMPI_MCA_rmaps_base_oversubscribe=1 MPLCONFIGDIR=\"$PWD/results/.matplotlib\"; ";
  for (std::size_t i = 1; i < commands.size(); ++i) {
    const std::string line = reduced(commands[i]);
    std::ofstream(tmp.path() / "line.sh") << "set -euo pipefail; cd '" << work.string() << "'; "
                                          << mpi_env << commands.front() << "; " << line << '\n';
    const auto r = test::run_program("bash", {(tmp.path() / "line.sh").string()}, tmp.path());
    INFO("README line: " << commands[i] << "\nran as: " << line << "\nstderr: " << r.err);
    CHECK(r.code == 0);
  }
  // Nothing but results/ was added beside the links.
  auto after = entries(work);
  after.erase("results");
  CHECK(after == before);
  CHECK(fs::exists(work / "results/exp.h5"));
  CHECK(fs::exists(work / "results/exp.html"));
  CHECK(fs::exists(work / "results/resolution.png"));
}
