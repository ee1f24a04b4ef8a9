#include "sim/experiment/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

namespace sim {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(200);
constexpr std::size_t kBarWidth = 20;

std::string clock_text(double seconds) {
  const long long s = std::llround(seconds);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::size_t terminal_columns() {
  winsize ws{};
  return ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0;
}

}  // namespace

Progress::Progress(std::string label, std::size_t total, bool enabled, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      out_(enabled ? &std::cerr : nullptr),
      style_(::isatty(STDERR_FILENO) != 0 ? Style::Redraw : Style::Lines),
      width_(style_ == Style::Redraw ? terminal_columns() : 0) {}

Progress::Progress(std::string label, std::size_t total, std::ostream& out, std::string unit,
                   Style style, std::size_t width)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      out_(&out),
      style_(style),
      width_(width) {}

Progress::~Progress() {
  if (drawn_ && !finished_) *out_ << '\n' << std::flush;
}

void Progress::set_label(std::string label) {
  std::lock_guard lock(mutex_);
  label_ = std::move(label);
}

void Progress::advance(std::size_t n) {
  std::lock_guard lock(mutex_);
  done_ = std::min(total_, done_ + n);
  draw(done_ == total_);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (out_ == nullptr || finished_) return;
  finished_ = true;
  const std::string text = line(true);
  if (style_ == Style::Lines) {
    *out_ << text << '\n' << std::flush;
    return;
  }
  *out_ << '\r' << text
        << std::string(last_width_ > text.size() ? last_width_ - text.size() : 0, ' ') << '\n'
        << std::flush;
}

void Progress::draw(bool force) {
  if (out_ == nullptr || finished_) return;
  if (style_ == Style::Lines) {
    // A line at each 10 % step passed (the final line is finish()'s).
    const std::size_t tenth = total_ == 0 ? 10 : done_ * 10 / total_;
    if (tenth > last_tenth_ && done_ < total_) {
      last_tenth_ = tenth;
      *out_ << line(false) << '\n' << std::flush;
      drawn_ = true;
    }
    return;
  }
  const auto now = Clock::now();
  if (!force && drawn_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  const std::string text = line(false);
  // Pad over the previous, possibly longer, line instead of relying on terminal escape codes.
  *out_ << '\r' << text
        << std::string(last_width_ > text.size() ? last_width_ - text.size() : 0, ' ')
        << std::flush;
  last_width_ = text.size();
  drawn_ = true;
}

std::string Progress::line(bool finished) const {
  const double fraction =
      total_ == 0 ? 1.0 : static_cast<double>(done_) / static_cast<double>(total_);
  const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(kBarWidth));
  const std::string bar = std::string(filled, '#') + std::string(kBarWidth - filled, '.');
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  std::string tail;
  if (finished) {
    tail = "done in " + clock_text(elapsed);
  } else if (done_ == 0) {
    tail = "ETA --:--";
  } else {
    tail = "ETA " +
           clock_text(elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_));
  }
  const std::string rest = fmt::format("  [{}]  {:3.0f}%  {}/{} {}  {}", bar, fraction * 100.0,
                                       done_, total_, unit_, tail);
  if (style_ == Style::Lines)
    return fmt::format("{}  {:3.0f}%  {}/{} {}  {}", label_, fraction * 100.0, done_, total_, unit_,
                       tail);
  // On a terminal the line must not wrap (a wrapped line cannot be redrawn): the label gives way.
  std::string label = label_;
  if (width_ > 0 && label.size() + rest.size() >= width_) {
    const std::size_t room = width_ > rest.size() + 4 ? width_ - rest.size() - 1 : 0;
    label = room >= 3 ? label.substr(0, room - 3) + "..." : "";
  }
  return label + rest;
}

}  // namespace sim
