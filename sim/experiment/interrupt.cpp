#include "sim/experiment/interrupt.hpp"

#include <atomic>
#include <csignal>

#include "sim/errors.hpp"

namespace sim {
namespace {

// Only lock-free atomics may be touched from a signal handler.
std::atomic<bool> g_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

// A user pressing Ctrl-C twice wants out now: the second signal gets the default action.
// sigaction and raise are async-signal-safe.
extern "C" void on_signal(int signal_number) {
  if (g_requested.exchange(true)) {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(signal_number, &dfl, nullptr);
    raise(signal_number);
  }
}

void install(int signal_number, struct sigaction* previous) {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESTART keeps blocking system calls (file writes, waits) from failing with EINTR.
  action.sa_flags = SA_RESTART;
  sigaction(signal_number, &action, previous);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_requested.store(false);
  install(SIGINT, &g_previous_int);
  install(SIGTERM, &g_previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
  // A request belongs to the guarded scope; later work in the process must not see it.
  g_requested.store(false);
}

bool interrupt_requested() {
  return g_requested.load(std::memory_order_relaxed);
}

void throw_if_interrupted() {
  if (interrupt_requested()) throw Interrupted();
}

}  // namespace sim
