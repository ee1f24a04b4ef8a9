// Command-line values checked before any work: overrides through the scenario's declared ranges
// (naming the flag) and the results path (-o), each refused with exit code 2 and no output.
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/results_reader.hpp"
#include "tests/cli/process.hpp"
#include "tests/support.hpp"
#include "tests/temp_dir.hpp"

namespace {
namespace fs = std::filesystem;

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

const std::string kSmall = (test::source_dir() / "scenarios/synthetic-small.yaml").string();
const std::string kTiny = (test::source_dir() / "tests/data/experiment/tiny.yaml").string();

}  // namespace

TEST_CASE("override flags out of range or not finite are refused, naming the flag",
          "[cli][bad-input]") {
  const std::vector<std::vector<std::string>> cases = {
      {"--scale", "nan"}, {"--scale", "inf"}, {"--scale", "-inf"},  {"--scale", "-0.5"},
      {"--scale", "0"},   {"--scale", "2"},   {"--days", "0"},      {"--days", "3651"},
      {"--days", "-3"},   {"--days", "nan"},  {"--seed", "-1"},     {"--seed", "1e300"},
      {"--seed", "nan"},  {"--days", "1e12"}, {"--scale", "1e-300"}};
  for (const std::string& file : {kSmall, kTiny}) {
    for (const auto& flag : cases) {
      DYNAMIC_SECTION(fs::path(file).filename().string() << " " << flag[0] << " " << flag[1]) {
        const test::TempDir dir;
        const fs::path out = dir.path() / "out";
        fs::create_directories(out);
        const test::Result r = test::run_govsim(
            {"run", file, "-o", (out / "x.h5").string(), "--no-progress", flag[0], flag[1]},
            dir.path());
        INFO("stderr: " << r.err);
        CHECK(r.code == 2);
        CHECK_THAT(first_line(r.err), Catch::Matchers::Contains(flag[0]));
        CHECK(r.out.find("Issues by origin") == std::string::npos);
        CHECK(fs::is_empty(out));
      }
    }
  }
  SECTION("the message is the scenario's range") {
    const test::TempDir dir;
    const test::Result r =
        test::run_govsim({"run", kSmall, "--no-progress", "--scale", "2"}, dir.path());
    CHECK(r.code == 2);
    CHECK(first_line(r.err) ==
          "--scale: population.scale: out of range: expected 1e-06 <= value <= 1, got 2");
    const test::Result nan =
        test::run_govsim({"run", kSmall, "--no-progress", "--scale", "nan"}, dir.path());
    CHECK(nan.code == 2);
    CHECK(first_line(nan.err) == "--scale: expected a finite number, got nan");
  }
  SECTION("inspect city --scale too") {
    const test::TempDir dir;
    const test::Result r =
        test::run_govsim({"inspect", "city", kSmall, "--scale", "nan"}, dir.path());
    CHECK(r.code == 2);
    CHECK(first_line(r.err) == "--scale: expected a finite number, got nan");
  }
}

