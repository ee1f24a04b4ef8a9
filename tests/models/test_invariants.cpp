// Stock and flow, every day: arrivals = departures + change in stock.
#include <catch2/catch.hpp>

#include <array>
#include <map>

#include "models/governance_model.hpp"
#include "tests/support.hpp"

TEST_CASE("stock-and-flow identities hold every day of a run", "[validation][invariants]") {
  gov::Scenario s = test::small_city(30);
  // Switch everything on so reopenings, settlements, on-the-spot closures and cascades all occur.
  s.policies.closed_loop.enabled = true;
  s.policies.hotline_grid_integration.enabled = true;
  s.policies.whistle.enabled = true;
  s.policies.party_leadership.enabled = true;
  gov::GovernanceModel model(s);
  gov::RunOptions o;
  o.check_invariants = true;  // the model checks its own invariants daily and throws if broken
  REQUIRE_NOTHROW(model.run(o));
  const auto& r = model.outcomes();
  using gov::Count;
  const std::size_t nd = model.world().city.districts.size();
  double arisen = 0, left = 0, reopened = 0;
  for (int day = 0; day < r.days_recorded(); ++day) {
    double in = 0, out = 0, stock = 0, before = 0;
    for (std::size_t d = 0; d < nd; ++d) {
      in += r.count(day, d, Count::Arising) + r.count(day, d, Count::Reopened);
      out += r.count(day, d, Count::Closed) + r.count(day, d, Count::SettledInCommunity) +
             r.count(day, d, Count::ClosedOnSpot) + r.count(day, d, Count::Dropped);
      stock += r.open_at_end(day, d);
      if (day > 0) before += r.open_at_end(day - 1, d);
      arisen += r.count(day, d, Count::Arising);
      reopened += r.count(day, d, Count::Reopened);
    }
    INFO("day " << day);
    REQUIRE(stock == before + in - out);
    left += out;
  }
  // Cumulative: everything that arose is still open or has left (net of reopenings).
  double open_end = 0;
  for (std::size_t d = 0; d < nd; ++d) open_end += r.open_at_end(r.days_recorded() - 1, d);
  CHECK(arisen + reopened == left + open_end);
  CHECK(reopened > 0);
  CHECK(model.world().stock.total == static_cast<std::uint64_t>(open_end));
  // Each resolved issue's timestamps are ordered (checked daily by the model as well).
  for (const auto& is : model.world().issues) {
    if (is.t_report >= 0) REQUIRE(is.t_report >= is.t_arise);
    if (is.t_response >= 0) REQUIRE(is.t_response >= is.t_report);
  }
}

TEST_CASE("every demand is logged once, with one fate, and every judgement is counted",
          "[validation][invariants]") {
  gov::Scenario s = test::small_city(20);
  s.run.warmup_days = 0;
  s.run.issue_log = "full";
  s.policies.hotline_grid_integration.enabled = true;  // on-the-spot closures
  s.policies.party_leadership.enabled = true;          // community settlement
  s.policies.whistle.enabled = true;
  gov::GovernanceModel model(s);
  const auto rec = model.run();
  using S = gov::IssueState;
  double solved = 0, in_time = 0, on_spot = 0, satisfied = 0;
  std::array<double, gov::kIssueStateCount> fates{};
  for (const auto& r : model.world().ledger.issue_log) {
    const auto state = static_cast<S>(r.state);
    fates[r.state] += 1;
    satisfied += r.satisfied ? 1 : 0;
    if (!gov::is_resolved(state)) continue;
    solved += 1;
    on_spot += r.closer == static_cast<std::uint8_t>(gov::Closer::GridWorker) ? 1 : 0;
    if (r.t_close - r.t_report <= model.world().domain(r.domain).time_limit_h) in_time += 1;
  }
  auto total = [&](const std::string& name) { return test::series_total(rec, name); };
  // With no warm-up every issue is in the cohort, and the log holds each exactly once.
  const auto& cohort = model.world().ledger.cohort;
  CHECK(static_cast<double>(model.world().ledger.issue_log.size()) == total("city_arising"));
  CHECK(cohort.arisen == total("city_arising"));
  for (std::size_t k = 0; k < gov::kIssueStateCount; ++k) {
    INFO(gov::kIssueStateNames[k]);
    CHECK(fates[k] == cohort.by_state[k]);
  }
  CHECK(on_spot > 0);
  CHECK(fates[static_cast<std::size_t>(S::Unmeetable)] > 0);
  CHECK(solved == total("city_resolved") + total("city_settled_in_community"));
  CHECK(in_time == total("city_resolved_within_limit"));
  // Without call-backs nothing is reopened: each case is judged once, at its final outcome.
  CHECK(satisfied == total("city_satisfied"));
  CHECK(satisfied == cohort.satisfied);
  CHECK(total("city_judged") == cohort.arisen - cohort.open() - cohort.in(S::Dropped));
}

TEST_CASE("the per-demand shares add up to one", "[validation][invariants]") {
  gov::Scenario s = test::small_city(30);
  s.policies.closed_loop.enabled = true;
  gov::GovernanceModel model(s);
  const auto rec = model.run();
  std::map<std::string, double> v;
  for (const auto& sc : rec.summary) v[sc.name] = sc.value;
  CHECK(v.at("resolution_rate") + v.at("unmeetable_share") + v.at("falsely_closed_share") +
            v.at("open_share") + v.at("dropped_share") ==
        Approx(1.0).epsilon(1e-12));
  CHECK(v.at("resolution_rate") < v.at("resolution_rate_received"));
  CHECK(v.at("satisfaction_rate") < v.at("resolution_rate") + v.at("unmeetable_share"));
}

TEST_CASE("a whistle blown during a sequential handoff dispatches no part twice",
          "[validation][invariants]") {
  gov::Scenario s = test::small_city(30);
  for (auto& d : s.domains) {
    d.cross_domain_share = 1.0;   // every issue needs two or three departments
    d.escalation_limit_h = 60.0;  // escalations fall inside handoffs
  }
  s.routing.handoff_delay_h = 48.0;
  s.routing.stall_probability = 0.5;
  s.policies.whistle.enabled = true;
  s.policies.whistle.triggers = {"escalated"};
  s.policies.whistle.quota_per_community_per_week = 1000;
  gov::GovernanceModel model(s);
  gov::RunOptions o;
  o.check_invariants = true;
  sim::RunRecord rec;
  // dispatch() refuses a part that already has a job in a queue (std::logic_error).
  REQUIRE_NOTHROW(rec = model.run(o));
  CHECK(test::series_total(rec, "city_whistles") > 100);
}
