#pragma once
// A one-line progress bar with an ETA, redrawn in place on a terminal:
//   whistle.r003  [#########...........]  45%  12/27 runs  ETA 0:41
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>

namespace sim {

class Progress {
 public:
  // Draws on stderr only when `enabled` and stderr is a terminal, so logs and pipes stay clean.
  Progress(std::string label, std::size_t total, bool enabled, std::string unit = "runs");
  // Always draws on `out` (forced output, e.g. for tests or an explicit --progress flag).
  Progress(std::string label, std::size_t total, std::ostream& out, std::string unit = "runs");
  // Ends the line if finish() was not called, so an error message starts on a fresh line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool active() const { return out_ != nullptr; }
  // The thread-safe calls below redraw at most five times a second (and always at 100%).
  void set_label(std::string label);
  void advance(std::size_t n = 1);
  // Draws the final line with the elapsed time and ends it.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  void draw(bool force);
  std::string line(bool finished) const;

  std::string label_;
  std::string unit_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::ostream* out_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
  std::size_t last_width_ = 0;
  bool drawn_ = false;
  bool finished_ = false;
  std::mutex mutex_;
};

}  // namespace sim
