#pragma once
// The mechanisms of MODEL.md §4, one .cpp file each; this header is their index.
#include <cstdint>
#include <vector>

#include "models/world.hpp"

namespace gov {

// incidence.cpp — §4.1: issues arise per community and domain (Poisson), with prevention (P9).
void generate_daily_issues(World& w, int day);
void draw_issue_traits(World& w, Issue& is);
void update_hotspots(World& w);

// detection.cpp — §4.2: residents report, grid workers patrol, issues stay latent or are dropped.
void on_arise(World& w, std::uint32_t issue, double t);
void run_patrols(World& w, int day);
void on_grid_file(World& w, std::uint32_t issue, double t);
void on_give_up(World& w, std::uint32_t issue, double t);

// hotline.cpp — §4.3: the 12345 centre as a queue of call-takers; consultations; duplicates (P3).
void on_report_call(World& w, std::uint32_t issue, double t);
void on_duplicate_call(World& w, std::uint32_t issue, double t);
void generate_consultations(World& w, std::size_t tick);
void advance_hotline(World& w, double until_h);
void file_duplicate_work_order(World& w, std::uint32_t issue, double t);

// routing.cpp — §4.4: after intake, settle, whistle or dispatch; misroutes and transfers (P4).
void intake_complete(World& w, std::uint32_t issue, double t);
void dispatch(World& w, std::uint32_t issue, std::uint8_t part, double t);
void on_misroute_reviewed(World& w, std::uint32_t issue, std::uint8_t part, double t);

// departments.cpp holds the queues; cross_domain.cpp — §4.5: sequential handoffs or whistle (P6).
bool try_whistle(World& w, std::uint32_t issue, double t);
// Schedules part `part` for dispatch at t unless it was already requested.
void request_part(World& w, std::uint32_t issue, std::uint8_t part, double t);
void on_part_done(World& w, std::uint32_t issue, std::uint8_t part, double t);
void whistle_on_escalation(World& w, std::uint32_t issue, double t);
void refresh_whistle_quota(World& w, int day);

// settlement.cpp — §4.6: mediation by Party organisations (P1) and volunteers (P8).
bool try_settle(World& w, std::uint32_t issue, double t);
void on_settlement_done(World& w, std::uint32_t issue, bool success, double t);
void refresh_community_capacity(World& w, int day);

// closure.cpp — §4.7: closure, false closures, call-backs, supervision, accountability (P7).
void close_issue(World& w, std::uint32_t issue, std::uint16_t department, double t);
void on_callback(World& w, std::uint32_t issue, double t);
void run_supervision(World& w, int day);

// escalation.cpp — §4.8: ageing, escalation and cascades over domains and neighbours (P5).
void on_escalate(World& w, std::uint32_t issue, double t);
double branching_ratio(const std::vector<std::vector<double>>& expected_offspring);
std::vector<std::vector<double>> expected_offspring(const World& w);

// resident_dynamics.cpp — §4.9: outcomes, word of mouth, security, mobility (P11).
void record_outcome(World& w, std::uint32_t issue, double outcome);
double report_probability(const World& w, const Issue& is);
// A resident's working trust: their own, blended half and half with what their community says.
inline double effective_trust(double own, double community_index) {
  return 0.5 * own + 0.5 * community_index;
}
void daily_resident_step(World& w, int day);

// rollout.cpp — §4.10: policies start in some districts and diffuse (P10).
std::vector<double> adoption_days(const City& city, const Rollout& rollout);

// outcomes.cpp — bookkeeping shared by the mechanisms: first response, true resolution, log.
void note_response(World& w, Issue& is, double t);
// Records a true resolution at t; returns whether it was within the domain's time limit.
bool note_resolution(World& w, Issue& is, double t);
void log_issue(World& w, const Issue& is);

}  // namespace gov
