// libFuzzer target: any bytes as a scenario, experiment or calibration file. Each must either load
// or be refused with a located InputError; a loaded scenario must survive its own resolved YAML
// unchanged (what is stored with results must read back as the same scenario), and its resource
// estimate must be finite. Anything else (a crash, a sanitizer report, another exception, a hang)
// is a finding. The input is written next to copies of the shipped scenarios, so `extends:` and
// data-file keys in seeds resolve as they do for a user.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "models/scenario/resource_estimate.hpp"
#include "models/scenario/scenario_loader.hpp"
#include "sim/config/config_yaml.hpp"
#include "sim/errors.hpp"
#include "sim/experiment/calibration_spec.hpp"
#include "sim/experiment/experiment_spec.hpp"

namespace fs = std::filesystem;

namespace {

fs::path input_file;

void check_scenario(const fs::path& file) {
  gov::Scenario s;
  try {
    s = gov::load_scenario_file(file);
  } catch (const sim::InputError&) {
    return;
  }
  const std::string yaml = gov::resolved_yaml(s);
  const auto again = gov::load_scenario(sim::config::Document::parse(yaml, "resolved"));
  if (gov::resolved_yaml(again) != yaml) {
    std::fprintf(stderr, "resolved YAML does not read back as itself:\n%s\n", yaml.c_str());
    std::abort();
  }
  const auto estimate = gov::estimate_resources(s);
  if (!std::isfinite(estimate.run_bytes) || estimate.run_bytes < 0) {
    std::fprintf(stderr, "resource estimate %g for:\n%s\n", estimate.run_bytes, yaml.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const fs::path work =
      fs::temp_directory_path() / ("govsim-fuzz-scenario." + std::to_string(getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  fs::copy(fs::path(GOVSIM_SOURCE_DIR) / "scenarios", work / "scenarios",
           fs::copy_options::recursive);
  input_file = work / "scenarios" / "fuzz-input.yaml";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(input_file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  check_scenario(input_file);
  try {
    (void)sim::load_experiment(input_file);
  } catch (const sim::InputError&) {
  }
  try {
    (void)sim::load_calibration(input_file);
  } catch (const sim::InputError&) {
  }
  return 0;
}