TEST_CASE("the output path given with -o must name a writable results file, checked before the run",
          "[cli][bad-input]") {
  const test::TempDir dir;
  const fs::path existing = dir.path() / "existing";
  fs::create_directories(existing);
  auto run = [&](const std::string& file, const fs::path& output, bool overwrite) {
    std::vector<std::string> args = {"run", file,      "-o",   output.string(), "--days",
                                     "2",   "--scale", "0.02", "--no-progress"};
    if (overwrite) args.emplace_back("--overwrite");
    return test::run_govsim(args, dir.path());
  };
  for (const std::string& file : {kSmall, kTiny}) {
    for (const bool overwrite : {false, true}) {
      DYNAMIC_SECTION(fs::path(file).filename().string() << " overwrite " << overwrite) {
        SECTION("an existing directory") {
          const test::Result r = run(file, existing, overwrite);
          INFO("stderr: " << r.err);
          CHECK(r.code == 2);
          CHECK_THAT(first_line(r.err),
                     Catch::Matchers::StartsWith(existing.string() + ": is a directory"));
          CHECK(r.out.find("Issues by origin") == std::string::npos);
          CHECK(fs::is_empty(existing));
          CHECK_FALSE(fs::exists(dir.path() / "existing.parts"));
        }
        SECTION("a parent that is a file") {
          const fs::path plain = dir.write("plain.txt", "x");
          const test::Result r = run(file, plain / "sub" / "out.h5", overwrite);
          INFO("stderr: " << r.err);
          CHECK(r.code == 2);
          CHECK(first_line(r.err) == (plain / "sub" / "out.h5").string() + ": cannot write here: " +
                                         plain.string() + " is not a directory");
        }
        if (::geteuid() != 0) {
          SECTION("a directory that is not writable") {
            const fs::path locked = dir.path() / "locked";
            fs::create_directories(locked);
            fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
            const test::Result r = run(file, locked / "out.h5", overwrite);
            fs::permissions(locked, fs::perms::owner_all);
            INFO("stderr: " << r.err);
            CHECK(r.code == 2);
            CHECK_THAT(first_line(r.err), Catch::Matchers::Contains("is not writable"));
          }
        }
      }
    }
  }
  SECTION("missing parent directories are created") {
    const fs::path out = dir.path() / "new" / "sub" / "out.h5";
    const test::Result r = run(kSmall, out, false);
    INFO("stderr: " << r.err);
    CHECK(r.code == 0);
    CHECK(fs::is_regular_file(out));
  }
}

TEST_CASE("the version flag names the commit the binary was built from", "[cli]") {
  const test::TempDir dir;
  std::string head;
  const std::string git =
      "git -C '" + test::source_dir().string() + "' rev-parse --short=12 HEAD 2>/dev/null";
  if (FILE* pipe = ::popen(git.c_str(), "r")) {
    char line[64] = {};
    if (fgets(line, sizeof line, pipe) != nullptr) head = first_line(line);
    ::pclose(pipe);
  }
  const test::Result r = test::run_govsim({"--version"}, dir.path());
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("govsim 0.1.0 (commit "));
  if (head.empty()) {
    WARN("no git checkout: the commit is 'unknown'");
    CHECK_THAT(r.out, Catch::Contains("(commit unknown)"));
    return;
  }
  // Taken at build time, so it is the checked-out commit (with "-dirty" for uncommitted changes).
  CHECK_THAT(r.out, Catch::Contains("(commit " + head));
}

TEST_CASE("the set flag sets any scenario key and is checked as in a file", "[cli][bad-input]") {
  const test::TempDir dir;
  const fs::path out = dir.path() / "set.h5";
  test::Result r =
      test::run_govsim({"run", kSmall, "--days", "2", "--no-progress", "-o", out.string(), "--set",
                        "hotline.call_takers=7", "--set", "policies.whistle.enabled=true"},
                       dir.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  {
    const analysis::ResultsFile file(out);
    REQUIRE(file.runs().size() == 1);
    std::string yaml;
    for (const auto& [k, v] : file.runs().front().attributes)
      if (k == "scenario_yaml") yaml = v;
    CHECK_THAT(yaml, Catch::Contains("call_takers: 7\n"));
    CHECK_THAT(yaml, Catch::Matches("(.|\n)*whistle:\n    enabled: true(.|\n)*"));
  }
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"hotline.call_taker=50",
       "--set hotline.call_taker=50: hotline.call_taker: unknown key "
       "'call_taker' (did you mean 'call_takers'?)"},
      {"hotline.call_takers=abc",
       "--set hotline.call_takers=abc: hotline.call_takers: expected a "
       "number, got 'abc'"},
      {"hotline.call_takers=-5", "--set hotline.call_takers=-5: hotline.call_takers: out of range"},
      {"nonsense", "--set nonsense: expected KEY=VALUE"},
      {"=3", "--set =3: expected KEY=VALUE"}};
  for (const auto& [setting, message] : bad) {
    INFO(setting);
    const fs::path none = dir.path() / "none.h5";
    r = test::run_govsim(
        {"run", kSmall, "--days", "2", "--no-progress", "-o", none.string(), "--set", setting},
        dir.path());
    CHECK(r.code == 2);
    CHECK_THAT(first_line(r.err), Catch::StartsWith(message));
    CHECK(!fs::exists(none));
  }
  // In an experiment it applies to every run.
  const fs::path exp = dir.path() / "exp.h5";
  r = test::run_govsim({"run", kTiny, "--days", "2", "--no-progress", "-o", exp.string(), "--set",
                        "hotline.call_takers=9"},
                       dir.path());
  INFO(r.err);
  REQUIRE(r.code == 0);
  const analysis::ResultsFile file(exp);
  REQUIRE(file.runs().size() == 12);
  for (const auto& run : file.runs()) {
    for (const auto& [k, v] : run.attributes)
      if (k == "scenario_yaml") CHECK_THAT(v, Catch::Contains("call_takers: 9\n"));
  }
}

