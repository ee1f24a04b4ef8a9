#pragma once
// The mechanisms of MODEL.md §4, one .cpp file each; this header is their index. Every function
// takes the world and the pool index of the issue it acts on; states change only through
// lifecycle.cpp.
#include <cstdint>
#include <vector>

#include "models/world.hpp"

namespace gov {

// lifecycle.cpp — the issue lifecycle (lifecycle.hpp): the one place where states change, the open
// stock and the per-demand fate ledger are kept, and resolutions and responses are timed.
void arise(World& w, std::uint32_t issue, double t);
void move(World& w, std::uint32_t issue, IssueState to, double t);
void move_part(Issue& is, std::uint8_t part, PartState to);
// The first time anyone takes the issue up (department, community or grid worker).
void note_response(World& w, Issue& is, double t);
void log_issue(World& w, const Issue& is);

// incidence.cpp — §4.1: issues arise per community and domain (Poisson), with prevention (P9).
void generate_daily_issues(World& w, int day);
void draw_issue_traits(const World& w, Issue& is);
void update_hotspots(World& w);
// P9's dose-response: the share of incidence prevented at a hot spot for a prevention share.
double prevented_share(const SourceGovernance& sg);

// detection.cpp — §4.2: residents report, grid workers patrol (and, on the integrated platform,
// fix minor issues on the spot), issues stay latent or are dropped.
void on_arise(World& w, std::uint32_t issue, double t);
void run_patrols(World& w, int day);
void on_grid_file(World& w, std::uint32_t issue, double t);
void on_grid_fixed_on_spot(World& w, std::uint32_t issue, double t);
void on_give_up(World& w, std::uint32_t issue, double t);

// hotline.cpp — §4.3: the 12345 centre as a queue of call-takers; consultations; duplicates (P3).
void on_report_call(World& w, std::uint32_t issue, double t);
void on_duplicate_call(World& w, std::uint32_t issue, double t);
void on_rekey_done(World& w, std::uint32_t issue, double t);
// The day's consultations are drawn at its start, each tick's from its own stream, in parallel;
// each tick hands its own in to the call-takers.
void draw_consultations(World& w, int day);
void hand_in_consultations(World& w, std::size_t tick);
// The call-takers' queue runs to the end of the tick; then its intake completions are handled.
void advance_call_takers(World& w, double until_h);
void handle_intake_completions(World& w);
void file_duplicate_work_order(World& w, std::uint32_t issue, double t);

// routing.cpp — §4.4: after intake, settle, whistle or dispatch; misroutes and transfers (P4).
void intake_complete(World& w, std::uint32_t issue, double t);
// Into the departments' hands: whistled (all parts summoned) or the first part dispatched now.
void start_handling(World& w, std::uint32_t issue, double t);
void dispatch(World& w, std::uint32_t issue, std::uint8_t part, double t);
void on_misroute_reviewed(World& w, std::uint32_t issue, std::uint8_t part, double t);
// The department truly responsible for a part (drawn once per issue and part).
std::uint16_t responsible_department(const World& w, const Issue& is, std::uint8_t part);
// Moves a queued part's job ahead in the queue that holds it; a part in service needs no raise.
// Throws when a queued job is not where the part says it is.
void expedite(World& w, std::uint32_t issue, std::uint8_t part, std::int32_t priority_shift);

// departments.cpp holds the queues; cross_domain.cpp — §4.5: sequential handoffs or whistle (P6).
bool try_whistle(World& w, std::uint32_t issue, double t);
// Schedules part `part` for dispatch at t unless it was already requested.
void request_part(World& w, std::uint32_t issue, std::uint8_t part, double t);
void on_part_started(World& w, std::uint32_t issue, std::uint8_t part, JobKind kind, double t);
void on_part_done(World& w, std::uint32_t issue, std::uint8_t part, double t);
void whistle_on_escalation(World& w, std::uint32_t issue, double t);
void refresh_whistle_quota(World& w, int day);

// settlement.cpp — §4.6: mediation by Party organisations (P1) and volunteers (P8).
bool try_settle(World& w, std::uint32_t issue, double t);
void on_settlement_done(World& w, std::uint32_t issue, bool success, double t);
void refresh_community_capacity(World& w, int day);

// closure.cpp — §4.7: closure (true, false, unmeetable), call-backs, supervision.
void close_issue(World& w, std::uint32_t issue, Closer by, std::uint16_t department, double t);
void on_callback(World& w, std::uint32_t issue, double t);
void run_supervision(World& w, int day);

// accountability.cpp — §4.7: periodic scoring of departments from call-back results (P7).
void score_departments(World& w, int day);

// escalation.cpp — §4.8: ageing, escalation and cascades over domains and neighbours (P5).
void on_escalate(World& w, std::uint32_t issue, double t);
double branching_ratio(const std::vector<std::vector<double>>& expected_offspring);
std::vector<std::vector<double>> expected_offspring(const World& w);

// resident_dynamics.cpp — §4.9: residents judge their own cases; outcomes, word of mouth,
// security, mobility (P11).
void judge_case(World& w, Issue& is, double t);
void withdraw_judgement(World& w, Issue& is);
double report_probability(const World& w, const Issue& is);
// A resident's working trust: their own, blended half and half with what their community says.
inline double effective_trust(double own, double community_index) {
  return 0.5 * own + 0.5 * community_index;
}
void daily_resident_step(World& w, int day);

// rollout.cpp — §4.10: policies start in some districts and diffuse (P10).
std::vector<double> adoption_days(const City& city, const Rollout& rollout);

}  // namespace gov
