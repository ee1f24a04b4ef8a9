// The agenda hands out a tick's events in their total order, whatever order they were scheduled
// in, including events scheduled into the running tick.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include <tbb/global_control.h>

#include "sim/agenda.hpp"

namespace {

struct TestEvent {
  double time_h;
  int id;
  bool operator<(const TestEvent& o) const {
    return time_h != o.time_h ? time_h < o.time_h : id < o.id;
  }
};

std::vector<TestEvent> drain(sim::Agenda<TestEvent>& agenda) {
  std::vector<TestEvent> out;
  TestEvent e;
  while (agenda.pop(e)) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE("the agenda pops each tick's events in order, independent of push order",
          "[unit][agenda]") {
  std::vector<TestEvent> events;
  events.reserve(500);
  for (int i = 0; i < 500; ++i) events.push_back({(i * 7919 % 1000) / 100.0, i});
  std::vector<TestEvent> first, second;
  for (int round = 0; round < 2; ++round) {
    auto order = events;
    std::shuffle(order.begin(), order.end(), std::mt19937(round));
    sim::Agenda<TestEvent> agenda(1.0);
    for (const auto& e : order) agenda.push(e);
    CHECK(agenda.pending() == events.size());
    std::vector<TestEvent>& got = round == 0 ? first : second;
    for (std::size_t t = 0; t < 10; ++t) {
      agenda.start_tick(t);
      const auto tick = drain(agenda);
      for (const auto& e : tick) {
        CHECK(e.time_h >= static_cast<double>(t));
        CHECK(e.time_h < static_cast<double>(t + 1));
      }
      CHECK(std::is_sorted(tick.begin(), tick.end()));
      got.insert(got.end(), tick.begin(), tick.end());
    }
    CHECK(agenda.pending() == 0);
  }
  REQUIRE(first.size() == events.size());
  for (std::size_t k = 0; k < first.size(); ++k) CHECK(first[k].id == second[k].id);
}

TEST_CASE("events scheduled into the running tick interleave with its bucket", "[unit][agenda]") {
  sim::Agenda<TestEvent> agenda(1.0);
  agenda.push({0.2, 1});
  agenda.push({0.6, 2});
  agenda.push({1.5, 3});  // next tick
  agenda.start_tick(0);
  TestEvent e;
  REQUIRE(agenda.pop(e));
  CHECK(e.id == 1);
  agenda.push({0.4, 4});  // handling event 1 schedules one before event 2
  agenda.push({0.9, 5});  // and one after it
  agenda.push({2.5, 6});  // and one in a later tick
  CHECK(agenda.pending() == 5);
  std::vector<int> ids;
  while (agenda.pop(e)) ids.push_back(e.id);
  CHECK(ids == std::vector<int>{4, 2, 5});
  agenda.start_tick(1);
  REQUIRE(agenda.pop(e));
  CHECK(e.id == 3);
  CHECK_FALSE(agenda.pop(e));
  agenda.start_tick(2);
  REQUIRE(agenda.pop(e));
  CHECK(e.id == 6);
}

TEST_CASE("a large bucket sorted on several threads comes out in the same total order",
          "[unit][agenda]") {
  // Above the size where the parallel sort splits the work; many equal times, so the order
  // rests on the tie-break of operator<.
  std::vector<TestEvent> events;
  events.reserve(50000);
  for (int i = 0; i < 50000; ++i) events.push_back({(i * 7919 % 977) / 1000.0, i});
  std::vector<std::vector<int>> orders;
  for (const int threads : {1, 2, 8}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(threads));
    auto shuffled = events;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(threads));
    sim::Agenda<TestEvent> agenda(1.0);
    for (const auto& e : shuffled) agenda.push(e);
    agenda.start_tick(0);
    const auto tick = drain(agenda);
    REQUIRE(tick.size() == events.size());
    CHECK(std::is_sorted(tick.begin(), tick.end()));
    std::vector<int> ids;
    ids.reserve(tick.size());
    for (const auto& e : tick) ids.push_back(e.id);
    orders.push_back(ids);
  }
  CHECK(orders[0] == orders[1]);
  CHECK(orders[0] == orders[2]);
}
