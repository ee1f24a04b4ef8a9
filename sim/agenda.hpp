#pragma once
// Timed events bucketed by tick. A tick's bucket is sorted once when the tick starts; events
// scheduled into the current tick while it runs sit in a small heap, and pop() takes the earlier
// of the two. Order is total (the event type's operator<), never the order of insertion, so
// results cannot depend on how work was scheduled; events that compare equal must be alike, which
// also lets the bucket be sorted on several threads.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <queue>
#include <vector>

#include "sim/interval_sort.hpp"

namespace sim {

template <class Event>
class Agenda {
 public:
  explicit Agenda(double tick_h = 1.0) : tick_h_(tick_h) {}

  void push(const Event& e) {
    if (e.time_h < current_end_h_) {
      late_.push(e);
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
    // Whatever is left of the previous tick stays ahead of this one's events.
    for (std::size_t k = next_; k < sorted_.size(); ++k) late_.push(sorted_[k]);
    sorted_.clear();
    next_ = 0;
    if (t < buckets_.size()) {
      sorted_.swap(buckets_[t]);
      std::vector<Event>().swap(buckets_[t]);
      pending_ -= sorted_.size();
      sort_in_interval(
          sorted_, static_cast<double>(t) * tick_h_, tick_h_,
          [](const Event& e) { return e.time_h; }, scratch_);
    }
  }

  bool pop(Event& out) {
    const bool have_sorted = next_ < sorted_.size();
    if (!have_sorted && late_.empty()) return false;
    if (have_sorted && (late_.empty() || sorted_[next_] < late_.top())) {
      out = sorted_[next_++];
    } else {
      out = late_.top();
      late_.pop();
    }
    return true;
  }

  // The event `ahead` places after the next one in the current tick's sorted bucket, if any (an
  // event scheduled into the running tick may come first): for prefetching what it will touch.
  const Event* upcoming(std::size_t ahead) const {
    return next_ + ahead < sorted_.size() ? &sorted_[next_ + ahead] : nullptr;
  }

  double tick_h() const { return tick_h_; }
  std::size_t pending() const { return pending_ + (sorted_.size() - next_) + late_.size(); }

 private:
  struct Later {
    bool operator()(const Event& a, const Event& b) const { return b < a; }
  };
  double tick_h_;
  double current_end_h_ = 0;
  std::size_t pending_ = 0;
  std::vector<std::vector<Event>> buckets_;
  std::vector<Event> sorted_;  // the current tick's bucket, in order; next_ is the next to pop
  std::vector<Event> scratch_;
  std::size_t next_ = 0;
  std::priority_queue<Event, std::vector<Event>, Later> late_;
};

}  // namespace sim