TEST_CASE("a run no longer than its warm-up says the warm-up is dropped", "[cli]") {
  const test::TempDir dir;
  // synthetic-small has a 5-day warm-up.
  test::Result r = test::run_govsim({"run", kSmall, "--days", "3", "--no-progress"}, dir.path());
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("note: --days makes the run (3 days) no longer than its "
                                    "warm-up (5 days): the warm-up is dropped"));
  CHECK_THAT(r.out, Catch::Contains("Summary (every day: no warm-up)"));
  r = test::run_govsim({"run", kSmall, "--days", "8", "--no-progress"}, dir.path());
  REQUIRE(r.code == 0);
  CHECK(r.err.find("warm-up is dropped") == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains("Summary (after the 5-day warm-up)"));
  // In an experiment (5 days in the file), --days wins and is the one the note names.
  const std::string saltelli =
      (test::source_dir() / "tests/data/experiment/saltelli.yaml").string();
  r = test::run_govsim(
      {"run", saltelli, "--days", "3", "--no-progress", "-o", (dir.path() / "s.h5").string()},
      dir.path());
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("note: --days makes the run (3 days)"));
  CHECK(r.err.find("saltelli.yaml makes the run") == std::string::npos);
}

TEST_CASE("an interrupted single run leaves nothing behind and does not offer to resume", "[cli]") {
  const test::TempDir dir;
  const fs::path out = dir.path() / "one.h5", parts = dir.path() / "one.h5.parts";
  const auto p =
      test::spawn_govsim({"run", (test::source_dir() / "scenarios/guangzhou.yaml").string(),
                          "--scale", "0.05", "--days", "3000", "--no-progress", "-o", out.string()},
                         dir.path() / "run.out", dir.path() / "run.err");
  // The parts directory appears once the scenario is read and the output checked.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(parts) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(fs::exists(parts));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // well into the run
  ::kill(p.pid, SIGTERM);
  CHECK(test::wait_exit(p) == 130);
  const std::string err = test::slurp(dir.path() / "run.err");
  CHECK_THAT(err, Catch::Contains("nothing was written (a single run cannot be resumed)"));
  CHECK(err.find("--resume") == std::string::npos);
  CHECK(!fs::exists(out));
  CHECK(!fs::exists(parts));
}

TEST_CASE("the generated bash completion completes commands and each command's options", "[cli]") {
  const test::TempDir dir;
  const test::Result r = test::run_govsim({"completion", "bash"}, dir.path());
  REQUIRE(r.code == 0);
  const fs::path script = dir.path() / "govsim.bash";
  std::ofstream(script) << r.out;
  // Complete as bash would, for a few partial command lines.
  const std::string probe =
      "bash -c 'source " + script.string() +
      " && for line in \"govsim ru\" \"govsim run --sc\" \"govsim export --me\" \"govsim inspect "
      "ci\"; do read -ra COMP_WORDS <<< \"$line\"; COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _govsim; "
      "echo \"${COMPREPLY[*]}\"; done' > " +
      (dir.path() / "replies.txt").string() + " 2>&1";
  REQUIRE(std::system(probe.c_str()) == 0);
  CHECK(test::slurp(dir.path() / "replies.txt") == "run\n--scale\n--metric\ncity\n");
}

