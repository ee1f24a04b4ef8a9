#include "models/scenario/scenario_loader.hpp"

#include <algorithm>
#include <set>

#include "models/city/city_builder.hpp"
#include "models/domains.hpp"
#include "sim/config/csv.hpp"

namespace gov {
namespace {

using sim::InputError;
using sim::config::LocationMap;

[[noreturn]] void fail(const LocationMap& locs, const std::string& path, const std::string& msg) {
  throw InputError(locs.at_or_file(path), path, msg);
}

std::string indexed(const std::string& base, std::size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

void resolve_path(std::string& path, const LocationMap& locs, const std::string& key) {
  if (path.empty()) return;
  std::filesystem::path p(path);
  if (p.is_relative()) {
    const sim::SourceLoc loc = locs.at_or_file(key);
    p = std::filesystem::path(loc.file).parent_path() / p;
  }
  if (!std::filesystem::exists(p)) fail(locs, key, "data file not found: " + p.string());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec))
    fail(locs, key, "not a regular file (a device or pipe would never end): " + p.string());
  if (std::filesystem::file_size(p, ec) > sim::CsvTable::kMaxBytes)
    fail(locs, key, "data file larger than 256 MiB: " + p.string());
  path = p.lexically_normal().string();
}

void check_domains(const Scenario& s, const LocationMap& locs) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < s.domains.size(); ++i) {
    const auto& d = s.domains[i];
    const std::string path = indexed("domains", i);
    if (!domain_index(d.name)) {
      fail(locs, path + ".name",
           "unknown domain '" + d.name + "' (expected one of the eleven of MODEL.md 3)");
    }
    if (!seen.insert(d.name).second)
      fail(locs, path + ".name", "domain '" + d.name + "' listed twice");
    if (d.minor_share + d.serious_share > 1.0) {
      fail(locs, path + ".serious_share", "minor_share + serious_share must not exceed 1");
    }
  }
  if (seen.size() != kDomainCount) {
    std::string missing;
    for (auto n : kDomainNames) {
      if (!seen.count(std::string(n))) missing += (missing.empty() ? "" : ", ") + std::string(n);
    }
    fail(locs, "domains", "every domain needs settings; missing: " + missing);
  }
}

void check_departments(const Scenario& s, const LocationMap& locs) {
  std::set<std::string> names;
  std::vector<bool> owned(kDomainCount, false);
  for (std::size_t i = 0; i < s.departments.size(); ++i) {
    const auto& d = s.departments[i];
    const std::string path = indexed("departments", i);
    if (!names.insert(d.name).second)
      fail(locs, path + ".name", "department '" + d.name + "' listed twice");
    if (d.domains.empty())
      fail(locs, path + ".domains", "a department must own at least one domain");
    for (std::size_t k = 0; k < d.domains.size(); ++k) {
      const auto idx = domain_index(d.domains[k]);
      if (!idx) fail(locs, indexed(path + ".domains", k), "unknown domain '" + d.domains[k] + "'");
      owned[*idx] = true;
    }
    if (!d.ownership_weights.empty() && d.ownership_weights.size() != d.domains.size()) {
      fail(locs, path + ".ownership_weights",
           "expected one weight per domain (" + std::to_string(d.domains.size()) + "), got " +
               std::to_string(d.ownership_weights.size()));
    }
    const double staff = d.level == "city" ? d.staff : d.staff_per_100k;
    if (staff <= 0)
      fail(locs, path + (d.level == "city" ? ".staff" : ".staff_per_100k"),
           "a department needs staff > 0");
  }
  for (std::size_t k = 0; k < kDomainCount; ++k) {
    if (!owned[k])
      fail(locs, "departments", "no department owns domain '" + std::string(kDomainNames[k]) + "'");
  }
  const auto& groups = s.policies.department_integration.merge_groups;
  std::set<std::string> merged;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string path = indexed("policies.department_integration.merge_groups", g);
    if (groups[g].size() < 2) fail(locs, path, "a merge group needs at least two departments");
    std::string level;
    for (std::size_t k = 0; k < groups[g].size(); ++k) {
      const std::string& n = groups[g][k];
      const auto it = std::find_if(s.departments.begin(), s.departments.end(),
                                   [&](const DepartmentSettings& d) { return d.name == n; });
      if (it == s.departments.end()) fail(locs, indexed(path, k), "unknown department '" + n + "'");
      if (!merged.insert(n).second)
        fail(locs, indexed(path, k), "department '" + n + "' is in two merge groups");
      if (!level.empty() && it->level != level)
        fail(locs, indexed(path, k), "cannot merge city- and district-level departments");
      level = it->level;
    }
  }
}

