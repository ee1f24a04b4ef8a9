#include "sim/engine.hpp"

#include "sim/experiment/interrupt.hpp"

namespace sim {

void run(Model& model, const EngineOptions& options) {
  const double tick_h = 24.0 / options.ticks_per_day;
  std::size_t tick = 0;
  for (int day = 0; day < options.days; ++day) {
    throw_if_interrupted();
    model.begin_day(day);
    for (int k = 0; k < options.ticks_per_day; ++k, ++tick) {
      const double t0 = static_cast<double>(tick) * tick_h;
      model.run_tick(tick, t0, t0 + tick_h);
    }
    model.end_day(day);
    if (options.on_day_done) options.on_day_done(day);
  }
}

}  // namespace sim
