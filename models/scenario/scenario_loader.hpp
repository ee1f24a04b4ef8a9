#pragma once
// From YAML to a frozen Scenario: schema read (sim/config/config), cross-field checks that need the
// model's knowledge (domain names, department references, district names), and data paths made
// absolute relative to the file that named them.
#include <filesystem>

#include "models/scenario/scenario.hpp"
#include "sim/config/config_yaml.hpp"

namespace gov {

// Throws sim::InputError at the offending line for any problem.
Scenario load_scenario(const sim::config::Document& doc);
Scenario load_scenario_file(const std::filesystem::path& file);

// The scenario as YAML, every value resolved (stored with results).
std::string resolved_yaml(const Scenario& s);

}  // namespace gov

namespace gov {
// docs/scenarios.md: every key with type, unit, range, default, meaning and source, generated
// from the declarations (a test keeps the checked-in page equal to this).
std::string scenario_reference_markdown();
}  // namespace gov
