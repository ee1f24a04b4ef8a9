#include "sim/service_unit.hpp"

#include <algorithm>

namespace sim {

void ServiceUnit::arrive(const Job& job) {
  Job j = job;
  j.arrival_h = std::max(j.arrival_h, now_h_);
  arrivals_.push_back(j);
}

void ServiceUnit::arrive_silent(double arrival_h) {
  silent_arrivals_.push_back(std::max(arrival_h, now_h_));
}

std::uint32_t ServiceUnit::store(const Job& job) {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot] = job;
    slot_started_[slot] = 0;
    ++slot_generation_[slot];
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(job);
    slot_started_.push_back(0);
    slot_generation_.push_back(0);
  }
  return slot;
}

ServiceUnit::PriorityClass& ServiceUnit::priority_class(std::int32_t priority) {
  auto it = std::lower_bound(waiting_.begin(), waiting_.end(), priority,
                             [](const PriorityClass& c, std::int32_t p) { return c.priority < p; });
  if (it == waiting_.end() || it->priority != priority) it = waiting_.insert(it, {priority, {}});
  return *it;
}

void ServiceUnit::drop_stale_waiting() {
  for (PriorityClass& c : waiting_) {
    while (!c.fifo.empty() && !pending(c.fifo.front().slot, c.fifo.front().generation)) {
      c.fifo.pop_front();
    }
  }
}

bool ServiceUnit::pop_waiting(Waiting& out) {
  for (PriorityClass& c : waiting_) {
    while (!c.fifo.empty()) {
      out = c.fifo.front();
      c.fifo.pop_front();
      if (pending(out.slot, out.generation)) return true;  // else taken by a borrowed server
    }
  }
  return false;
}

void ServiceUnit::integrate_to(double t) {
  if (t > now_h_) {
    busy_hours_ += busy_ * (t - now_h_);
    borrowed_hours_ += borrowed_busy_ * (t - now_h_);
    now_h_ = t;
  }
}

bool ServiceUnit::raise_priority(std::uint64_t id, std::int32_t priority) {
  // Raising is rare (supervision, escalation), so the waiting job is found by a scan rather than
  // an index every arrival would pay for. Ids of raised jobs are unique while they wait.
  std::uint32_t slot = 0;
  while (slot < slots_.size() && (slots_[slot].id != id || slot_started_[slot])) ++slot;
  if (slot == slots_.size()) {
    // Handed in but not yet reached by advance(): it will enter the queue with the new priority.
    for (std::size_t k = next_arrival_; k < arrivals_.size(); ++k) {
      if (arrivals_[k].id != id) continue;
      arrivals_[k].priority = std::min(arrivals_[k].priority, priority);
      return true;
    }
    return false;
  }
  Job& job = slots_[slot];
  if (priority >= job.priority) return true;
  job.priority = priority;
  // The old entry goes stale when the job starts from this one, placed by arrival time in its
  // new class (after jobs that arrived at the same time: they were queued first).
  auto& fifo = priority_class(priority).fifo;
  const auto at =
      std::upper_bound(fifo.begin(), fifo.end(), job.arrival_h,
                       [](double arrival_h, const Waiting& w) { return arrival_h < w.arrival_h; });
  fifo.insert(at, {job.arrival_h, slot, slot_generation_[slot]});
  return true;
}

void ServiceUnit::start(std::uint32_t slot, double t, bool borrowed, std::vector<JobEvent>& out) {
  if (slot == kSilentSlot) {
    start_silent(t);
    return;
  }
  const Job& job = slots_[slot];
  slot_started_[slot] = 1;
  ++started_;
  if (borrowed) {
    ++borrowed_busy_;
  } else {
    ++busy_;
  }
  in_service_.push({t + job.service_h, seq_++, slot, borrowed});
  out.push_back({JobEvent::Kind::Started, borrowed, job.id, t, job.arrival_h});
}

void ServiceUnit::start_silent(double t) {
  ++started_;
  ++busy_;
  silent_in_service_.push_back({t + silent_.service_h, seq_++});
}

bool ServiceUnit::silent_completes_next() const {
  if (silent_in_service_.empty()) return false;
  if (in_service_.empty()) return true;
  const SilentInService& a = silent_in_service_.front();
  const InService& b = in_service_.top();
  return a.done_h != b.done_h ? a.done_h < b.done_h : a.seq < b.seq;
}

