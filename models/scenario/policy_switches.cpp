#include "models/scenario/scenario.hpp"

// The article's strategies as switches (MODEL.md 1, P1-P10): every policy key with its meaning
// and range, apart from the settings of the mechanisms they act on (scenario.cpp).
namespace gov {
const std::vector<std::string>& policy_switch_names() {
  static const std::vector<std::string> names = {
      "party_leadership",       "resource_sinking",  "hotline_grid_integration",
      "department_integration", "whistle",           "closed_loop",
      "social_participation",   "source_governance", "rollout"};
  return names;
}

void describe(sim::config::Visitor& v, PartyLeadership& s) {
  v.value("enabled", s.enabled, {.meaning = "P1: strengthen community Party organisations"});
  v.value(
      "capacity_multiplier", s.capacity_multiplier,
      {.meaning = "multiplier on mediation capacity and on whistle quota", .min = 0, .max = 100});
}
void describe(sim::config::Visitor& v, ResourceSinking& s) {
  v.value("share", s.share,
          {.meaning = "P2: share of district departments' staff posted to streets",
           .min = 0,
           .max = 1});
}
void describe(sim::config::Visitor& v, HotlineGridIntegration& s) {
  v.value("enabled", s.enabled, {.meaning = "P3: one platform for 12345 and the grid system"});
  v.value(
      "dedupe_share", s.dedupe_share,
      {.meaning = "share of duplicate reports merged on the shared platform", .min = 0, .max = 1});
}
void describe(sim::config::Visitor& v, DepartmentIntegration& s) {
  v.value("merge_groups", s.merge_groups,
          {.meaning = "P4: groups of department names merged into one department"});
}
void describe(sim::config::Visitor& v, Whistle& s) {
  v.value("enabled", s.enabled, {.meaning = "P6: the street whistles, departments report"});
  v.value("quota_per_community_per_week", s.quota_per_community_per_week,
          {.meaning = "whistles a community may blow per week",
           .unit = "1/week",
           .min = 0,
           .max = 1000});
  v.value("attendance_limit_h", s.attendance_limit_h,
          {.meaning = "summoned departments start work within this time",
           .unit = "h",
           .min = 0,
           .max = 1e4});
  v.value(
      "rung_delay_h", s.rung_delay_h,
      {.meaning = "time per rung of the ladder grid -> community -> street -> departments",
       .unit = "h",
       .min = 0,
       .max = 1e4,
       .source = "Haizhu 'four calls, four answers' ladder (CALIBRATION.md 3.2); delay assumed"});
  v.value("triggers", s.triggers,
          {.meaning = "which issues may be whistled: cross_domain, escalated"});
}
void describe(sim::config::Visitor& v, ClosedLoop& s) {
  v.value("enabled", s.enabled, {.meaning = "P7: verification, supervision, accountability"});
  v.value("callback_share", s.callback_share,
          {.meaning = "share of closures verified by a call-back", .min = 0, .max = 1});
  v.value("supervision_staff_per_district", s.supervision_staff_per_district,
          {.meaning = "supervisors per district at population.scale 1", .min = 0, .max = 1e4});
  v.value("accountability_strength", s.accountability_strength,
          {.meaning = "cut in a department's false-closure chance at a caught share of 1 "
                      "(target = base x (1 - strength x caught share))",
           .min = 0,
           .max = 1});
  v.value("scoring_period_days", s.scoring_period_days,
          {.meaning = "how often departments are scored on call-back results",
           .unit = "d",
           .min = 1,
           .max = 3650});
  v.value("accountability_adjustment", s.accountability_adjustment,
          {.meaning = "share of the gap to its target a department closes per scoring period",
           .min = 0,
           .max = 1});
}
void describe(sim::config::Visitor& v, SocialParticipation& s) {
  v.value("enabled", s.enabled, {.meaning = "P8: volunteers and social organisations co-govern"});
  v.value("volunteer_share", s.volunteer_share,
          {.meaning = "share of willing residents mobilised as volunteers", .min = 0, .max = 1});
  v.value("volunteer_skill", s.volunteer_skill,
          {.meaning = "chance a volunteer settles a minor issue", .min = 0, .max = 1});
  v.value("issues_per_volunteer_per_week", s.issues_per_volunteer_per_week,
          {.meaning = "minor issues one volunteer can take per week", .min = 0, .max = 100});
  v.value(
      "ties_gain_per_year", s.ties_gain_per_year,
      {.meaning = "ties a resident gains per year from community activity", .min = 0, .max = 100});
}
void describe(sim::config::Visitor& v, SourceGovernance& s) {
  v.value("enabled", s.enabled, {.meaning = "P9: prevention at recurring hot spots"});
  v.value("prevention_share", s.prevention_share,
          {.meaning = "share of department staff moved from handling to prevention",
           .min = 0,
           .max = 0.9});
  v.value("max_incidence_reduction", s.max_incidence_reduction,
          {.meaning = "largest cut in incidence at a hot spot", .min = 0, .max = 1});
  v.value("half_effect_share", s.half_effect_share,
          {.meaning = "prevention share that gives half the largest cut", .min = 1e-6, .max = 1});
  v.value("hotspot_quantile", s.hotspot_quantile,
          {.meaning = "communities above this quantile of a domain's recent rate are hot spots",
           .min = 0,
           .max = 1});
}
void describe(sim::config::Visitor& v, Rollout& s) {
  v.value("enabled", s.enabled,
          {.meaning = "P10: policies start in some districts and diffuse to neighbours"});
  v.value("start_districts", s.start_districts,
          {.meaning = "districts (names or codes) where policies start"});
  v.value("diffusion_rate_per_day", s.diffusion_rate_per_day,
          {.meaning = "adoption speed: a district adopts 1/rate days after a neighbour",
           .unit = "1/d",
           .min = 1e-6,
           .max = 100});
}

void describe(sim::config::Visitor& v, Policies& s) {
  v.group("party_leadership", s.party_leadership, "P1");
  v.group("resource_sinking", s.resource_sinking, "P2");
  v.group("hotline_grid_integration", s.hotline_grid_integration, "P3");
  v.group("department_integration", s.department_integration, "P4");
  v.group("whistle", s.whistle, "P6");
  v.group("closed_loop", s.closed_loop, "P7");
  v.group("social_participation", s.social_participation, "P8");
  v.group("source_governance", s.source_governance, "P9");
  v.group("rollout", s.rollout, "P10");
}

}  // namespace gov
