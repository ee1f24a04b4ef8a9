#include "models/outcomes/outcome_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

#include "models/mechanisms/mechanisms.hpp"
#include "models/outcomes/output_catalogue.hpp"

namespace gov {
namespace {

constexpr const char* kRoles[] = {"call_takers", "grid_workers",    "department_staff",
                                  "supervisors", "party_members",   "volunteers",
                                  "prevention",  "borrowed_routine"};
constexpr std::size_t kRoleCount = std::size(kRoles);

std::array<double, kRoleCount> as_array(const StaffHours& h) {
  return {h.call_takers,   h.grid_workers, h.department_staff, h.supervisors,
          h.party_members, h.volunteers,   h.prevention,       h.borrowed_routine};
}

void mean_median_p90(std::vector<double>& s, double& mean, double& median, double& p90) {
  mean = s.empty() ? std::nan("")
                   : std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(s.size());
  median = quantile(s, 0.5);
  p90 = quantile(s, 0.9);
}

double safe_div(double a, double b) {
  return b > 0 ? a / b : std::nan("");
}

}  // namespace

OutcomeRecorder::OutcomeRecorder(const World& w, int days)
    : warmup_(static_cast<int>(w.scenario.run.warmup_days)),
      nd_(w.city.districts.size()),
      ndep_(w.department_list.size()) {
  const auto n = static_cast<std::size_t>(days);
  counts_.assign(n * nd_ * kCountSize, 0.0);
  for (auto* v :
       {&open_, &response_mean_, &resolution_mean_, &trust_, &satisfaction_, &security_}) {
    v->assign(n * nd_, 0.0);
  }
  group_trust_.assign(n * 2, 0.0);
  group_satisfaction_.assign(n * 2, 0.0);
  for (int k = 0; k < 3; ++k) {
    city_response_[k].assign(n, 0.0);
    city_resolution_[k].assign(n, 0.0);
  }
  for (auto* v :
       {&dept_utilisation_, &dept_queue_, &dept_arrivals_, &dept_borrowed_h_, &dept_wait_}) {
    v->assign(n * ndep_, 0.0);
  }
  hours_.assign(n * kRoleCount, 0.0);
  dept_servers_.assign(ndep_, 0.0);
  for (const auto& u : w.departments.units()) dept_servers_[u.department] += u.queue.servers();
}

void OutcomeRecorder::end_day(World& w, int day) {
  const auto dd = static_cast<std::size_t>(day);
  // Counters and open stock by district.
  std::vector<double> open(nd_, 0.0);
  for (std::size_t c = 0; c < w.stock.issues.size(); ++c) {
    open[w.city.communities[c].district] += w.stock.issues[c];
  }
  for (std::size_t d = 0; d < nd_; ++d) {
    const DistrictDay& t = w.ledger.today[d];
    std::copy(t.n.begin(), t.n.end(),
              counts_.begin() + static_cast<std::ptrdiff_t>(at(day, d) * kCountSize));
    open_[at(day, d)] = open[d];
    response_mean_[at(day, d)] = safe_div(t.response_h_sum, t.get(Count::Responses));
    // Count::Resolved holds every true closure (departments and on the spot), as the sums do.
    const double resolved = t.get(Count::Resolved) + t.get(Count::SettledInCommunity);
    resolution_mean_[at(day, d)] = safe_div(t.resolution_h_sum, resolved);
    w.ledger.today[d] = DistrictDay{};
  }
  // Times: per-day city statistics, and the post-warmup sample for the run summary.
  TimeSamples& times = w.ledger.times_today;
  mean_median_p90(times.response_from_report, city_response_[0][dd], city_response_[1][dd],
                  city_response_[2][dd]);
  mean_median_p90(times.resolution_from_report, city_resolution_[0][dd], city_resolution_[1][dd],
                  city_resolution_[2][dd]);
  if (day >= warmup_) {
    auto keep = [](std::vector<double>& into, const std::vector<double>& from) {
      into.insert(into.end(), from.begin(), from.end());
    };
    keep(sample_.response_from_report, times.response_from_report);
    keep(sample_.resolution_from_report, times.resolution_from_report);
    keep(sample_.resolution_from_arising, times.resolution_from_arising);
    keep(sample_.detection, times.detection);
  }
  times.clear();
  // Residents' state by district and group, from the totals the residents keep per community.
  std::vector<double> pop(nd_, 0.0);
  std::array<GroupTotals, 2> city{};
  std::array<double, 2> group_index{};  // community trust index weighted by each group's residents
  for (std::size_t c = 0; c < w.city.communities.size(); ++c) {
    const Community& com = w.city.communities[c];
    const CommunityTotals& t = w.residents.totals[c];
    const double people = static_cast<double>(t[0].residents + t[1].residents);
    // Reported trust is the working trust (own and word of mouth), the one that drives reporting.
    const double index = w.opinion[c].trust_index;
    const double trust_sum = static_cast<double>(t[0].trust + t[1].trust);
    trust_[at(day, com.district)] +=
        effective_trust(trust_sum / 65535.0 / std::max(1.0, people), index) * people;
    satisfaction_[at(day, com.district)] +=
        static_cast<double>(t[0].satisfaction + t[1].satisfaction) / 65535.0;
    security_[at(day, com.district)] += w.opinion[c].security * com.residents;
    pop[com.district] += com.residents;
    for (std::size_t g = 0; g < 2; ++g) {
      city[g].trust += t[g].trust;
      city[g].satisfaction += t[g].satisfaction;
      city[g].residents += t[g].residents;
      group_index[g] += index * static_cast<double>(t[g].residents);
    }
  }
  for (std::size_t d = 0; d < nd_; ++d) {
    trust_[at(day, d)] = safe_div(trust_[at(day, d)], pop[d]);
    satisfaction_[at(day, d)] = safe_div(satisfaction_[at(day, d)], pop[d]);
    security_[at(day, d)] = safe_div(security_[at(day, d)], pop[d]);
  }
  for (std::size_t g = 0; g < 2; ++g) {
    const auto n = static_cast<double>(city[g].residents);
    group_trust_[dd * 2 + g] = effective_trust(
        safe_div(static_cast<double>(city[g].trust) / 65535.0, n), safe_div(group_index[g], n));
    group_satisfaction_[dd * 2 + g] =
        safe_div(static_cast<double>(city[g].satisfaction) / 65535.0, n);
  }
  // Departments: utilisation over the day, queue at its end, arrivals, borrowed routine hours.
  double dept_hours = 0, borrowed = 0;
  for (auto& u : w.departments.units()) {
    const std::size_t k = dd * ndep_ + u.department;
    const double busy = u.queue.busy_server_hours() - u.busy_hours_at_day_start;
    const double borrowed_h = u.queue.borrowed_server_hours() - u.borrowed_hours_at_day_start;
    dept_utilisation_[k] += busy;
    dept_queue_[k] += static_cast<double>(u.queue.queue_length());
    dept_arrivals_[k] += static_cast<double>(u.arrivals);
    dept_borrowed_h_[k] += borrowed_h;
    dept_hours += busy;
    borrowed += borrowed_h;
    u.busy_hours_at_day_start = u.queue.busy_server_hours();
    u.borrowed_hours_at_day_start = u.queue.borrowed_server_hours();
    u.arrivals = 0;
  }
  double day_starts = 0;
  for (std::size_t k = 0; k < ndep_; ++k) {
    dept_utilisation_[dd * ndep_ + k] =
        safe_div(dept_utilisation_[dd * ndep_ + k], dept_servers_[k] * 24.0);
    dept_wait_[dd * ndep_ + k] =
        safe_div(w.ledger.department_wait_h_today[k], w.ledger.department_starts_today[k]);
    if (day >= warmup_) {
      wait_sum_ += w.ledger.department_wait_h_today[k];
      starts_ += w.ledger.department_starts_today[k];
    }
    day_starts += w.ledger.department_starts_today[k];
    w.ledger.department_wait_h_today[k] = 0;
    w.ledger.department_starts_today[k] = 0;
  }
  if (day >= warmup_) {
    // Busy hours include misroute reviews and duplicate work; divided by handling starts.
    busy_sum_ += dept_hours;
    started_jobs_ += day_starts;
  }
  // Staff-hours by role.
  StaffHours& hours = w.ledger.hours;
  hours.department_staff += dept_hours;
  hours.borrowed_routine += borrowed;
  const double hotline_busy = w.hotline.call_takers.busy_server_hours();
  hours.call_takers += hotline_busy - hotline_busy_prev_;
  hotline_busy_prev_ = hotline_busy;
  hours.grid_workers += w.capacities.grid_worker_hours_per_day;
  hours.prevention += w.capacities.prevention_staff * 24.0;
  const auto now = as_array(hours), before = as_array(hours_prev_);
  for (std::size_t r = 0; r < kRoleCount; ++r) hours_[dd * kRoleCount + r] = now[r] - before[r];
  hours_prev_ = hours;
  recorded_ = day + 1;
}

double OutcomeRecorder::count(int day, std::size_t district, Count c) const {
  return counts_[at(day, district) * kCountSize + static_cast<std::size_t>(c)];
}

double OutcomeRecorder::open_at_end(int day, std::size_t district) const {
  return open_[at(day, district)];
}

sim::RunRecord OutcomeRecorder::to_record(const World& w) const {
  sim::RunRecord rec;
  const auto n = static_cast<std::size_t>(recorded_);
  sim::Dimension day{"day", "d", "simulated day (0-based)", {}, {}};
  for (std::size_t d = 0; d < n; ++d) day.values.push_back(static_cast<double>(d));
  sim::Dimension district{"district", "", "district (name)", {}, {}};
  for (const auto& d : w.city.districts) district.labels.push_back(d.name);
  sim::Dimension department{"department", "", "department after merges (P4)", {}, {}};
  for (const auto& d : w.department_list) department.labels.push_back(d.name);
  sim::Dimension group{"group", "", "resident group", {}, {"local", "floating"}};
  sim::Dimension role{"role", "", "who spends the staff-hours", {}, {}};
  for (const char* r : kRoles) role.labels.push_back(r);
  sim::Dimension community{"community", "", "community or village (12-digit code)", {}, {}};
  for (const auto& c : w.city.communities) community.labels.push_back(c.code);
  rec.dimensions = {day, district, department, group, role, community};
  sim::LabelCoordinate district_code{
      "district_code", "district", "district's statistical division code (NBS)", {}};
  sim::LabelCoordinate district_pinyin{
      "district_pinyin", "district", "district's name in Hanyu Pinyin", {}};
  for (const auto& d : w.city.districts) {
    district_code.labels.push_back(d.code);
    district_pinyin.labels.push_back(d.pinyin);
  }
  rec.label_coordinates = {district_code, district_pinyin};

  auto slice = [&](const std::vector<double>& v, std::size_t width) {
    return std::vector<double>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n * width));
  };
  for (std::size_t c = 0; c < kCountSize; ++c) {
    std::vector<double> by_district(n * nd_), city(n, 0.0);
    for (std::size_t d = 0; d < n; ++d) {
      for (std::size_t k = 0; k < nd_; ++k) {
        const double v = counts_[(d * nd_ + k) * kCountSize + c];
        by_district[d * nd_ + k] = v;
        city[d] += v;
      }
    }
    const std::string name(count_info()[c].name);
    rec.variables.push_back(declared_variable("city_" + name, city));
    rec.variables.push_back(declared_variable("district_" + name, by_district));
  }
  std::vector<double> city_open(n, 0.0);
  for (std::size_t d = 0; d < n; ++d) {
    for (std::size_t k = 0; k < nd_; ++k) city_open[d] += open_[d * nd_ + k];
  }
  rec.variables.push_back(declared_variable("city_open", city_open));
  rec.variables.push_back(declared_variable("district_open", slice(open_, nd_)));
  const char* stat[] = {"mean", "median", "p90"};
  for (int k = 0; k < 3; ++k) {
    rec.variables.push_back(declared_variable(std::string("city_time_to_response_") + stat[k],
                                              slice(city_response_[k], 1)));
    rec.variables.push_back(declared_variable(std::string("city_time_to_resolution_") + stat[k],
                                              slice(city_resolution_[k], 1)));
  }
  for (const auto& [name, values, width] :
       std::initializer_list<std::tuple<const char*, const std::vector<double>*, std::size_t>>{
           {"district_time_to_response_mean", &response_mean_, nd_},
           {"district_time_to_resolution_mean", &resolution_mean_, nd_},
           {"district_trust", &trust_, nd_},
           {"district_satisfaction", &satisfaction_, nd_},
           {"district_security", &security_, nd_},
           {"group_trust", &group_trust_, 2},
           {"group_satisfaction", &group_satisfaction_, 2},
           {"department_utilisation", &dept_utilisation_, ndep_},
           {"department_queue", &dept_queue_, ndep_},
           {"department_arrivals", &dept_arrivals_, ndep_},
           {"department_wait_mean_h", &dept_wait_, ndep_},
           {"department_borrowed_hours", &dept_borrowed_h_, ndep_},
           {"staff_hours", &hours_, kRoleCount}})
    rec.variables.push_back(declared_variable(name, slice(*values, width)));

  // End-of-run snapshot per community, for maps.
  std::vector<double> c_open, c_trust_idx, c_security, c_residents;
  for (std::size_t c = 0; c < w.opinion.size(); ++c) {
    c_open.push_back(w.stock.issues[c]);
    c_trust_idx.push_back(w.opinion[c].trust_index);
    c_security.push_back(w.opinion[c].security);
    c_residents.push_back(w.city.communities[c].residents);
  }
  rec.variables.push_back(declared_variable("community_open", c_open));
  rec.variables.push_back(declared_variable("community_trust_index", c_trust_idx));
  rec.variables.push_back(declared_variable("community_security", c_security));
  rec.variables.push_back(declared_variable("community_residents", c_residents));

  // Summary scalars over post-warmup days.
  Counters tot{};
  double days_counted = 0;
  for (std::size_t d = static_cast<std::size_t>(std::min(warmup_, recorded_)); d < n; ++d) {
    days_counted += 1;
    for (std::size_t k = 0; k < nd_; ++k) {
      for (std::size_t c = 0; c < kCountSize; ++c)
        tot[c] += counts_[(d * nd_ + k) * kCountSize + c];
    }
  }
  auto T = [&](Count c) { return tot[static_cast<std::size_t>(c)]; };
  // Per demand (MODEL.md §5): every issue that arose after the warm-up, whatever became of it.
  const CohortLedger& cohort = w.ledger.cohort;
  const double true_res = T(Count::Resolved) + T(Count::SettledInCommunity);
  auto sample = sample_;
  double rm, rmed, rp90, sm, smed, sp90, am, amed, ap90, dm, dmed, dp90;
  mean_median_p90(sample.response_from_report, rm, rmed, rp90);
  mean_median_p90(sample.resolution_from_report, sm, smed, sp90);
  mean_median_p90(sample.resolution_from_arising, am, amed, ap90);
  mean_median_p90(sample.detection, dm, dmed, dp90);
  const double residents = static_cast<double>(w.city.residents());
  double total_hours = 0;
  for (std::size_t d = static_cast<std::size_t>(std::min(warmup_, recorded_)); d < n; ++d) {
    for (std::size_t r = 0; r < kRoleCount; ++r) total_hours += hours_[d * kRoleCount + r];
  }
  double util_mean = 0, util_sq = 0, util_n = 0;
  for (std::size_t k = 0; k < ndep_; ++k) {
    double u = 0, m = 0;
    for (std::size_t d = static_cast<std::size_t>(std::min(warmup_, recorded_)); d < n; ++d) {
      if (!std::isnan(dept_utilisation_[d * ndep_ + k])) {
        u += dept_utilisation_[d * ndep_ + k];
        m += 1;
      }
    }
    if (m > 0) {
      util_mean += u / m;
      util_sq += (u / m) * (u / m);
      util_n += 1;
    }
  }
  util_mean = safe_div(util_mean, util_n);
  const double util_sd =
      util_n > 1 ? std::sqrt(std::max(0.0, util_sq / util_n - util_mean * util_mean)) : 0.0;
  auto city_mean = [&](const std::vector<double>& v) {
    double s = 0, p = 0;
    for (std::size_t k = 0; k < nd_ && n > 0; ++k) {
      s += v[(n - 1) * nd_ + k] * w.city.districts[k].residents;
      p += w.city.districts[k].residents;
    }
    return safe_div(s, p);
  };
  double full_adoption = 0;
  for (double a : w.adoption_day) full_adoption = std::max(full_adoption, a);
  for (auto [name, value] : std::initializer_list<std::pair<const char*, double>>{
           {"issues_per_day", safe_div(T(Count::Arising), days_counted)},
           {"incidence_per_1000_per_day",
            safe_div(T(Count::Arising) * 1000.0, days_counted * residents)},
           {"reported_share", safe_div(T(Count::Reported), T(Count::Arising))},
           {"discovered_share", safe_div(T(Count::Discovered), T(Count::Arising))},
           {"demands_arisen", cohort.arisen},
           {"resolution_rate", safe_div(cohort.resolved(), cohort.arisen)},
           {"resolution_rate_received", safe_div(cohort.resolved(), cohort.received())},
           {"satisfaction_rate", safe_div(cohort.satisfied, cohort.arisen)},
           {"satisfaction_rate_received", safe_div(cohort.satisfied, cohort.received())},
           {"settled_share", safe_div(cohort.in(IssueState::Settled), cohort.arisen)},
           {"unmeetable_share", safe_div(cohort.in(IssueState::Unmeetable), cohort.arisen)},
           {"falsely_closed_share", safe_div(cohort.in(IssueState::ClosedFalse), cohort.arisen)},
           {"open_share", safe_div(cohort.open(), cohort.arisen)},
           {"dropped_share", safe_div(cohort.in(IssueState::Dropped), cohort.arisen)},
           {"response_rate_within_limit",
            safe_div(T(Count::RespondedWithinLimit), T(Count::Responses))},
           {"resolved_within_limit_share", safe_div(T(Count::ResolvedWithinLimit), true_res)},
           {"time_to_response_mean_h", rm},
           {"time_to_response_median_h", rmed},
           {"time_to_response_p90_h", rp90},
           {"time_to_resolution_mean_h", sm},
           {"time_to_resolution_median_h", smed},
           {"time_to_resolution_p90_h", sp90},
           {"time_from_arising_to_resolution_mean_h", am},
           {"time_from_arising_to_resolution_median_h", amed},
           {"time_from_arising_to_resolution_p90_h", ap90},
           {"time_to_detection_mean_h", dm},
           {"time_to_detection_median_h", dmed},
           {"transfers_per_dispatched", safe_div(T(Count::Transfers), T(Count::Dispatched))},
           {"misroutes_per_dispatched", safe_div(T(Count::Misroutes), T(Count::Dispatched))},
           {"push_failure_share", safe_div(T(Count::Misroutes), T(Count::Pushes))},
           {"first_push_failure_share",
            safe_div(T(Count::FirstPushMisroutes), T(Count::Dispatched))},
           {"handoffs_per_dispatched", safe_div(T(Count::Handoffs), T(Count::Dispatched))},
           {"on_the_spot_closures_per_day", safe_div(T(Count::ClosedOnSpot), days_counted)},
           {"duplicate_work_orders_per_day", safe_div(T(Count::DuplicateWorkOrders), days_counted)},
           {"false_closures_per_day", safe_div(T(Count::FalselyClosed), days_counted)},
           {"false_closures_caught_per_day", safe_div(T(Count::FalseClosuresCaught), days_counted)},
           {"escalations_per_day", safe_div(T(Count::Escalated), days_counted)},
           {"cascade_issues_per_day", safe_div(T(Count::SpawnedByCascade), days_counted)},
           {"whistles_per_day", safe_div(T(Count::Whistles), days_counted)},
           {"branching_ratio", branching_ratio(expected_offspring(w))},
           {"coupling_spectral_radius", branching_ratio(w.coupling)},
           {"open_issues_end", n > 0 ? city_open[n - 1] : 0.0},
           {"trust_end", city_mean(trust_)},
           {"satisfaction_end", city_mean(satisfaction_)},
           {"security_end", city_mean(security_)},
           {"department_utilisation_mean", util_mean},
           {"department_wait_mean_h", safe_div(wait_sum_, starts_)},
           {"department_busy_hours_per_issue", safe_div(busy_sum_, started_jobs_)},
           {"department_utilisation_sd", util_sd},
           {"staff_hours_per_day", safe_div(total_hours, days_counted)},
           {"staff_hours_per_resolved", safe_div(total_hours, true_res)},
           {"days_to_full_adoption", full_adoption},
       })
    rec.summary.push_back(declared_scalar(name, value));
  return rec;
}

}  // namespace gov