void ServiceUnit::complete_next(double t, std::vector<JobEvent>& out) {
  if (silent_completes_next()) {
    silent_in_service_.pop_front();
    --busy_;
  } else {
    const InService s = in_service_.top();
    in_service_.pop();
    const Job& job = slots_[s.slot];
    out.push_back({JobEvent::Kind::Completed, s.borrowed, job.id, t, job.arrival_h});
    free_slots_.push_back(s.slot);
    if (s.borrowed) {
      --borrowed_busy_;
      return;  // a borrowed server goes back to its routine work
    }
    --busy_;
  }
  Waiting w{};
  while (free_server() && pop_waiting(w)) {
    --waiting_count_;
    start(w.slot, t, false, out);
  }
}

void ServiceUnit::advance(double until_h, std::vector<JobEvent>& out) {
  // Arrivals handed in since the last advance are merged in (time, hand-in order).
  const auto earlier = [](const Job& a, const Job& b) { return a.arrival_h < b.arrival_h; };
  const auto first = arrivals_.begin() + static_cast<std::ptrdiff_t>(next_arrival_);
  // Callers usually hand in two sorted runs (left over from the last advance, then the tick's):
  // merging them gives the same order as a stable sort, in linear time.
  const auto run_end = std::is_sorted_until(first, arrivals_.end(), earlier);
  if (std::is_sorted(run_end, arrivals_.end(), earlier)) {
    std::inplace_merge(first, run_end, arrivals_.end(), earlier);
  } else {
    std::stable_sort(first, arrivals_.end(), earlier);
  }
  // Silent jobs are alike, so their order among equal times is immaterial.
  const auto silent_first =
      silent_arrivals_.begin() + static_cast<std::ptrdiff_t>(next_silent_arrival_);
  if (!std::is_sorted(silent_first, silent_arrivals_.end())) {
    std::sort(silent_first, silent_arrivals_.end());
  }
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (;;) {
    const double t_arrival =
        next_arrival_ < arrivals_.size() ? arrivals_[next_arrival_].arrival_h : kInf;
    const double t_silent_arrival = next_silent_arrival_ < silent_arrivals_.size()
                                        ? silent_arrivals_[next_silent_arrival_]
                                        : kInf;
    const double t_done = silent_completes_next() ? silent_in_service_.front().done_h
                          : in_service_.empty()   ? kInf
                                                  : in_service_.top().done_h;
    // Deadlines of jobs that already started are dropped lazily.
    while (!deadlines_.empty() && !pending(deadlines_.top().slot, deadlines_.top().generation)) {
      deadlines_.pop();
    }
    const double t_deadline = deadlines_.empty() ? kInf : deadlines_.top().latest_h;
    const double t = std::min({t_arrival, t_silent_arrival, t_done, t_deadline});
    if (!(t < until_h)) break;
    integrate_to(t);
    if (t == t_done) {
      // Completions first at equal times, so a freed server can take the arrival.
      complete_next(t, out);
    } else if (t == t_silent_arrival) {
      ++next_silent_arrival_;
      if (free_server() && waiting_count_ == 0) {
        start_silent(t);
      } else {
        priority_class(silent_.priority).fifo.push_back({t, kSilentSlot, 0});
        ++waiting_count_;
      }
    } else if (t == t_arrival) {
      const Job job = arrivals_[next_arrival_++];
      const std::uint32_t slot = store(job);
      if (free_server() && waiting_count_ == 0) {
        start(slot, t, false, out);
      } else {
        const std::uint32_t gen = slot_generation_[slot];
        priority_class(job.priority).fifo.push_back({job.arrival_h, slot, gen});
        ++waiting_count_;
        if (job.latest_start_h < kInf) deadlines_.push({job.latest_start_h, seq_++, slot, gen});
      }
    } else {
      const Deadline d = deadlines_.top();
      deadlines_.pop();
      --waiting_count_;
      start(d.slot, t, true, out);
    }
  }
  integrate_to(until_h);
  if (next_arrival_ == arrivals_.size()) {
    arrivals_.clear();
    next_arrival_ = 0;
  }
  if (next_silent_arrival_ == silent_arrivals_.size()) {
    silent_arrivals_.clear();
    next_silent_arrival_ = 0;
  }
  // Drop waiting entries whose job started on a borrowed server so the classes stay small.
  drop_stale_waiting();
}

}  // namespace sim
