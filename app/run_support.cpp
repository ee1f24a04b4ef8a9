// Shared by the commands that run the model: scenario overrides, output checks, threads, time.
#include "app/run_support.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <mutex>

#include "sim/errors.hpp"
#include "sim/experiment/mpi_world.hpp"
#include "sim/version.hpp"

namespace app {
namespace fs = std::filesystem;
using sim::config::Document;

// Overrides are written into the scenario before the model reads it, so that its reader checks
// them against the declared ranges like any value of the file; `loc` names where they came from
// (a flag, or the experiment file's line).
namespace {
std::vector<std::string>& pending_notes() {
  static std::vector<std::string> notes;
  return notes;
}
std::mutex notes_mutex;
}  // namespace

std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  std::size_t k = 0, n = 0;
  const auto slash = text.find('/');
  const auto whole = [](const std::string& part, std::size_t& into) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), into);
    return ec == std::errc{} && end == part.data() + part.size() && !part.empty();
  };
  if (slash == std::string::npos || !whole(text.substr(0, slash), k) ||
      !whole(text.substr(slash + 1), n) || k < 1 || k > n || n > 100000)
    throw sim::InputError(
        fmt::format("--shard {}: expected K/N with 1 <= K <= N, e.g. --shard 2/4", text));
  return {k, n};
}

void keep_note(const std::string& note) {
  std::lock_guard lock(notes_mutex);
  auto& notes = pending_notes();
  if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
}

void print_notes() {
  std::lock_guard lock(notes_mutex);
  // An MPI job's workers read what rank 0 reads: rank 0 says it once.
  if (sim::mpi_rank() == 0)
    for (const auto& n : pending_notes()) std::cerr << n << '\n';
  pending_notes().clear();
}

Document with_days(Document doc, double days, const sim::SourceLoc& loc) {
  doc = doc.with_value("run.days", days, loc);
  // A warm-up at least as long as the shortened run is dropped rather than refused. A warm-up
  // that is not a number is left for the reader to report.
  const Document warmup = doc.child("run").child("warmup_days");
  double warmup_days = 0;
  try {
    if (warmup.is_scalar()) warmup_days = warmup.as_double("run.warmup_days");
  } catch (const sim::InputError&) {
  }
  if (warmup_days < days) return doc;
  // Said once, and only once the input has been read without error (print_notes).
  keep_note(fmt::format(
      "govsim: note: {} makes the run ({} days) no longer than its warm-up ({} days): the "
      "warm-up is dropped, and summaries cover every day, start-up transient included",
      loc.file, days, warmup_days));
  return doc.with_value("run.warmup_days", 0, loc);
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

namespace {
std::string& command_line() {
  static std::string line;
  return line;
}
}  // namespace

void remember_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool plain = !arg.empty() && arg.find_first_of(" \t'\"\\$`") == std::string::npos;
    line += (i ? " " : "") + (plain ? arg : "'" + arg + "'");
  }
  command_line() = line;
}

std::vector<std::pair<std::string, std::string>> provenance(
    const std::string& title, std::vector<std::pair<std::string, std::string>> own) {
  const std::string now = utc_now();
  const std::string source =
      fmt::format("govsim {} (commit {})", sim::version(), sim::git_commit());
  std::vector<std::pair<std::string, std::string>> out = {
      {"Conventions", "CF-1.8"},
      {"title", title},
      {"source", source},
      {"history", now + " " + (command_line().empty() ? source : command_line())},
      {"references", "docs/MODEL.md (the model); seeds/README.md (the article it tests)"},
      {"govsim_version", std::string(sim::version())},
      {"git_commit", std::string(sim::git_commit())},
      {"created_utc", now}};
  out.insert(out.end(), own.begin(), own.end());
  return out;
}

