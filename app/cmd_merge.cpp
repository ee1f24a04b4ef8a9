// `govsim merge`: the shards of one experiment (govsim run --shard K/N) into the results file a
// single process would have written. Checked first: every input is a shard of the same experiment
// (same fingerprint of its expanded runs), every shard K of N is there once, and no run is
// missing or doubled.
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analysis/results_reader.hpp"
#include "app/commands.hpp"
#include "app/run_support.hpp"
#include "sim/errors.hpp"
#include "sim/results/results_file.hpp"

namespace app {
namespace {

namespace fs = std::filesystem;

std::string required(const analysis::ResultsFile& f, const char* key) {
  const auto v = f.attribute(key);
  if (!v)
    throw sim::InputError(
        fmt::format("{}: not a shard (no '{}' attribute); write shards with "
                    "govsim run EXPERIMENT --shard K/N",
                    f.path().string(), key));
  return *v;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  out.push_back(text.substr(start));
  return out;
}

// Root attributes a shard has that the merged file gets anew (or not at all).
bool carried_over(const std::string& key) {
  static const std::set<std::string> kDropped = {"format",
                                                 "format_version",
                                                 "runs",
                                                 "failed_runs",
                                                 "Conventions",
                                                 "title",
                                                 "source",
                                                 "history",
                                                 "references",
                                                 "govsim_version",
                                                 "git_commit",
                                                 "created_utc",
                                                 "wall_seconds",
                                                 "shard",
                                                 "experiment_hash",
                                                 "experiment_run_order"};
  return kDropped.count(key) == 0;
}

}  // namespace

int cmd_merge(const MergeArgs& args) {
  std::vector<analysis::ResultsFile> shards;
  try {
    for (const auto& f : args.files) shards.emplace_back(f);
  } catch (const analysis::BadInput& e) {
    throw sim::InputError(e.what());
  }
  const auto& first = shards.front();
  const std::string hash = required(first, "experiment_hash");
  const std::string order_text = required(first, "experiment_run_order");
  std::map<std::size_t, std::string> shard_files;  // K -> file
  std::size_t of = 0;
  for (const auto& s : shards) {
    if (required(s, "experiment_hash") != hash || required(s, "experiment_run_order") != order_text)
      throw sim::InputError(fmt::format("{} is a shard of another experiment than {}",
                                        s.path().string(), first.path().string()));
    const auto [k, n] = parse_shard(required(s, "shard"));
    if (of != 0 && n != of)
      throw sim::InputError(fmt::format("{} is shard {}/{}, but {} was split into {}",
                                        s.path().string(), k, n, first.path().string(), of));
    of = n;
    if (!shard_files.emplace(k, s.path().string()).second)
      throw sim::InputError(fmt::format("shard {}/{} is given twice ({} and {})", k, n,
                                        shard_files[k], s.path().string()));
  }
  for (std::size_t k = 1; k <= of; ++k) {
    if (shard_files.count(k) == 0)
      throw sim::InputError(fmt::format("shard {}/{} is missing", k, of));
  }
  // Where each run is, as a success (file) or a failure (file, message, attributes).
  std::map<std::string, const analysis::ResultsFile*> done;
  std::map<std::string, const analysis::FailureInfo*> failed;
  for (const auto& s : shards) {
    for (const auto& r : s.runs()) done.emplace(r.name, &s);
    for (const auto& f : s.failures()) failed.emplace(f.name, &f);
  }
  const auto order = lines(order_text);
  std::vector<std::string> missing;
  for (const auto& name : order)
    if (done.count(name) == 0 && failed.count(name) == 0) missing.push_back(name);
  if (!missing.empty())
    throw sim::InputError(fmt::format("{} run(s) of the experiment are in no shard, e.g. {}",
                                      missing.size(), missing.front()));
  check_output(args.output);
  if (fs::path(args.output).has_parent_path())
    fs::create_directories(fs::path(args.output).parent_path());
  sim::ResultsWriter writer(args.output, false, args.overwrite);
  for (const auto& name : order) {
    if (const auto it = done.find(name); it != done.end()) {
      writer.import_run(it->second->path(), name);
    } else {
      const analysis::FailureInfo& f = *failed.at(name);
      writer.record_failure(name, f.message, f.attributes);
    }
  }
  sim::Attributes root;
  for (const auto& [key, value] : first.attributes())
    if (carried_over(key)) root.emplace_back(key, value);
  std::string from;
  for (const auto& [k, file] : shard_files) from += (from.empty() ? "" : "\n") + file;
  root.emplace_back("merged_from", from);
  const std::string title = first.attribute("title").value_or("govsim experiment");
  writer.finish(provenance(title, root), order, {"policy", "sample", "replicate"});
  std::cerr << fmt::format("merged {} runs ({} failed) from {} shards into {}\n", order.size(),
                           failed.size(), of, args.output);
  return failed.empty() ? sim::kExitOk : sim::kExitInternal;
}

}  // namespace app