void check_policies(const Scenario& s, const LocationMap& locs) {
  const auto& trig = s.policies.whistle.triggers;
  for (std::size_t i = 0; i < trig.size(); ++i) {
    if (trig[i] != "cross_domain" && trig[i] != "escalated") {
      fail(locs, indexed("policies.whistle.triggers", i),
           "unknown trigger '" + trig[i] + "' (expected cross_domain or escalated)");
    }
  }
  const auto& k = s.cascades.coupling;
  if (!k.empty()) {
    if (k.size() != kDomainCount)
      fail(locs, "cascades.coupling",
           "expected 11 rows (one per domain), got " + std::to_string(k.size()));
    for (std::size_t i = 0; i < k.size(); ++i) {
      if (k[i].size() != kDomainCount) {
        fail(locs, indexed("cascades.coupling", i),
             "expected 11 columns, got " + std::to_string(k[i].size()));
      }
    }
  }
  if (s.run.warmup_days >= s.run.days) fail(locs, "run.warmup_days", "must be less than run.days");
  if (s.policies.rollout.enabled) {
    if (s.policies.rollout.start_districts.empty()) {
      fail(locs, "policies.rollout.start_districts", "rollout needs at least one start district");
    }
    const auto names = district_names(s.city);
    for (std::size_t i = 0; i < s.policies.rollout.start_districts.size(); ++i) {
      const auto& d = s.policies.rollout.start_districts[i];
      if (std::find(names.begin(), names.end(), d) == names.end()) {
        fail(locs, indexed("policies.rollout.start_districts", i), "unknown district '" + d + "'");
      }
    }
  }
}

}  // namespace

Scenario load_scenario(const sim::config::Document& doc) {
  Scenario s;
  LocationMap locs;
  locs.set_file(doc.location().file);
  sim::config::read(doc, s, &locs);
  if (s.city.source == "guangzhou") {
    if (s.city.divisions_file.empty())
      fail(locs, "city.divisions_file", "required when city.source is guangzhou");
    if (s.city.districts_file.empty())
      fail(locs, "city.districts_file", "required when city.source is guangzhou");
  }
  resolve_path(s.city.divisions_file, locs, "city.divisions_file");
  resolve_path(s.city.districts_file, locs, "city.districts_file");
  check_domains(s, locs);
  check_departments(s, locs);
  check_policies(s, locs);
  return s;
}

Scenario load_scenario_file(const std::filesystem::path& file) {
  return load_scenario(sim::config::Document::load(file));
}

std::string resolved_yaml(const Scenario& s) {
  Scenario copy = s;
  return sim::config::to_yaml(copy);
}

}  // namespace gov

#include "sim/config/config_docs.hpp"
#include "sim/config/csv.hpp"

namespace gov {
std::string scenario_reference_markdown() {
  std::string out =
      "# Scenario reference\n\n"
      "Generated by `govsim inspect params` from the parameter declarations in\n"
      "`models/scenario/scenario.cpp` and `policy_switches.cpp`; a test fails when this page and "
      "the\n"
      "code disagree. Defaults are the code's; the shipped scenarios set most values explicitly, "
      "each\n"
      "with its source. Lists of records (`domains`, `departments`) show one item's keys. A "
      "scenario\n"
      "may start with `extends: other.yaml` (merged under it), and experiments apply policy "
      "overlays\n"
      "the same way (docs/experiments.md).\n\n";
  return out + sim::config::markdown(Scenario{}, "");
}
}  // namespace gov