std::string unknown_command_message(const std::string& given,
                                    const std::vector<std::string>& names) {
  // Levenshtein distance, one row at a time.
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = std::string::npos;
  std::string all;
  for (const auto& n : names) {
    all += (all.empty() ? "" : ", ") + n;
    const std::size_t d = distance(given, n);
    if (d < best_distance) {
      best_distance = d;
      best = n;
    }
  }
  std::string message = "govsim: unknown command '" + given + "'";
  if (!best.empty() && best_distance <= std::max<std::size_t>(2, best.size() / 3))
    return message + "; did you mean '" + best + "'?";
  return message + "; commands: " + all;
}

std::uint64_t parse_max_memory(const std::string& text) {
  if (text.empty()) {
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
    const double physical =
        pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0;
    return physical > 0 ? static_cast<std::uint64_t>(0.9 * physical)
                        : std::numeric_limits<std::uint64_t>::max();
  }
  double value = 0;
  const char* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, value);
  const std::string_view unit(rest, static_cast<std::size_t>(end - rest));
  static const std::pair<std::string_view, double> kUnits[] = {{"", 1},
                                                               {"K", 1024.0},
                                                               {"M", 1024.0 * 1024},
                                                               {"G", 1024.0 * 1024 * 1024},
                                                               {"T", 1024.0 * 1024 * 1024 * 1024}};
  for (const auto& [name, factor] : kUnits) {
    if (ec == std::errc() && unit == name && std::isfinite(value) && value > 0 &&
        value * factor < 1.8e19)
      return static_cast<std::uint64_t>(value * factor);
  }
  throw sim::InputError(fmt::format(
      "--max-memory {}: expected a positive size in bytes, or with K, M, G or T (e.g. 16G)", text));
}

void check_memory(const gov::ResourceEstimate& e, std::size_t runs_at_once, std::size_t setups,
                  std::uint64_t max_bytes) {
  const double need =
      static_cast<double>(runs_at_once) * e.run_bytes + static_cast<double>(setups) * e.setup_bytes;
  if (need <= static_cast<double>(max_bytes)) return;
  constexpr double kGiB = 1024.0 * 1024 * 1024;
  throw sim::InputError(fmt::format(
      "the runs would need about {:.3g} GiB ({} at once of about {:.3g} GiB each, from {}), "
      "more than --max-memory {:.3g} GiB (default: 90 % of this machine's memory); lower one of "
      "those, run fewer at once (--threads, --serial-runs) or raise --max-memory",
      need / kGiB, runs_at_once, e.run_bytes / kGiB, e.drivers,
      static_cast<double>(max_bytes) / kGiB));
}

void write_atomically(const fs::path& target, const std::function<void(std::ostream&)>& write) {
  const fs::path tmp = target.string() + fmt::format(".tmp{}", ::getpid());
  try {
    std::ofstream out(tmp);
    if (!out) throw analysis::BadInput(fmt::format("{}: cannot write here", target.string()));
    write(out);
    out.close();
    if (!out) throw analysis::BadInput(fmt::format("{}: writing failed", target.string()));
    std::error_code renamed;
    fs::rename(tmp, target, renamed);
    if (renamed)
      throw analysis::BadInput(fmt::format("{}: {}", target.string(), renamed.message()));
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

void check_disk(const fs::path& output, double need_bytes, const std::string& drivers) {
  fs::path dir = output.has_parent_path() ? output.parent_path() : fs::path(".");
  std::error_code ec;
  while (!fs::exists(dir, ec) && dir.has_parent_path() && dir != dir.parent_path())
    dir = dir.parent_path();
  const fs::space_info space = fs::space(dir, ec);
  if (ec || need_bytes <= static_cast<double>(space.available)) return;
  constexpr double kMiB = 1024.0 * 1024;
  throw sim::InputError(fmt::format(
      "the results need at least {:.3g} MiB ({}), more than the {:.3g} MiB free on the file "
      "system of {}; free some space, write elsewhere (-o) or record less (shorter runs, "
      "run.issue_log none)",
      need_bytes / kMiB, drivers, static_cast<double>(space.available) / kMiB, dir.string()));
}

}  // namespace app
