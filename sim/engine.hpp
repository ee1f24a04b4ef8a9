#pragma once
// The time-stepped engine: days of ticks (one hour by default). A model does its slow, daily work
// in begin_day/end_day and its event handling in run_tick; queues keep continuous time inside a
// tick. The engine checks for SIGINT/SIGTERM once per simulated day.
#include <cstddef>
#include <functional>

namespace sim {

class Model {
 public:
  virtual ~Model() = default;
  virtual void begin_day(int day) = 0;
  virtual void run_tick(std::size_t tick, double t0_h, double t1_h) = 0;
  virtual void end_day(int day) = 0;
};

struct EngineOptions {
  int days = 1;
  int ticks_per_day = 24;
  std::function<void(int day)> on_day_done;  // progress reporting
};

void run(Model& model, const EngineOptions& options);

}  // namespace sim
