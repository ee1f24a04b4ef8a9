#pragma once
// What the commands that run the model share: day overrides written into a scenario (so the
// model's reader range-checks them), the output check made before any run, the thread limit and
// the time stamp stored in results files, and the one place where an analysis's bad input is
// reported.
#include <tbb/global_control.h>

#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analysis/results_reader.hpp"
#include "models/scenario/resource_estimate.hpp"
#include "sim/config/config_yaml.hpp"
#include "sim/errors.hpp"

namespace app {

// `run.days` set to `days` (from `loc`, a flag or a file's line); a warm-up at least as long is
// dropped.
sim::config::Document with_days(sim::config::Document doc, double days, const sim::SourceLoc& loc);
// Notes for the user (each said once), printed on stderr by print_notes() once the input they
// concern has been read without error, so an error message is always the first line.
void keep_note(const std::string& note);
void print_notes();
// Runs an analysis that writes a report; returns 0, or 2 after printing "govsim COMMAND: error:"
// and the reason when the input is bad (analysis::BadInput: a missing or foreign results file, an
// unknown policy, metric or format). Only the app prints: the analysis throws.
template <class Report>
int report_bad_input(const char* command, Report&& report) {
  try {
    report();
    return sim::kExitOk;
  } catch (const analysis::BadInput& e) {
    std::cerr << "govsim " << command << ": error: " << e.what() << '\n';
    return sim::kExitBadInput;
  }
}

// Writes a text output through `write`, beside `target` and renamed over it, so a reader never
// sees half a file. Throws analysis::BadInput when it cannot be written.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(std::ostream&)>& write);
// Refuses, before any run starts, an output path that cannot become the results file.
void check_output(const std::filesystem::path& output);
std::unique_ptr<tbb::global_control> thread_limit(int threads);
std::string utc_now();
// "govsim: unknown command 'rnu'; did you mean 'run'?" (the nearest name by edit distance, when
// it is near), else the list of commands.
std::string unknown_command_message(const std::string& given,
                                    const std::vector<std::string>& names);
// --max-memory: bytes, or a number with K, M, G or T (powers of 1024); "" gives the default,
// 90 % of the machine's physical memory. Throws InputError naming the flag.
std::uint64_t parse_max_memory(const std::string& text);
// Refuses, before anything runs, runs whose estimated memory (`runs_at_once` runs in flight like
// `e`, plus `setups` starting populations) exceeds `max_bytes`, naming what sets the size and the
// ways out. Throws InputError.
void check_memory(const gov::ResourceEstimate& e, std::size_t runs_at_once, std::size_t setups,
                  std::uint64_t max_bytes);
// Refuses, before anything runs, results that cannot fit where `output` will be written:
// `need_bytes` (a lower bound, so a refusal is sure) more than the file system's free space,
// naming what sets the size (`drivers`). When the free space cannot be read nothing is checked
// (a full disk is still handled when it happens). Throws InputError.
void check_disk(const std::filesystem::path& output, double need_bytes, const std::string& drivers);
// "K/N" with 1 <= K <= N: the shard given with --shard. Throws InputError naming the flag.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text);
// Kept for the `history` attribute of the files this process writes (main calls it once).
void remember_command_line(int argc, const char* const* argv);
// The root attributes every results file starts with — CF's Conventions, title, source, history
// (time and command line) and references, then version, commit and creation time — followed by
// the command's own.
std::vector<std::pair<std::string, std::string>> provenance(
    const std::string& title, std::vector<std::pair<std::string, std::string>> own);

}  // namespace app
