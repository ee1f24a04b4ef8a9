#pragma once
// Runs the runs of an experiment (in parallel across runs), stores each as it finishes, records
// failures without stopping the others, skips runs finished before an interruption, and stops
// cleanly on SIGINT/SIGTERM.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/record.hpp"
#include "sim/results_file.hpp"

namespace sim {

// One run as the experiment expands it. `attributes` (policy, replicate, sample, seed, resolved
// scenario...) are stored with the run, or with its failure record.
struct RunTask {
  std::string name;
  Attributes attributes;
  // Runs with equal `shared_setup` start from the same expensive set-up (the model's cache holds
  // it); they are started one after another, so the cache needs room for a few set-ups only.
  std::string shared_setup;
};

struct RunnerOptions {
  bool parallel_runs = true;
  bool show_progress = true;  // on stderr, and only when it is a terminal
};

struct RunnerReport {
  std::size_t completed = 0, skipped = 0, failed = 0;
  double wall_seconds = 0;
};

// Calls fn(i) for every task i that `writer` does not already hold, and writes its record under
// the task's name. The stored attributes are the task's followed by the record's own (a record
// attribute with a task attribute's name is dropped: the task is authoritative).
// - A run throwing anything but sim::Interrupted is recorded as a failure; the others go on.
// - Runs already held by the writer are skipped after checking that their stored attributes
//   match the task's; a mismatch (the experiment changed since it was interrupted) throws
//   InputError.
// - On interrupt no further run starts, finished parts are kept, and sim::Interrupted is
//   rethrown once the runs in flight have stopped.
// With parallel_runs the runs are spread over TBB's threads, started in task order grouped by
// shared_setup; each fn(i) runs in an isolated task arena region, so its own parallel loops never
// pick up another run's work.
RunnerReport run_all(const std::vector<RunTask>& tasks, ResultsWriter& writer,
                     const std::function<RunRecord(std::size_t)>& fn, const RunnerOptions& options);

}  // namespace sim
