#pragma once
// Collects the daily series of MODEL.md §5 during a run and turns them into a sim::RunRecord.
// Memory grows with days x districts x counters, never with residents or issues.
#include <vector>

#include "models/world.hpp"
#include "sim/results/record.hpp"

namespace gov {

class OutcomeRecorder {
 public:
  OutcomeRecorder(const World& w, int days);
  // Reads and resets the day's tallies in `w`; call once at the end of every simulated day.
  void end_day(World& w, int day);
  sim::RunRecord to_record(const World& w) const;

  // For tests: counter c of district d on day `day`, and the open stock at the end of a day.
  double count(int day, std::size_t district, Count c) const;
  double open_at_end(int day, std::size_t district) const;
  int days_recorded() const { return recorded_; }

 private:
  std::size_t at(int day, std::size_t d) const { return static_cast<std::size_t>(day) * nd_ + d; }

  int recorded_ = 0;
  int warmup_;
  std::size_t nd_, ndep_;
  std::vector<double> counts_;  // [day][district][count]
  std::vector<double> open_, response_mean_, resolution_mean_, trust_, satisfaction_, security_;
  std::vector<double> group_trust_, group_satisfaction_;       // [day][local, floating]
  std::vector<double> city_response_[3], city_resolution_[3];  // mean, median, p90 per day
  std::vector<double> dept_utilisation_, dept_queue_, dept_arrivals_, dept_borrowed_h_, dept_wait_;
  double wait_sum_ = 0, starts_ = 0, busy_sum_ = 0, started_jobs_ = 0;  // post-warmup totals
  std::vector<double> hours_;                                           // [day][role]
  std::vector<double> dept_servers_;
  TimeSamples sample_;  // post-warmup, for summaries
  StaffHours hours_prev_{};
  double hotline_busy_prev_ = 0;
};

}  // namespace gov
