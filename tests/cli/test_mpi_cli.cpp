// Experiments and calibrations spread over MPI ranks (mpirun -np N govsim ...): the same file as
// one process writes, and a job that loses a rank keeps its finished runs for --resume with any
// number of ranks. Built only when govsim is built with MPI.
#include <catch2/catch.hpp>

#include <dirent.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "analysis/results_reader.hpp"
#include "tests/cli/process.hpp"
#include "tests/cli/same_datasets.hpp"
#include "tests/support.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kTiny = test::source_dir() / "tests/data/experiment/tiny.yaml";

std::vector<std::string> mpirun_args(int ranks, const std::vector<std::string>& govsim_args) {
  std::vector<std::string> a = {"--allow-run-as-root", "--oversubscribe", "-np",
                                std::to_string(ranks), GOVSIM_BINARY};
  a.insert(a.end(), govsim_args.begin(), govsim_args.end());
  return a;
}

// NUL-separated contents of /proc/PID/FILE as one string with NULs kept.
std::string proc_file(const std::string& pid, const char* file) {
  std::ifstream in("/proc/" + pid + "/" + file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The process of MPI rank `rank` whose command line mentions `marker`, or -1.
pid_t find_rank(int rank, const std::string& marker) {
  const std::string env = std::string("OMPI_COMM_WORLD_RANK=") + std::to_string(rank) + '\0';
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string pid = e.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (proc_file(pid, "cmdline").find(marker) == std::string::npos) continue;
    if (proc_file(pid, "environ").find(env) != std::string::npos) return std::stoi(pid);
  }
  return -1;
}

}  // namespace

TEST_CASE("an experiment under mpirun with 3 ranks writes the file one process writes",
          "[cli][mpi]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path serial = dir / "serial.h5", mpi = dir / "mpi.h5";
  auto r = test::run_govsim(
      {"run", kTiny.string(), "-o", serial.string(), "--no-progress", "--days", "6"}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  r = test::run_program(
      "mpirun",
      mpirun_args(3, {"run", kTiny.string(), "-o", mpi.string(), "--no-progress", "--days", "6"}),
      dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  test::require_same_datasets(serial, mpi);
  CHECK_FALSE(fs::exists(dir / "mpi.h5.parts"));
  // The comparison is printed once, by rank 0.
  const auto first = r.out.find("baseline");
  REQUIRE(first != std::string::npos);
  CHECK(r.out.find("file: ") == r.out.rfind("file: "));
}

TEST_CASE("a calibration under mpirun with 3 ranks gives the posterior of one process",
          "[cli][mpi][calibration]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const std::string file = (test::source_dir() / "tests/data/calibration/tiny.yaml").string();
  const fs::path serial = dir / "serial.h5", mpi = dir / "mpi.h5";
  auto r = test::run_govsim({"calibrate", file, "-o", serial.string(), "--no-progress"}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  r = test::run_program(
      "mpirun", mpirun_args(3, {"calibrate", file, "-o", mpi.string(), "--no-progress"}), dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  test::require_same_posterior(serial, mpi);
}

TEST_CASE("an MPI job that loses a rank keeps its finished runs and resumes with other ranks",
          "[cli][mpi]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path serial = dir / "serial.h5", cut = dir / "cut.h5";
  const std::vector<std::string> days = {"--no-progress", "--days", "150", "--scale", "1"};
  auto args = [&](const fs::path& out, std::vector<std::string> extra) {
    std::vector<std::string> a = {"run", kTiny.string(), "-o", out.string()};
    a.insert(a.end(), days.begin(), days.end());
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  auto r = test::run_govsim(args(serial, {}), dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto job = test::spawn_program("mpirun", mpirun_args(3, args(cut, {})), dir / "cut.out",
                                       dir / "cut.err");
  // Once a run is stored, rank 2 dies as a crashed or pre-empted node would.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool killed = false;
  while (!killed && std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir / "cut.h5.parts" / "runs", ec)) {
      if (e.path().extension() != ".h5") continue;
      const pid_t rank2 = find_rank(2, cut.string());
      if (rank2 > 0) killed = ::kill(rank2, SIGKILL) == 0;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  REQUIRE(killed);
  const int code = test::wait_exit(job);
  const std::string err = test::slurp(dir / "cut.err");
  INFO(err);
  CHECK(code != 0);
  CHECK_FALSE(fs::exists(cut));
  // Rank 0 names what is missing.
  CHECK_THAT(err, Catch::Contains("runs unfinished: ") && Catch::Contains("--resume"));
  std::size_t kept = 0;
  for (const auto& e : fs::directory_iterator(dir / "cut.h5.parts" / "runs"))
    kept += e.path().extension() == ".h5" ? 1 : 0;
  CHECK(kept >= 1);
  CHECK(kept < 12);
  r = test::run_program("mpirun", mpirun_args(2, args(cut, {"--resume"})), dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains(std::to_string(kept) + " resumed"));
  test::require_same_datasets(serial, cut);
}

TEST_CASE("MPI workers refuse runs that would not fit in their memory, naming rank and host",
          "[cli][mpi][memory]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path out = dir / "mpi.h5";
  const auto r =
      test::run_program("mpirun",
                        mpirun_args(2, {"run", kTiny.string(), "-o", out.string(), "--no-progress",
                                        "--days", "2", "--serial-runs", "--max-memory", "1M"}),
                        dir);
  INFO(r.err);
  CHECK(r.code == 1);  // every run failed; the file keeps the failures
  const analysis::ResultsFile file(out);
  CHECK(file.runs().empty());
  REQUIRE(file.failures().size() == 12);
  CHECK_THAT(file.failures().front().message,
             Catch::Contains("rank 1") && Catch::Contains("more than --max-memory"));
}
