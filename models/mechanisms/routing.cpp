// MODEL.md §4.4 Dispatch and routing: the responsibility map, misroutes and transfers
// ("buck-passing"); P4 department integration acts here by leaving one owner per domain.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/mechanisms/mechanisms.hpp"

namespace gov {
namespace {

std::int32_t base_priority(const Issue& is) {
  const std::int32_t sev =
      is.severity == Severity::Serious ? 0 : (is.severity == Severity::Normal ? 1 : 2);
  return sev - (is.supervised ? 3 : 0) - (is.whistled ? 6 : 0);
}

}  // namespace

std::uint16_t responsible_department(const World& w, const Issue& is, std::uint8_t part) {
  const auto& owners = w.responsibility.owners(is.part_domain[part]);
  double total = 0;
  for (const auto& o : owners) total += o.weight;
  auto rng = w.rng(Purpose::ResponsibleOwner, is.key, part);
  double u = rng.uniform() * total;
  for (const auto& o : owners) {
    if ((u -= o.weight) <= 0) return o.department;
  }
  return owners.back().department;
}

void intake_complete(World& w, std::uint32_t idx, double t) {
  if (!try_settle(w, idx, t)) start_handling(w, idx, t);
}

void start_handling(World& w, std::uint32_t idx, double t) {
  move(w, idx, IssueState::InHandling, t);
  if (try_whistle(w, idx, t)) return;
  move_part(w.issues[idx], 0, PartState::Requested);
  dispatch(w, idx, 0, t);
}

void dispatch(World& w, std::uint32_t idx, std::uint8_t part, double t) {
  Issue& is = w.issues[idx];
  if (is.state != IssueState::InHandling) {
    throw std::logic_error("issue " + std::to_string(is.key) + " dispatched while not in handling");
  }
  const bool first_push = is.attempts == 0;
  if (first_push) w.tally(is.community).add(Count::Dispatched);
  w.tally(is.community).add(Count::Pushes);
  if (is.attempts < 255) ++is.attempts;
  const std::uint8_t truth = is.part_domain[part];
  // The first part goes by the domain the call-taker filed; transfers correct it. Summoned
  // (whistled) departments meet on site, so the responsible one takes the part.
  const std::uint8_t routed = (part == 0 && !is.whistled) ? is.filed_domain : truth;
  const auto& owners = w.responsibility.owners(routed);
  const Community& com = w.city.communities[is.community];
  const std::uint16_t responsible = responsible_department(w, is, part);
  std::uint16_t chosen = responsible;
  bool right = true;
  if (!is.whistled) {
    auto rng = w.rng(Purpose::Routing, is.key, 16u * part + (is.attempts & 15u));
    double total = 0;
    for (std::size_t k = 0; k < owners.size(); ++k) {
      if (!(is.tried_departments >> k & 1u)) total += owners[k].weight;
    }
    double u = rng.uniform() * total;
    for (std::size_t k = 0; k < owners.size(); ++k) {
      if (is.tried_departments >> k & 1u) continue;
      chosen = owners[k].department;
      if ((u -= owners[k].weight) <= 0) break;
    }
    right = routed == truth && chosen == responsible;
  }
  is.part_department[part] = chosen;
  const auto unit = w.departments.unit_for(chosen, com);
  const Department& dep = w.department_list[chosen];
  sim::Job job;
  job.arrival_h = t;
  job.priority = base_priority(is);
  if (is.whistled) job.latest_start_h = t + w.scenario.policies.whistle.attendance_limit_h;
  if (right) {
    const DomainSettings& ds = w.domain(truth);
    auto srng = w.rng(Purpose::Service, is.key, 16u * part + (is.reopened & 15u));
    job.id = job_id(JobKind::Work, idx, part);
    job.service_h = srng.lognormal_mean_cv(ds.service_mean_h, ds.service_cv) +
                    w.departments.units()[unit].travel_h;
  } else {
    job.id = job_id(JobKind::MisrouteReview, idx, part);
    job.service_h = dep.misroute_review_h;
    w.tally(is.community).add(Count::Misroutes);
    if (first_push) w.tally(is.community).add(Count::FirstPushMisroutes);
  }
  move_part(is, part, PartState::Queued);
  is.part_unit[part] = unit;
  w.enqueue(unit, job);
}

void on_misroute_reviewed(World& w, std::uint32_t idx, std::uint8_t part, double t) {
  Issue& is = w.issues[idx];
  const std::uint8_t routed = part == 0 ? is.filed_domain : is.part_domain[part];
  const auto& owners = w.responsibility.owners(routed);
  for (std::size_t k = 0; k < owners.size(); ++k) {
    if (owners[k].department == is.part_department[part])
      is.tried_departments = static_cast<std::uint16_t>(is.tried_departments | (1u << k));
  }
  if (routed != is.part_domain[part]) {
    // Wrong domain: the department sends it back and it is classified again.
    is.filed_domain = is.part_domain[part];
    is.tried_departments = 0;
  }
  if (is.transfers < 255) ++is.transfers;
  w.tally(is.community).add(Count::Transfers);
  move_part(is, part, PartState::Requested);
  w.schedule(idx, EventKind::Dispatch, t + w.scenario.routing.transfer_delay_h, part);
}

void expedite(World& w, std::uint32_t idx, std::uint8_t part, std::int32_t priority) {
  const Issue& is = w.issues[idx];
  if (is.part_state[part] != PartState::Queued) return;  // in service, or not yet dispatched
  auto& queue = w.departments.units()[is.part_unit[part]].queue;
  if (!queue.raise_priority(job_id(JobKind::Work, idx, part), priority) &&
      !queue.raise_priority(job_id(JobKind::MisrouteReview, idx, part), priority)) {
    throw std::logic_error("issue " + std::to_string(is.key) + " part " + std::to_string(part) +
                           " is queued but not in the unit it was sent to");
  }
  w.tally(is.community).add(Count::Expedited);
}

}  // namespace gov
