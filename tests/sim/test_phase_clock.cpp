// The phase clock charges each lap to the phase that ended, and its Amdahl ceiling is the
// textbook bound for the measured serial share.
#include <catch2/catch.hpp>

#include <thread>

#include "sim/phase_clock.hpp"

TEST_CASE("laps charge the time since the previous lap to the phase that ended",
          "[unit][phase_clock]") {
  sim::PhaseClock clock({{"serial", false}, {"parallel", true}});
  clock.restart();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  clock.lap(0);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  clock.lap(1);
  clock.restart();  // time before a restart is charged to nothing
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  clock.restart();
  clock.lap(1);
  CHECK(clock.seconds(0) >= 0.030);
  CHECK(clock.seconds(1) >= 0.010);
  // The 300 ms before the restart were not charged (the margin absorbs a loaded machine).
  CHECK(clock.seconds(1) < 0.250);
  CHECK(clock.serial_seconds() == clock.seconds(0));
  CHECK(clock.total_seconds() == clock.seconds(0) + clock.seconds(1));
}

TEST_CASE("Amdahl's ceiling follows from the serial share", "[unit][phase_clock]") {
  sim::PhaseClock none({{"a", false}});
  CHECK(none.amdahl_ceiling(2) == 1.0);  // nothing measured: no claim
  sim::PhaseClock clock({{"serial", false}, {"parallel", true}});
  clock.restart();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  clock.lap(0);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  clock.lap(1);
  const double s = clock.serial_seconds() / clock.total_seconds();
  CHECK(clock.amdahl_ceiling(2) == Approx(1.0 / (s + (1 - s) / 2)));
  CHECK(clock.amdahl_ceiling(1) == Approx(1.0));
  CHECK(clock.amdahl_ceiling(1e9) == Approx(1.0 / s).epsilon(1e-6));
  CHECK(clock.amdahl_ceiling(2) < 2.0);
}
