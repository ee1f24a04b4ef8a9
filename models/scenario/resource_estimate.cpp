#include "models/scenario/resource_estimate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

#include "models/city/city_builder.hpp"

namespace gov {
namespace {

constexpr double kSetupBytesPerResident = 10;
constexpr double kIssueBytesPerResidentDay = 0.04;
// The incidence of those measurements: Guangzhou's domains sum to 0.62 new issues per 1000
// residents a day, times its floating-resident multiplier 1.1. The issue store grows with the
// incidence, so a scenario with more is estimated proportionally more (never less).
constexpr double kMeasuredIncidencePer1000PerDay = 0.62 * 1.1;
constexpr double kResultsBytesPerRun = 100 * 1024;
constexpr double kResultsBytesPerDay = 1.5 * 1024;
constexpr double kResultsBytesPerLoggedIssue = 30;

// Guangzhou's residents at population scale 1, from its data files.
double guangzhou_residents(const CitySettings& city) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, double> counted;
  const std::lock_guard lock(mutex);
  const auto key = std::make_pair(city.divisions_file, city.districts_file);
  auto it = counted.find(key);
  if (it == counted.end())
    it = counted.emplace(key, static_cast<double>(build_city(city, 1.0, 0).residents())).first;
  return it->second;
}

}  // namespace

ResourceEstimate estimate_resources(const Scenario& s) {
  ResourceEstimate e;
  const double scale = s.population.scale;
  if (s.city.source == "synthetic") {
    const SyntheticCity& c = s.city.synthetic;
    e.residents = static_cast<double>(c.districts) * static_cast<double>(c.streets_per_district) *
                  static_cast<double>(c.communities_per_street) *
                  static_cast<double>(c.residents_per_community) * scale;
    e.drivers = fmt::format(
        "city.synthetic.districts {} x streets_per_district {} x communities_per_street {} x "
        "residents_per_community {} x population.scale {:g}",
        c.districts, c.streets_per_district, c.communities_per_street, c.residents_per_community,
        scale);
  } else {
    e.residents = guangzhou_residents(s.city) * scale;
    e.drivers = fmt::format("Guangzhou's residents x population.scale {:g}", scale);
  }
  double incidence = 0;
  for (const auto& d : s.domains) incidence += d.incidence_per_1000_per_day;
  const double multiplier =
      std::max({1.0, s.incidence.floating_multiplier, s.incidence.rural_multiplier});
  const double issue_factor =
      std::max(1.0, incidence * multiplier / kMeasuredIncidencePer1000PerDay);
  e.setup_bytes = e.residents * kSetupBytesPerResident;
  e.run_bytes = e.residents * (kSetupBytesPerResident + kIssueBytesPerResidentDay * issue_factor *
                                                            static_cast<double>(s.run.days));
  e.drivers += fmt::format(", run.days {}", s.run.days);
  const double log_share = s.run.issue_log == "full"      ? 1.0
                           : s.run.issue_log == "sampled" ? s.run.issue_log_sample
                                                          : 0.0;
  const double logged_issues =
      e.residents * incidence / 1000 * static_cast<double>(s.run.days) * log_share;
  e.results_bytes = kResultsBytesPerRun + kResultsBytesPerDay * static_cast<double>(s.run.days) +
                    kResultsBytesPerLoggedIssue * logged_issues;
  e.results_drivers = fmt::format("run.days {}, run.issue_log {}", s.run.days, s.run.issue_log);
  if (log_share > 0) e.results_drivers += fmt::format(" (about {:.3g} issues)", logged_issues);
  if (issue_factor > 1)
    e.drivers += fmt::format(
        ", domains[].incidence_per_1000_per_day summing to {:.3g} (x {:g} for floating or rural "
        "residents): {:.3g} times the measured Guangzhou rate",
        incidence, multiplier, issue_factor);
  return e;
}

}  // namespace gov
