#pragma once
// The processes of an MPI job (mpirun -np N govsim ...). Rank 0 runs the command and owns its
// output; every other rank is a worker that makes the runs rank 0 sends it (experiment_runner).
// Started without an MPI launcher, or built without MPI, there is one process and nothing changes.
// Only mpi_world.cpp includes <mpi.h>.
#include <optional>
#include <string>
#include <string_view>

namespace sim {

class MpiWorld {
 public:
  // Initialises MPI when an MPI launcher started this process (its environment says so). Throws
  // std::runtime_error when launched with several ranks by a govsim built without MPI, where
  // every rank would otherwise run the whole command and write the same file.
  MpiWorld(int* argc, char*** argv);
  ~MpiWorld();
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  // Rank 0 at the end of its command: tells every worker to stop and returns `exit_code`. When a
  // worker is still making a run (only after an error or an interrupt) it aborts the whole job
  // with `exit_code` instead, since the worker would wait for an answer that never comes.
  int finish(int exit_code);
};

// This process's rank and the job's size (0 and 1 without MPI).
int mpi_rank();
int mpi_size();
// "rank K on HOST", for messages about work done elsewhere.
std::string mpi_rank_label();

// Point-to-point messages of the run protocol (experiment_runner.cpp speaks it).
enum class MpiTag : int {
  run = 1,      // rank 0 -> worker: a run's index and payload
  record = 2,   // worker -> rank 0: a run's index and encoded record
  failure = 3,  // worker -> rank 0: a run's index and error message
  stop = 4,     // rank 0 -> worker: no more runs
  hello = 5,    // worker -> rank 0, once: how many runs it makes at once
};
struct MpiMessage {
  int source = 0;
  MpiTag tag = MpiTag::stop;
  std::string bytes;
};
// Starts sending `bytes` (at most 2 GiB, MPI's int count; std::runtime_error beyond) to rank
// `destination` and returns at once; the send completes while this rank polls (mpi_poll) or
// flushes. Never waits for the receiver, so two ranks sending to each other cannot deadlock.
void mpi_send(int destination, MpiTag tag, std::string bytes);
// Waits until every send has completed; throws sim::Interrupted when a stop is requested first.
void mpi_flush_sends();
// The next message sent to this rank, if one has arrived (never blocks: a blocking receive in
// OpenMPI spins on a core that a run could use).
std::optional<MpiMessage> mpi_poll();

}  // namespace sim
