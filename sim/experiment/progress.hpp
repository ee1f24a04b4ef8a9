#pragma once
// A one-line progress bar with an ETA, redrawn in place on a terminal (and cut to its width):
//   whistle.r003  [#########...........]  45%  12/27 runs  ETA 0:41
// When stderr is a log or a pipe, a plain line every 10 % instead, so logs show progress without
// carriage returns.
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>

namespace sim {

class Progress {
 public:
  enum class Style { Redraw, Lines };
  // Draws on stderr when `enabled`: redrawn in place on a terminal, lines every 10 % otherwise.
  Progress(std::string label, std::size_t total, bool enabled, std::string unit = "runs");
  // Always draws on `out` in `style`; a Redraw line is cut to `width` columns when it is not 0.
  Progress(std::string label, std::size_t total, std::ostream& out, std::string unit = "runs",
           Style style = Style::Redraw, std::size_t width = 0);
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
  Style style_ = Style::Redraw;
  std::size_t width_ = 0;       // terminal columns; 0 = no limit
  std::size_t last_tenth_ = 0;  // Lines: the last 10 % step printed
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
  std::size_t last_width_ = 0;
  bool drawn_ = false;
  bool finished_ = false;
  std::mutex mutex_;
};

}  // namespace sim
