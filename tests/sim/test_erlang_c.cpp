// The queueing core against queueing theory (an M/M/c unit reproduces Erlang C) and its service
// order (priority, then arrival, whatever order arrivals were handed in).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "sim/random.hpp"
#include "sim/service_unit.hpp"

namespace {

// Erlang C: probability an arrival waits in M/M/c with offered load a = lambda / mu.
double erlang_c(int c, double a) {
  double term = 1, sum = 1;  // k = 0
  for (int k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  const double last = term * a / c;  // a^c / c!
  const double rho = a / c;
  const double top = last / (1 - rho);
  return top / (sum + top);
}

struct Observed {
  double p_wait = 0, mean_wait = 0;
  std::size_t served = 0;
};

// Poisson arrivals and exponential service, advanced in one-hour ticks like the model does.
Observed simulate(int servers, double lambda, double mu, double hours, double warmup_h) {
  sim::ServiceUnit unit(servers);
  sim::RandomStream arrivals(11, 1, 0, 0), service(11, 2, 0, 0);
  std::vector<sim::JobEvent> events;
  double t = arrivals.exponential(lambda);
  std::uint64_t id = 0;
  Observed o;
  std::size_t waited = 0;
  double wait_sum = 0;
  for (double tick = 0; tick < hours; tick += 1.0) {
    while (t < tick + 1.0) {
      unit.arrive({id++, t, service.exponential(mu), 0});
      t += arrivals.exponential(lambda);
    }
    events.clear();
    unit.advance(tick + 1.0, events);
    for (const auto& e : events) {
      if (e.kind != sim::JobEvent::Kind::Started || e.arrival_h < warmup_h) continue;
      const double w = e.time_h - e.arrival_h;
      ++o.served;
      wait_sum += w;
      if (w > 0) ++waited;
    }
  }
  o.p_wait = static_cast<double>(waited) / static_cast<double>(o.served);
  o.mean_wait = wait_sum / static_cast<double>(o.served);
  return o;
}

}  // namespace

TEST_CASE("Erlang C formula matches tabulated values", "[validation][queue]") {
  CHECK(erlang_c(1, 0.5) == Approx(0.5));        // M/M/1: P(wait) = rho
  CHECK(erlang_c(2, 1.0) == Approx(1.0 / 3.0));  // textbook value
  CHECK(erlang_c(5, 4.0) == Approx(0.5541).epsilon(1e-3));
}

// Run length: 400,000 hours at lambda = 4/h (1.6 million arrivals) gives standard errors of
// about 0.4% on P(wait) and 1% on the mean wait (batch-means estimate), well inside 3%.
TEST_CASE("an M/M/c service unit reproduces Erlang C within 3%", "[validation][queue]") {
  const int c = 5;
  const double lambda = 4.0, mu = 1.0;
  const Observed o = simulate(c, lambda, mu, 400000.0, 1000.0);
  const double pw = erlang_c(c, lambda / mu);
  const double wq = pw / (c * mu - lambda);
  INFO("served " << o.served << ", P(wait) " << o.p_wait << " vs " << pw << ", Wq " << o.mean_wait
                 << " vs " << wq);
  CHECK(o.p_wait == Approx(pw).epsilon(0.03));
  CHECK(o.mean_wait == Approx(wq).epsilon(0.03));
}

TEST_CASE("with unlimited servers nobody waits", "[validation][queue]") {
  const Observed o = simulate(-1, 50.0, 0.1, 2000.0, 0.0);
  CHECK(o.served > 90000);
  CHECK(o.p_wait == 0.0);
  CHECK(o.mean_wait == 0.0);
}

TEST_CASE("priority, then arrival order, and deadlines met by borrowed servers", "[unit][queue]") {
  sim::ServiceUnit unit(1);
  std::vector<sim::JobEvent> ev;
  unit.arrive({1, 0.0, 10.0, 1});      // occupies the server until t = 10
  unit.arrive({2, 1.0, 1.0, 2});       // low priority
  unit.arrive({3, 2.0, 1.0, 1});       // higher priority, later
  unit.arrive({4, 3.0, 1.0, 0, 5.0});  // must start by t = 5
  unit.advance(20.0, ev);
  std::vector<std::uint64_t> starts;
  double start4 = -1;
  bool borrowed4 = false;
  for (const auto& e : ev) {
    if (e.kind != sim::JobEvent::Kind::Started) continue;
    starts.push_back(e.id);
    if (e.id == 4) {
      start4 = e.time_h;
      borrowed4 = e.borrowed;
    }
  }
  REQUIRE(starts == std::vector<std::uint64_t>{1, 4, 3, 2});
  CHECK(start4 == 5.0);
  CHECK(borrowed4);
  CHECK(unit.borrowed_server_hours() == Approx(1.0));
  CHECK(unit.busy_server_hours() == Approx(12.0));  // job 1 (10 h) + jobs 3 and 2 (1 h each)
}

TEST_CASE("raising a waiting job's priority moves it ahead", "[unit][queue]") {
  sim::ServiceUnit unit(1);
  std::vector<sim::JobEvent> ev;
  unit.arrive({1, 0.0, 5.0, 0});
  unit.arrive({2, 1.0, 1.0, 1});
  unit.arrive({3, 2.0, 1.0, 1});
  unit.advance(3.0, ev);
  CHECK(unit.raise_priority(3, -1));
  CHECK_FALSE(unit.raise_priority(1, -1));  // already in service
  unit.advance(20.0, ev);
  std::vector<std::uint64_t> starts;
  for (const auto& e : ev) {
    if (e.kind == sim::JobEvent::Kind::Started) starts.push_back(e.id);
  }
  CHECK(starts == std::vector<std::uint64_t>{1, 3, 2});
  CHECK(unit.queue_length() == 0);
}

TEST_CASE("a raised job joins its new priority by arrival time", "[unit][queue]") {
  sim::ServiceUnit unit(1);
  std::vector<sim::JobEvent> ev;
  unit.arrive({1, 0.0, 10.0, 0});  // occupies the server until t = 10
  unit.arrive({2, 1.0, 1.0, 0});
  unit.arrive({3, 2.0, 1.0, 1});
  unit.arrive({4, 3.0, 1.0, 0});
  unit.advance(4.0, ev);
  CHECK(unit.raise_priority(3, 0));  // arrived between jobs 2 and 4
  unit.advance(20.0, ev);
  std::vector<std::uint64_t> starts;
  for (const auto& e : ev) {
    if (e.kind == sim::JobEvent::Kind::Started) starts.push_back(e.id);
  }
  CHECK(starts == std::vector<std::uint64_t>{1, 2, 3, 4});
}

TEST_CASE("the order arrivals are handed in does not change the events", "[unit][queue]") {
  // Two sorted runs (merged) and a shuffled batch (sorted) must both give the in-order result.
  std::vector<sim::Job> jobs;
  sim::RandomStream rng(5, 1, 0, 0);
  for (std::uint64_t id = 0; id < 400; ++id) {
    jobs.push_back(
        {id, 24.0 * rng.uniform(), rng.exponential(4.0), static_cast<std::int32_t>(rng.below(3))});
  }
  auto run = [](const std::vector<sim::Job>& order) {
    sim::ServiceUnit unit(3);
    std::vector<sim::JobEvent> ev;
    for (const auto& j : order) unit.arrive(j);
    unit.advance(1000.0, ev);
    std::vector<std::pair<std::uint64_t, double>> out;
    out.reserve(ev.size());
    for (const auto& e : ev) out.emplace_back(e.id, e.time_h);
    return out;
  };
  auto sorted = jobs;
  std::sort(sorted.begin(), sorted.end(),
            [](const sim::Job& a, const sim::Job& b) { return a.arrival_h < b.arrival_h; });
  const auto reference = run(sorted);
  REQUIRE(reference.size() == 2 * jobs.size());
  std::vector<sim::Job> two_runs;
  for (std::size_t k = 0; k < sorted.size(); k += 2) two_runs.push_back(sorted[k]);
  for (std::size_t k = 1; k < sorted.size(); k += 2) two_runs.push_back(sorted[k]);
  CHECK(run(two_runs) == reference);
  CHECK(run(jobs) == reference);
}

TEST_CASE("a silent job emits no events but holds its server", "[unit][queue]") {
  sim::ServiceUnit unit(1, {.service_h = 2.0, .priority = 0});
  std::vector<sim::JobEvent> ev;
  unit.arrive_silent(0.0);
  unit.arrive({.id = 2, .arrival_h = 1.0, .service_h = 1.0, .priority = 0});
  unit.advance(10.0, ev);
  REQUIRE(ev.size() == 2);
  CHECK(ev[0].id == 2);
  CHECK(ev[0].kind == sim::JobEvent::Kind::Started);
  CHECK(ev[0].time_h == 2.0);
  CHECK(ev[1].time_h == 3.0);
  CHECK(unit.busy_server_hours() == Approx(3.0));
  CHECK(unit.started_jobs() == 2);
}

TEST_CASE("silent jobs load the servers exactly as the same jobs handed in one by one",
          "[unit][queue]") {
  // The silent path (no slot, a FIFO of completions) must be an exact shortcut: a call centre
  // whose consultations are ordinary jobs gives the same events for everything else, the same
  // busy and borrowed hours and the same counts, bit for bit. Ties are real here: service and
  // arrival times sit on a 0.25 h grid, so completions, arrivals and deadlines coincide.
  const double consultation_h = 0.5;
  const std::uint64_t kConsultation = 1'000'000;
  struct Call {
    double t;
    bool consultation;
    sim::Job job;
  };
  std::vector<std::vector<Call>> ticks(48);
  sim::RandomStream rng(17, 3, 0, 0);
  std::uint64_t id = 0;
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    for (int n = 0; n < 20; ++n) {  // about 95 % of the 12 servers
      const double t = static_cast<double>(k) + 0.25 * static_cast<double>(rng.below(4));
      if (rng.bernoulli(0.8)) {
        ticks[k].push_back({t, true, {}});
        continue;
      }
      sim::Job j{.id = id++,
                 .arrival_h = t,
                 .service_h = 0.25 * static_cast<double>(1 + rng.below(6)),
                 .priority = static_cast<std::int32_t>(rng.below(3))};
      if (rng.bernoulli(0.2)) j.latest_start_h = t + 0.25 * static_cast<double>(rng.below(8));
      ticks[k].push_back({t, false, j});
    }
  }
  struct Outcome {
    std::vector<std::pair<std::uint64_t, double>> events;
    double busy_h, borrowed_h;
    std::uint64_t started;
  };
  auto run = [&](bool silent) {
    sim::ServiceUnit unit(12, {.service_h = consultation_h, .priority = 1});
    std::vector<sim::JobEvent> ev;
    for (std::size_t k = 0; k < ticks.size(); ++k) {
      // Consultations first, each tick's in time order, as the hotline hands them in.
      std::vector<double> times;
      for (const Call& c : ticks[k]) {
        if (c.consultation) times.push_back(c.t);
      }
      std::sort(times.begin(), times.end());
      for (const double t : times) {
        if (silent) {
          unit.arrive_silent(t);
        } else {
          unit.arrive({kConsultation, t, consultation_h, 1});
        }
      }
      for (const Call& c : ticks[k]) {
        if (!c.consultation) unit.arrive(c.job);
      }
      unit.advance(static_cast<double>(k + 1), ev);
    }
    unit.advance(1e6, ev);
    Outcome o{{}, unit.busy_server_hours(), unit.borrowed_server_hours(), unit.started_jobs()};
    for (const auto& e : ev) {
      if (e.id != kConsultation) o.events.emplace_back(e.id, e.time_h);
    }
    return o;
  };
  const Outcome reference = run(false);
  const Outcome fast = run(true);
  REQUIRE(reference.events.size() == 2 * id);
  CHECK(fast.events == reference.events);
  CHECK(fast.busy_h == reference.busy_h);
  CHECK(fast.borrowed_h == reference.borrowed_h);
  CHECK(reference.borrowed_h > 0);  // deadlines were met by borrowed servers
  CHECK(fast.started == reference.started);
}
