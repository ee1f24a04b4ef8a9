#pragma once
// Wall time per phase of a run, kept by laps: each lap charges the time since the previous one to
// the phase that just ended. One clock read per phase (tens of nanoseconds, a few hundred a
// simulated day), so it stays on in every run; the benchmark prints it as the table of where the
// time goes and the serial share that bounds what more threads can give (Amdahl).
#include <chrono>
#include <string_view>
#include <vector>

namespace sim {

struct PhaseInfo {
  std::string_view name;
  bool parallel;  // its work is spread over threads
};

class PhaseClock {
 public:
  explicit PhaseClock(std::vector<PhaseInfo> phases)
      : phases_(std::move(phases)), seconds_(phases_.size(), 0.0) {}

  // Starts a lap without charging the time before it to any phase.
  void restart() { last_ = Clock::now(); }
  void lap(std::size_t phase) {
    const auto now = Clock::now();
    seconds_[phase] += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

  const std::vector<PhaseInfo>& phases() const { return phases_; }
  double seconds(std::size_t phase) const { return seconds_[phase]; }
  double total_seconds() const {
    double s = 0;
    for (double x : seconds_) s += x;
    return s;
  }
  double serial_seconds() const {
    double s = 0;
    for (std::size_t k = 0; k < phases_.size(); ++k)
      if (!phases_[k].parallel) s += seconds_[k];
    return s;
  }
  // The speed-up `threads` threads could give at most if the parallel phases scaled perfectly
  // and the serial ones not at all (Amdahl), from the shares measured.
  double amdahl_ceiling(double threads) const {
    const double total = total_seconds();
    if (total <= 0) return 1.0;
    const double serial = serial_seconds() / total;
    return 1.0 / (serial + (1.0 - serial) / threads);
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::vector<PhaseInfo> phases_;
  std::vector<double> seconds_;
  Clock::time_point last_ = Clock::now();
};

}  // namespace sim