TEST_CASE("runs estimated to need more memory than allowed are refused before anything is built",
          "[cli][bad-input][memory]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  // Every key within its range, together 5e12 residents: refused at once, naming the keys.
  std::ofstream(dir / "huge.yaml")
      << "extends: " << (test::source_dir() / "scenarios/synthetic-small.yaml")
      << "\ncity:\n  synthetic:\n    districts: 1000\n"
         "    streets_per_district: 1000\n"
         "    communities_per_street: 1000\n";
  auto r = test::run_govsim({"run", (dir / "huge.yaml").string(), "--days", "10", "-o",
                             (dir / "huge.h5").string(), "--no-progress"},
                            dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("city.synthetic.districts 1000") &&
                        Catch::Contains("residents_per_community 5000") &&
                        Catch::Contains("--max-memory"));
  CHECK_FALSE(fs::exists(dir / "huge.h5.parts"));
  // The estimate moves with what drives it: the tiny experiment fits in 64 MiB, not in 1 MiB.
  const std::string tiny = (test::source_dir() / "tests/data/experiment/tiny.yaml").string();
  const fs::path out = dir / "tiny.h5";
  r = test::run_govsim(
      {"run", tiny, "-o", out.string(), "--no-progress", "--days", "2", "--max-memory", "1M"}, dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("more than --max-memory"));
  CHECK_FALSE(fs::exists(out));
  r = test::run_govsim(
      {"run", tiny, "-o", out.string(), "--no-progress", "--days", "2", "--max-memory", "64M"},
      dir);
  INFO(r.err);
  CHECK(r.code == 0);
  r = test::run_govsim({"run", tiny, "--max-memory", "12Q"}, dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("--max-memory 12Q"));
  // The issue store grows with incidence: 100 new issues per 1000 residents a day in one domain
  // (inside its range) is refused where the shipped rates run.
  const std::string small = (test::source_dir() / "scenarios/synthetic-small.yaml").string();
  const std::vector<std::string> hundred_days = {
      "run", small, "--scale", "0.1", "--days", "100", "--no-progress", "--max-memory", "4M"};
  auto args = hundred_days;
  args.insert(args.end(), {"--set", "domains[0].incidence_per_1000_per_day=100", "-o",
                           (dir / "heavy.h5").string()});
  r = test::run_govsim(args, dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("incidence_per_1000_per_day summing to"));
  args = hundred_days;
  args.insert(args.end(), {"-o", (dir / "light.h5").string()});
  r = test::run_govsim(args, dir);
  INFO(r.err);
  CHECK(r.code == 0);
}

TEST_CASE("a scenario piped in is read once and an extends naming a pipe is refused",
          "[cli][bad-input]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  // Read twice (to tell a scenario from an experiment, then to load it), a pipe read as empty.
  const std::string piped = "printf 'extends: " + kSmall +
                            "\\nrun:\\n  days: 2\\n  warmup_days: 0\\n' | '" + GOVSIM_BINARY +
                            "' run /dev/stdin --scale 0.05 --no-progress -o piped.h5";
  auto r = test::run_program("/bin/sh", {"-c", piped}, dir, dir);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(fs::exists(dir / "piped.h5"));
  // A FIFO nobody writes to would block the read for ever.
  REQUIRE(::mkfifo((dir / "parent.yaml").c_str(), 0600) == 0);
  std::ofstream(dir / "child.yaml") << "extends: parent.yaml\n";
  r = test::run_program("timeout", {"20", GOVSIM_BINARY, "validate", "child.yaml"}, dir, dir);
  CHECK(r.code == 2);
  CHECK(first_line(r.err) ==
        "child.yaml:1:10: extends: not a regular file (a pipe or device would block or never "
        "end): parent.yaml");
}
