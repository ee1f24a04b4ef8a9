#pragma once
// Runs the runs of an experiment (in parallel across runs), stores each as it finishes, records
// failures without stopping the others, skips runs finished before an interruption, and stops
// cleanly on SIGINT/SIGTERM.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/results/record.hpp"
#include "sim/results/results_file.hpp"

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
  // In an MPI job (mpi_size() > 1, this is rank 0): what a worker needs to make run i, handed
  // to the function the workers serve (serve_runs). The runs are then made by the workers, as
  // many at once as each has slots, the next run going to the first slot free; rank 0 stores
  // them. Without it, or without workers, the runs are made here.
  std::function<std::string(std::size_t)> remote_payload;
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
//   rethrown, naming the unfinished runs, once the runs in flight have stopped (on MPI workers,
//   which the launcher stops, without waiting for them).
// With parallel_runs the runs are spread over TBB's threads, started in task order grouped by
// shared_setup; each fn(i) runs in an isolated task arena region, so its own parallel loops never
// pick up another run's work.
RunnerReport run_all(const std::vector<RunTask>& tasks, ResultsWriter& writer,
                     const std::function<RunRecord(std::size_t)>& fn, const RunnerOptions& options);

// On an MPI worker (rank > 0): makes the runs rank 0 sends, up to `slots` at once (fn(payload)
// is called from several threads), and sends back each record, or the failure message (naming
// this rank and host), until rank 0 says stop. Returns kExitOk, or kExitInterrupted on
// SIGINT/SIGTERM once the runs in flight have stopped.
int serve_runs(const std::function<RunRecord(const std::string& payload)>& fn, int slots);

}  // namespace sim
