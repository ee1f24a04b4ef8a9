#pragma once
// Graceful stop on SIGINT/SIGTERM: the handler only sets a flag; the simulation loop polls it
// once per simulated day and unwinds with sim::Interrupted, so finished runs stay on disk for
// --resume. A second signal while the first is pending stops the process at once.

namespace sim {

// Installs the handlers for its lifetime and restores the previous ones on destruction.
// Constructing a guard clears any earlier request, and so does destroying it. Guards are not meant
// to be nested.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

bool interrupt_requested();
// Throws sim::Interrupted when a stop was requested.
void throw_if_interrupted();

}  // namespace sim
