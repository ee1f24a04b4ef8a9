#pragma once
// Everything a scenario file can set. Each field is declared once, with unit, range, default,
// meaning and source, in the describe() functions of scenario.cpp (the mechanisms' settings) and
// policy_switches.cpp (the strategies); the YAML reader, docs/scenarios.md and the resolved
// scenario stored with results all come from those declarations.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/config.hpp"

namespace gov {

struct RunSettings {
  std::int64_t days = 30;
  std::int64_t seed = 1;
  std::int64_t warmup_days = 0;
  std::string issue_log = "none";  // none | sampled | full
  double issue_log_sample = 0.01;
};

struct SyntheticCity {
  std::int64_t districts = 3;
  std::int64_t streets_per_district = 4;
  std::int64_t communities_per_street = 5;
  std::int64_t residents_per_community = 2000;
  double rural_share = 0.2;
};

struct CitySettings {
  std::string source = "synthetic";  // guangzhou | synthetic
  std::string divisions_file;
  std::string districts_file;
  SyntheticCity synthetic;
  double residents_per_grid_cell = 957.6;
  std::int64_t community_neighbours = 4;
  std::int64_t street_neighbours = 3;
  double community_size_cv = 0.35;
  double floating_share = 0.502;
  double rural_floating_share = 0.25;
};

struct PopulationSettings {
  double scale = 1.0;
  double initial_trust = 0.6;
  double initial_satisfaction = 0.646;
  double mean_ties = 6.0;
  double floating_mobility_per_day = 0.0008;
  double local_mobility_per_day = 0.0001;
  double new_resident_ties = 1.0;
  double volunteer_willingness = 0.08;
};

struct DomainSettings {
  std::string name;
  double incidence_per_1000_per_day = 0.05;
  double report_propensity = 0.5;
  double patrol_visibility = 0.1;
  double minor_share = 0.4;
  double serious_share = 0.1;
  double cross_domain_share = 0.1;
  double service_mean_h = 3.0;
  double service_cv = 0.8;
  double time_limit_h = 336.0;
  double escalation_limit_h = 240.0;
  double duplicate_mean = 0.2;
  double latent_giveup_mean_days = 10.0;
  double unmeetable_share = 0.1;
  bool settleable = false;
};

struct DepartmentSettings {
  std::string name;
  std::string level = "district";  // city | district
  std::vector<std::string> domains;
  std::vector<double> ownership_weights;  // per listed domain; empty = 1 each
  double staff_per_100k = 1.0;            // district level: per 100,000 residents of the district
  double staff = 10.0;                    // city level: on-duty servers
  double routine_share = 0.3;
  double false_closure_prob = 0.12;
  double misroute_review_h = 1.0;
};

struct HotlineSettings {
  double call_takers = 260;
  double intake_min = 6.0;
  double consultation_min = 4.0;
  double consultations_per_issue_report = 5.67;
  double classification_error = 0.08;
  double dedupe_share = 0.6;
  double report_delay_mean_h = 12.0;
  double response_limit_h = 24.0;
};

struct GridSettings {
  double workers_per_cell = 1.0;
  double finds_per_worker_per_day = 3.0;
  double rekey_delay_h = 24.0;
  double on_the_spot_skill = 0.5;
  double on_the_spot_h = 0.5;
  double on_the_spot_false_closure_prob = 0.12;
  double patrol_hours_per_worker_per_day = 8.0;
};

struct RoutingSettings {
  double transfer_delay_h = 24.0;
  double handoff_delay_h = 48.0;
  double stall_probability = 0.25;
  double stall_delay_h = 120.0;
  double travel_city_h = 2.0;
  double travel_district_h = 1.0;
  double travel_street_h = 0.3;
};

struct CommunitySettings {
  double mediation_capacity_per_day = 0.5;
  double mediation_success = 0.5;
  double settle_mean_h = 24.0;
  double party_members_per_1000 = 20.0;
  double mediation_hours_per_issue = 2.0;
};

struct CascadeSettings {
  std::vector<std::vector<double>> coupling;  // domains x domains; empty = default_coupling
  double default_self_coupling = 0.25;
  double default_cross_coupling = 0.02;
  double neighbour_spill_share = 0.3;
  double follow_on_delay_h = 1.0;
};

struct ResidentDynamicsSettings {
  double satisfaction_learning_rate = 0.3;
  double trust_learning_rate = 0.1;
  double word_of_mouth_rate_per_day = 0.02;
  double security_sensitivity = 0.5;
  double atomisation = 0.5;
  double judgement_solved_in_time = 0.95;
  double judgement_solved_late = 0.6;
  double judgement_unmeetable = 0.3;
  double judgement_unsolved = 0.05;
  double judgement_penalty_per_transfer = 0.1;
  double judgement_penalty_per_reopening = 0.15;
};

struct ClosureSettings {
  double callback_delay_h = 24.0;
  double supervision_flags_per_staff_per_day = 20.0;
};

// The article's strategies (MODEL.md §1, P1-P10). Each acts through a mechanism, never on outcomes.
struct PartyLeadership {
  bool enabled = false;
  double capacity_multiplier = 2.0;
};
struct ResourceSinking {
  double share = 0.0;
};
struct HotlineGridIntegration {
  bool enabled = false;
  double dedupe_share = 0.95;
};
struct DepartmentIntegration {
  std::vector<std::vector<std::string>> merge_groups;
};
struct Whistle {
  bool enabled = false;
  double quota_per_community_per_week = 2.0;
  double attendance_limit_h = 24.0;
  double rung_delay_h = 4.0;
  std::vector<std::string> triggers = {"cross_domain", "escalated"};
};
struct ClosedLoop {
  bool enabled = false;
  double callback_share = 0.8;
  double supervision_staff_per_district = 5.0;
  double accountability_strength = 0.5;
  std::int64_t scoring_period_days = 30;
  double accountability_adjustment = 0.5;
};
struct SocialParticipation {
  bool enabled = false;
  double volunteer_share = 0.02;
  double volunteer_skill = 0.6;
  double issues_per_volunteer_per_week = 0.5;
  double ties_gain_per_year = 2.0;
};
struct SourceGovernance {
  bool enabled = false;
  double prevention_share = 0.1;
  double max_incidence_reduction = 0.5;
  double half_effect_share = 0.1;
  double hotspot_quantile = 0.9;
};
struct Rollout {
  bool enabled = false;
  std::vector<std::string> start_districts;
  double diffusion_rate_per_day = 0.05;
};

struct Policies {
  PartyLeadership party_leadership;
  ResourceSinking resource_sinking;
  HotlineGridIntegration hotline_grid_integration;
  DepartmentIntegration department_integration;
  Whistle whistle;
  ClosedLoop closed_loop;
  SocialParticipation social_participation;
  SourceGovernance source_governance;
  Rollout rollout;
};

struct IncidenceSettings {
  std::int64_t active_days = 0;  // 0 = every day of the run
  double rural_multiplier = 0.8;
  double floating_multiplier = 1.1;
  double density_elasticity = 0.1;
  double unresolved_nearby_elasticity = 0.05;
  double unresolved_nearby_max_multiplier = 3;
};

struct Scenario {
  std::string name = "unnamed";
  RunSettings run;
  CitySettings city;
  PopulationSettings population;
  IncidenceSettings incidence;
  std::vector<DomainSettings> domains;
  std::vector<DepartmentSettings> departments;
  HotlineSettings hotline;
  GridSettings grid;
  RoutingSettings routing;
  CommunitySettings community;
  CascadeSettings cascades;
  ResidentDynamicsSettings residents;
  ClosureSettings closure;
  Policies policies;
};

// The switch names under `policies:`; a test checks each has a mechanism test.
const std::vector<std::string>& policy_switch_names();

void describe(sim::config::Visitor& v, RunSettings& s);
void describe(sim::config::Visitor& v, SyntheticCity& s);
void describe(sim::config::Visitor& v, CitySettings& s);
void describe(sim::config::Visitor& v, PopulationSettings& s);
void describe(sim::config::Visitor& v, IncidenceSettings& s);
void describe(sim::config::Visitor& v, DomainSettings& s);
void describe(sim::config::Visitor& v, DepartmentSettings& s);
void describe(sim::config::Visitor& v, HotlineSettings& s);
void describe(sim::config::Visitor& v, GridSettings& s);
void describe(sim::config::Visitor& v, RoutingSettings& s);
void describe(sim::config::Visitor& v, CommunitySettings& s);
void describe(sim::config::Visitor& v, CascadeSettings& s);
void describe(sim::config::Visitor& v, ResidentDynamicsSettings& s);
void describe(sim::config::Visitor& v, ClosureSettings& s);
void describe(sim::config::Visitor& v, PartyLeadership& s);
void describe(sim::config::Visitor& v, ResourceSinking& s);
void describe(sim::config::Visitor& v, HotlineGridIntegration& s);
void describe(sim::config::Visitor& v, DepartmentIntegration& s);
void describe(sim::config::Visitor& v, Whistle& s);
void describe(sim::config::Visitor& v, ClosedLoop& s);
void describe(sim::config::Visitor& v, SocialParticipation& s);
void describe(sim::config::Visitor& v, SourceGovernance& s);
void describe(sim::config::Visitor& v, Rollout& s);
void describe(sim::config::Visitor& v, Policies& s);
void describe(sim::config::Visitor& v, Scenario& s);

}  // namespace gov
