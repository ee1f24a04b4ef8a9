#pragma once
// Timed events bucketed by tick. Events due in the current tick sit in a heap so that handling one
// event may schedule another inside the same tick; order is total (the event type's operator<),
// never the order of insertion, so results cannot depend on how work was scheduled.
#include <cmath>
#include <cstddef>
#include <queue>
#include <vector>

namespace sim {

template <class Event>
class Agenda {
 public:
  explicit Agenda(double tick_h = 1.0) : tick_h_(tick_h) {}

  void push(const Event& e) {
    if (e.time_h < current_end_h_) {
      current_.push(e);
      return;
    }
    const auto b = static_cast<std::size_t>(std::floor(e.time_h / tick_h_));
    if (b >= buckets_.size()) buckets_.resize(b + 1);
    buckets_[b].push_back(e);
    ++pending_;
  }

  // Makes tick `t` current: its events become available to pop().
  void start_tick(std::size_t t) {
    current_end_h_ = static_cast<double>(t + 1) * tick_h_;
    if (t < buckets_.size()) {
      for (const Event& e : buckets_[t]) current_.push(e);
      pending_ -= buckets_[t].size();
      std::vector<Event>().swap(buckets_[t]);
    }
  }

  bool pop(Event& out) {
    if (current_.empty()) return false;
    out = current_.top();
    current_.pop();
    return true;
  }

  double tick_h() const { return tick_h_; }
  std::size_t pending() const { return pending_ + current_.size(); }

 private:
  struct Later {
    bool operator()(const Event& a, const Event& b) const { return b < a; }
  };
  double tick_h_;
  double current_end_h_ = 0;
  std::size_t pending_ = 0;
  std::vector<std::vector<Event>> buckets_;
  std::priority_queue<Event, std::vector<Event>, Later> current_;
};

}  // namespace sim
