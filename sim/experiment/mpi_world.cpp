#include "sim/experiment/mpi_world.hpp"

#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <iterator>
#include <list>
#include <stdexcept>
#include <thread>

#include "sim/errors.hpp"
#include "sim/experiment/interrupt.hpp"

#ifdef GOVSIM_HAVE_MPI
// The C API only: MPI's C++ bindings are deprecated and need a library govsim does not link.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace sim {
namespace {

int g_rank = 0;
int g_size = 1;

// Open MPI, MPICH/Slurm (PMI) and PMIx launchers set one of these in every rank's environment.
int launcher_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* v = std::getenv(name)) return std::atoi(v);
  }
  return std::getenv("PMIX_RANK") != nullptr ? 2 : 1;
}

}  // namespace

#ifdef GOVSIM_HAVE_MPI

namespace {

bool g_initialised = false;
int g_in_flight = 0;  // runs sent to workers and not yet answered

// Sends in progress. Every send is non-blocking and completes while the loops poll: two ranks
// each sending the other a large message (a run one way, a record the other) would otherwise
// both wait for a receive that neither posts. A list keeps each buffer where MPI was told it is.
struct PendingSend {
  MPI_Request request = MPI_REQUEST_NULL;
  std::string bytes;
};

std::list<PendingSend>& pending_sends() {
  static std::list<PendingSend> sends;
  return sends;
}

void progress_sends() {
  auto& sends = pending_sends();
  for (auto it = sends.begin(); it != sends.end();) {
    int done = 0;
    MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
    it = done != 0 ? sends.erase(it) : std::next(it);
  }
}

}  // namespace

MpiWorld::MpiWorld(int* argc, char*** argv) {
  if (launcher_size() <= 1) return;
  int provided = 0;
  // Only the main thread calls MPI; TBB's threads compute.
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  g_initialised = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
}

MpiWorld::~MpiWorld() {
  if (g_initialised) MPI_Finalize();
}

int MpiWorld::finish(int exit_code) {
  if (!g_initialised || g_rank != 0) return exit_code;
  if (g_in_flight > 0) MPI_Abort(MPI_COMM_WORLD, exit_code);
  for (int w = 1; w < g_size; ++w) mpi_send(w, MpiTag::stop, {});
  mpi_flush_sends();
  return exit_code;
}

void mpi_send(int destination, MpiTag tag, std::string bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    throw std::runtime_error("a message of " + std::to_string(bytes.size()) +
                             " bytes is beyond MPI's 2 GiB limit");
  PendingSend& send = pending_sends().emplace_back();
  send.bytes = std::move(bytes);
  MPI_Isend(send.bytes.data(), static_cast<int>(send.bytes.size()), MPI_BYTE, destination,
            static_cast<int>(tag), MPI_COMM_WORLD, &send.request);
  if (tag == MpiTag::run) ++g_in_flight;
  progress_sends();
}

void mpi_flush_sends() {
  for (progress_sends(); !pending_sends().empty(); progress_sends()) {
    throw_if_interrupted();
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

std::optional<MpiMessage> mpi_poll() {
  progress_sends();
  int arrived = 0;
  MPI_Message handle = MPI_MESSAGE_NULL;
  MPI_Status status;
  MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &handle, &status);
  if (arrived == 0) return std::nullopt;
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  MpiMessage m;
  m.source = status.MPI_SOURCE;
  m.tag = static_cast<MpiTag>(status.MPI_TAG);
  m.bytes.resize(static_cast<std::size_t>(count));
  // Received without blocking too: a sender that dies mid-message must not hold this rank where
  // it cannot notice the launcher's SIGTERM.
  MPI_Request request = MPI_REQUEST_NULL;
  MPI_Imrecv(m.bytes.data(), count, MPI_BYTE, &handle, &request);
  for (int done = 0;;) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done != 0) break;
    throw_if_interrupted();
    progress_sends();
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (m.tag == MpiTag::record || m.tag == MpiTag::failure) --g_in_flight;
  return m;
}

#else

MpiWorld::MpiWorld(int* /*argc*/, char*** /*argv*/) {
  if (launcher_size() > 1)
    throw InputError(
        "this govsim was built without MPI, so every rank would run the whole command; rebuild "
        "with libopenmpi-dev installed (cmake -DGOVSIM_MPI=ON) or run without mpirun");
}

MpiWorld::~MpiWorld() = default;

int MpiWorld::finish(int exit_code) {
  return exit_code;
}

void mpi_send(int /*destination*/, MpiTag /*tag*/, std::string /*bytes*/) {
  throw std::logic_error("mpi_send: govsim was built without MPI");
}

void mpi_flush_sends() {}

std::optional<MpiMessage> mpi_poll() {
  return std::nullopt;
}

#endif

int mpi_rank() {
  return g_rank;
}
int mpi_size() {
  return g_size;
}

std::string mpi_rank_label() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return "rank " + std::to_string(g_rank) + (host[0] != '\0' ? std::string(" on ") + host : "");
}

}  // namespace sim
