#pragma once
// The governance model of MODEL.md, plugged into the engine: builds the city and its actors from
// a frozen Scenario and runs it day by day, tick by tick.
#include <chrono>
#include <functional>
#include <memory>

#include "models/city/starting_population.hpp"
#include "models/outcomes/outcome_recorder.hpp"
#include "models/scenario/scenario.hpp"
#include "models/world.hpp"
#include "sim/engine.hpp"
#include "sim/phase_clock.hpp"
#include "sim/results/record.hpp"

namespace gov {

struct RunOptions {
  bool check_invariants = false;  // also on in debug builds
  std::function<void(int day)> on_day_done;
};

class GovernanceModel final : public sim::Model {
 public:
  explicit GovernanceModel(const Scenario& scenario);
  // Starts from a copy of `start`, which must have been built for this scenario's city,
  // population and seed (checked).
  GovernanceModel(const Scenario& scenario, const StartingPopulation& start);
  ~GovernanceModel() override;

  // Runs scenario.run.days days and returns the run's series and summary.
  sim::RunRecord run(const RunOptions& options = {});

  const World& world() const { return *w_; }
  const OutcomeRecorder& outcomes() const { return *recorder_; }
  // Time to build the world: drawing the city and residents, or copying them.
  double build_seconds() const { return build_seconds_; }
  // Wall time per phase of the last run (begin_day's mechanisms, each tick's steps, end_day's).
  const sim::PhaseClock& phase_times() const { return phases_; }

  void begin_day(int day) override;
  void run_tick(std::size_t tick, double t0_h, double t1_h) override;
  void end_day(int day) override;

 private:
  GovernanceModel(const Scenario& scenario, const StartingPopulation* start,
                  std::chrono::steady_clock::time_point t0);
  void handle(const Event& e);
  void drain_events();
  void handle_unit_events(double t0_h, double t1_h);
  void check_invariants(int day) const;
  void log_remaining_issues();

  std::unique_ptr<World> w_;
  std::unique_ptr<OutcomeRecorder> recorder_;
  bool check_ = false;
  double build_seconds_ = 0;
  sim::PhaseClock phases_;
  // A department unit's event and its place in the units' events taken one unit after another.
  struct UnitEvent {
    sim::JobEvent event;
    std::uint32_t unit;
    std::uint32_t rank;
  };
  std::vector<UnitEvent> unit_events_, unit_events_scratch_;
};

}  // namespace gov
