#include "models/outcomes/output_catalogue.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "models/lifecycle.hpp"
#include "models/outcomes/outcomes.hpp"

namespace gov {
namespace {

// How values are made, for the table's last column.
const char* const kSumOverDay = "sum over the day";
const char* const kEndOfDay = "stock at the end of the day";
const char* const kMeanOverDay = "mean over the day's issues (NaN on a day without any)";
const char* const kOverDay = "over the day";
const char* const kResidentsEndOfDay = "residents' mean at the end of the day";
const char* const kEndOfRun = "at the end of the run";
const char* const kIssueLog = "one row per logged issue, as it stands at the end of the run";
const char* const kPerDay = "total over the days after the warm-up, per day";
const char* const kRatioOfTotals = "ratio of totals over the days after the warm-up";
const char* const kCohort =
    "over the demands that arose after the warm-up, by where each stands at the end";
const char* const kSample = "over the issues of the days after the warm-up";
const char* const kOverDepartments = "over departments, of their means after the warm-up";
const char* const kFromScenario = "computed from the scenario (not simulated)";

std::string issue_state_codes() {
  std::string states = "lifecycle state at the end:";
  for (std::size_t k = 0; k < kIssueStateCount; ++k)
    states += " " + std::to_string(k) + " " + std::string(kIssueStateNames[k]);
  return states;
}

std::vector<OutputDeclaration> build() {
  std::vector<OutputDeclaration> out;
  for (const auto& info : count_info()) {
    out.push_back({"city_" + std::string(info.name),
                   {"day"},
                   "d-1",
                   std::string(info.description),
                   kSumOverDay});
    out.push_back({"district_" + std::string(info.name),
                   {"day", "district"},
                   "d-1",
                   std::string(info.description),
                   kSumOverDay});
  }
  const std::vector<OutputDeclaration> stocks = {
      {"city_open", {"day"}, "1", "open issues at the end of the day (stock)", kEndOfDay},
      {"district_open", {"day", "district"}, "1", "open issues at the end of the day", kEndOfDay},
  };
  out.insert(out.end(), stocks.begin(), stocks.end());
  for (const char* stat : {"mean", "median", "p90"}) {
    out.push_back({fmt::format("city_time_to_response_{}", stat),
                   {"day"},
                   "h",
                   "report to first response, issues responded that day",
                   fmt::format("{} over the issues responded that day", stat)});
    out.push_back({fmt::format("city_time_to_resolution_{}", stat),
                   {"day"},
                   "h",
                   "report to true resolution, issues resolved that day",
                   fmt::format("{} over the issues resolved that day", stat)});
  }
  const std::vector<OutputDeclaration> rest = {
      {"district_time_to_response_mean",
       {"day", "district"},
       "h",
       "report to first response",
       kMeanOverDay},
      {"district_time_to_resolution_mean",
       {"day", "district"},
       "h",
       "report to true resolution",
       kMeanOverDay},
      {"district_trust",
       {"day", "district"},
       "1",
       "mean working trust in government (0-1): own, blended with word of mouth",
       kResidentsEndOfDay},
      {"district_satisfaction",
       {"day", "district"},
       "1",
       "mean satisfaction (0-1)",
       kResidentsEndOfDay},
      {"district_security",
       {"day", "district"},
       "1",
       "mean sense of security (0-1)",
       kResidentsEndOfDay},
      {"group_trust", {"day", "group"}, "1", "mean trust by resident group", kResidentsEndOfDay},
      {"group_satisfaction",
       {"day", "group"},
       "1",
       "mean satisfaction by resident group",
       kResidentsEndOfDay},
      {"department_utilisation",
       {"day", "department"},
       "1",
       "busy server-hours / (servers x 24 h)",
       kOverDay},
      {"department_queue",
       {"day", "department"},
       "1",
       "jobs waiting at the end of the day",
       kEndOfDay},
      {"department_arrivals",
       {"day", "department"},
       "d-1",
       "jobs arriving (work, reviews, duplicates)",
       kSumOverDay},
      {"department_wait_mean_h",
       {"day", "department"},
       "h",
       "mean wait in the queue of issues starting handling",
       kMeanOverDay},
      {"department_borrowed_hours",
       {"day", "department"},
       "h/d",
       "routine staff-hours pulled in to meet attendance limits",
       kSumOverDay},
      {"staff_hours", {"day", "role"}, "h/d", "staff-hours by role", kSumOverDay},
      {"community_open", {"community"}, "1", "open issues at the end of the run", kEndOfRun},
      {"community_trust_index",
       {"community"},
       "1",
       "community trust (word of mouth) at the end",
       kEndOfRun},
      {"community_security", {"community"}, "1", "security at the end of the run", kEndOfRun},
      {"community_residents", {"community"}, "1", "residents simulated", kEndOfRun},
      {"issue_key_hi", {"issue"}, "", "issue identity, high 32 bits", kIssueLog},
      {"issue_key_lo", {"issue"}, "", "issue identity, low 32 bits", kIssueLog},
      {"issue_community", {"issue"}, "", "community index", kIssueLog},
      {"issue_domain", {"issue"}, "", "domain index (MODEL.md 3 order)", kIssueLog},
      {"issue_origin", {"issue"}, "", "0 resident, 1 grid, 2 cascade", kIssueLog},
      {"issue_severity", {"issue"}, "", "0 minor, 1 normal, 2 serious", kIssueLog},
      {"issue_state", {"issue"}, "", issue_state_codes(), kIssueLog},
      {"issue_closer",
       {"issue"},
       "",
       "who closed it last: 0 nobody, 1 a department, 2 a grid worker",
       kIssueLog},
      {"issue_transfers", {"issue"}, "", "transfers", kIssueLog},
      {"issue_handoffs", {"issue"}, "", "hand-offs between departments", kIssueLog},
      {"issue_parts", {"issue"}, "", "departments required", kIssueLog},
      {"issue_reopened", {"issue"}, "", "reopenings after call-backs", kIssueLog},
      {"issue_unmeetable", {"issue"}, "", "1 if the demand cannot be met under policy", kIssueLog},
      {"issue_satisfied",
       {"issue"},
       "",
       "1 if the resident was satisfied with the latest outcome",
       kIssueLog},
      {"issue_escalated", {"issue"}, "", "1 if it escalated", kIssueLog},
      {"issue_whistled", {"issue"}, "", "1 if a whistle summoned its departments", kIssueLog},
      {"issue_t_arise", {"issue"}, "h", "time it arose", kIssueLog},
      {"issue_t_report", {"issue"}, "h", "time it entered the system (-1 never)", kIssueLog},
      {"issue_t_response", {"issue"}, "h", "time of first response (-1 never)", kIssueLog},
      {"issue_t_close",
       {"issue"},
       "h",
       "time it last left the open states (-1 still open)",
       kIssueLog},

      {"issues_per_day", {}, "d-1", "issues arising per day", kPerDay},
      {"incidence_per_1000_per_day",
       {},
       "1e-3 d-1",
       "issues arising per 1,000 residents per day",
       kPerDay},
      {"reported_share",
       {},
       "1",
       "share of arising issues reported through the hotline",
       kRatioOfTotals},
      {"discovered_share",
       {},
       "1",
       "share of arising issues found by grid patrols",
       kRatioOfTotals},
      {"demands_arisen", {}, "1", "demands that arose after the warm-up (the cohort)", kCohort},
      {"resolution_rate",
       {},
       "1",
       "share of all demands that arose that are truly solved at the end (closed true or settled)",
       kCohort},
      {"resolution_rate_received",
       {},
       "1",
       "share of demands that reached the system (reported or found) truly solved at the end",
       kCohort},
      {"satisfaction_rate",
       {},
       "1",
       "share of all demands that arose whose resident was satisfied with the latest outcome",
       kCohort},
      {"satisfaction_rate_received",
       {},
       "1",
       "share of demands that reached the system whose resident was satisfied",
       kCohort},
      {"settled_share", {}, "1", "share of demands settled in the community", kCohort},
      {"unmeetable_share", {}, "1", "share of demands closed as unmeetable under policy", kCohort},
      {"falsely_closed_share",
       {},
       "1",
       "share of demands closed falsely and not reopened by the end",
       kCohort},
      {"open_share", {}, "1", "share of demands still open at the end of the run", kCohort},
      {"dropped_share", {}, "1", "share of demands never reported nor found (given up)", kCohort},
      {"response_rate_within_limit",
       {},
       "1",
       "responses within the limit / responses (you-hu-bi-ying)",
       kRatioOfTotals},
      {"resolved_within_limit_share",
       {},
       "1",
       "true resolutions within the domain's time limit",
       kRatioOfTotals},
      {"time_to_response_mean_h", {}, "h", "mean time from report to first response", kSample},
      {"time_to_response_median_h", {}, "h", "median time from report to first response", kSample},
      {"time_to_response_p90_h",
       {},
       "h",
       "90th percentile time from report to first response",
       kSample},
      {"time_to_resolution_mean_h", {}, "h", "mean time from report to true resolution", kSample},
      {"time_to_resolution_median_h",
       {},
       "h",
       "median time from report to true resolution",
       kSample},
      {"time_to_resolution_p90_h",
       {},
       "h",
       "90th percentile time from report to true resolution",
       kSample},
      {"time_from_arising_to_resolution_mean_h",
       {},
       "h",
       "mean time from arising to true resolution (detection included)",
       kSample},
      {"time_from_arising_to_resolution_median_h",
       {},
       "h",
       "median time from arising to true resolution",
       kSample},
      {"time_from_arising_to_resolution_p90_h",
       {},
       "h",
       "90th percentile time from arising to true resolution",
       kSample},
      {"time_to_detection_mean_h",
       {},
       "h",
       "mean time from arising to report or grid find",
       kSample},
      {"time_to_detection_median_h",
       {},
       "h",
       "median time from arising to report or grid find",
       kSample},
      {"transfers_per_dispatched", {}, "1", "transfers per dispatched issue", kRatioOfTotals},
      {"misroutes_per_dispatched", {}, "1", "misroutes per dispatched issue", kRatioOfTotals},
      {"push_failure_share",
       {},
       "1",
       "share of dispatches (pushes) of a part that went to a department not responsible",
       kRatioOfTotals},
      {"first_push_failure_share",
       {},
       "1",
       "share of dispatched issues whose first dispatch went to a department not responsible "
       "(a problem-pushing failure ratio: one push per problem)",
       kRatioOfTotals},
      {"handoffs_per_dispatched",
       {},
       "1",
       "hand-offs between departments per dispatched issue",
       kRatioOfTotals},
      {"on_the_spot_closures_per_day",
       {},
       "d-1",
       "grid workers' on-the-spot closures per day",
       kPerDay},
      {"duplicate_work_orders_per_day",
       {},
       "d-1",
       "duplicate reports handled as extra work orders",
       kPerDay},
      {"false_closures_per_day", {}, "d-1", "false closures per day", kPerDay},
      {"false_closures_caught_per_day",
       {},
       "d-1",
       "false closures caught by call-backs per day",
       kPerDay},
      {"escalations_per_day", {}, "d-1", "escalations per day", kPerDay},
      {"cascade_issues_per_day", {}, "d-1", "follow-on issues per day", kPerDay},
      {"whistles_per_day", {}, "d-1", "whistles blown per day", kPerDay},
      {"branching_ratio",
       {},
       "1",
       "spectral radius of the expected-offspring matrix (escalation share x K)",
       kFromScenario},
      {"coupling_spectral_radius",
       {},
       "1",
       "spectral radius of K (every issue escalating)",
       kFromScenario},
      {"open_issues_end", {}, "1", "open issues at the end of the run", kEndOfRun},
      {"trust_end", {}, "1", "mean trust at the end of the run", kEndOfRun},
      {"satisfaction_end", {}, "1", "mean satisfaction at the end of the run", kEndOfRun},
      {"security_end", {}, "1", "mean security at the end of the run", kEndOfRun},
      {"department_utilisation_mean",
       {},
       "1",
       "mean over departments of their utilisation",
       kOverDepartments},
      {"department_wait_mean_h",
       {},
       "h",
       "mean time an issue waits in a department's queue",
       kSample},
      {"department_busy_hours_per_issue",
       {},
       "h",
       "department busy hours (travel, handling, reviews, duplicates) per issue handled",
       kRatioOfTotals},
      {"department_utilisation_sd",
       {},
       "1",
       "spread of utilisation across departments (pooling loss)",
       kOverDepartments},
      {"staff_hours_per_day", {}, "h/d", "staff-hours of every actor per day", kPerDay},
      {"staff_hours_per_resolved", {}, "h", "staff-hours per truly solved issue", kRatioOfTotals},
      {"days_to_full_adoption",
       {},
       "d",
       "days until every district has adopted the policies",
       kEndOfRun},
  };
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

const OutputDeclaration& find(std::string_view name, bool with_dims) {
  for (const auto& d : output_declarations())
    if (d.name == name && d.dims.empty() != with_dims) return d;
  throw std::logic_error(fmt::format("output '{}' is not declared in output_catalogue.cpp", name));
}

}  // namespace

const std::vector<OutputDeclaration>& output_declarations() {
  static const std::vector<OutputDeclaration> declarations = build();
  return declarations;
}

sim::Variable declared_variable(std::string_view name, std::vector<double> data) {
  const OutputDeclaration& d = find(name, true);
  return {d.name, d.unit, d.long_name, d.dims, std::move(data)};
}

sim::Scalar declared_scalar(std::string_view name, double value) {
  const OutputDeclaration& d = find(name, false);
  return {d.name, d.unit, d.long_name, value};
}

std::string outputs_markdown() {
  std::string out =
      "| output | dimensions | unit | long name | how it is made |\n|---|---|---|---|---|\n";
  for (const auto& d : output_declarations()) {
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", d.name,
                       d.dims.empty() ? "(end of run)" : fmt::format("{}", fmt::join(d.dims, ", ")),
                       d.unit.empty() ? "—" : "`" + d.unit + "`", d.long_name, d.aggregation);
  }
  return out;
}

}  // namespace gov
