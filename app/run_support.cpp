// Shared by the commands that run the model: scenario overrides, output checks, threads, time.
#include "app/run_support.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <ctime>

#include "sim/errors.hpp"
#include "sim/version.hpp"

namespace app {
namespace fs = std::filesystem;
using sim::config::Document;

// Overrides are written into the scenario before the model reads it, so that its reader checks
// them against the declared ranges like any value of the file; `loc` names where they came from
// (a flag, or the experiment file's line).
Document with_days(Document doc, double days, const sim::SourceLoc& loc) {
  doc = doc.with_value("run.days", days, loc);
  // A warm-up at least as long as the shortened run is dropped rather than refused. A warm-up
  // that is not a number is left for the reader to report.
  const Document warmup = doc.child("run").child("warmup_days");
  bool too_long = false;
  try {
    too_long = warmup.is_scalar() && warmup.as_double("run.warmup_days") >= days;
  } catch (const sim::InputError&) {
  }
  return too_long ? doc.with_value("run.warmup_days", 0, loc) : doc;
}

// Refuses, before any run starts, an output path that cannot become the results file: an
// existing directory, or one whose nearest existing ancestor is not a writable directory (missing
// parent directories are created, as for the default results/NAME.h5).
void check_output(const fs::path& output) {
  std::error_code ec;
  if (fs::is_directory(output, ec)) {
    throw sim::InputError(
        fmt::format("{}: is a directory; -o takes the results file's path, e.g. {}",
                    output.string(), (output / "results.h5").string()));
  }
  fs::path dir = output.parent_path();
  while (!dir.empty() && !fs::exists(dir, ec)) dir = dir.parent_path();
  if (dir.empty()) dir = output.is_absolute() ? output.root_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) {
    throw sim::InputError(
        fmt::format("{}: cannot write here: {} is not a directory", output.string(), dir.string()));
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw sim::InputError(fmt::format("{}: cannot write here: directory {} is not writable",
                                      output.string(), dir.string()));
  }
}

std::unique_ptr<tbb::global_control> thread_limit(int threads) {
  if (threads <= 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(threads));
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::vector<std::pair<std::string, std::string>> provenance(
    std::vector<std::pair<std::string, std::string>> own) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"govsim_version", std::string(sim::version())},
      {"git_commit", std::string(sim::git_commit())},
      {"created_utc", utc_now()}};
  out.insert(out.end(), own.begin(), own.end());
  return out;
}

}  // namespace app
