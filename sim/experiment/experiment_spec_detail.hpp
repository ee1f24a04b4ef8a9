#pragma once
// Internal to sim/experiment: what experiment_spec.cpp (the file's scalars and policies),
// sweep_spec.cpp (its `sweep:`) and sweep_design.cpp (the design's points and seeds) share.
// Other code uses experiment_spec.hpp.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "sim/config/config_node.hpp"
#include "sim/experiment/experiment_spec.hpp"

namespace sim::experiment_detail {

inline constexpr std::int64_t kMaxReplicates = 1'000'000;
inline constexpr std::int64_t kMaxDays = 1'000'000;
inline constexpr std::int64_t kMaxSamples = 1'000'000;
inline constexpr std::size_t kMaxRuns = 1'000'000;

// A file named in the experiment, relative to it; an error at the naming node when absent.
std::filesystem::path named_file(const ExperimentSpec& spec, const config::Document& node,
                                 const std::string& path);
// The experiment's `sweep:` (sweep_spec.cpp).
void read_sweep(ExperimentSpec& spec, const config::Document& experiment);
// Points of the spec's design (its runs per policy and replicate); saturates above kMaxRuns.
std::size_t sample_count(const ExperimentSpec& spec);

}  // namespace sim::experiment_detail
