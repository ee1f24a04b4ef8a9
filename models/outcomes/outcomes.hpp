#pragma once
// Daily outcome counters of MODEL.md §5 and the series written for every run.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/results/record.hpp"

namespace gov {

enum class Count : std::uint8_t {
  Arising,
  Reported,
  Discovered,
  SettledInCommunity,
  ClosedOnSpot,
  Dispatched,
  Closed,
  Resolved,
  FalselyClosed,
  ClosedUnmeetable,
  Reopened,
  Escalated,
  SpawnedByCascade,
  Dropped,
  DuplicateReports,
  DuplicateWorkOrders,
  Transfers,
  Misroutes,
  FirstPushMisroutes,
  Pushes,
  Handoffs,
  Whistles,
  Responses,
  RespondedWithinLimit,
  ResolvedWithinLimit,
  Judged,
  Satisfied,
  Callbacks,
  FalseClosuresCaught,
  SupervisionFlags,
  Expedited,
  kSize
};
inline constexpr std::size_t kCountSize = static_cast<std::size_t>(Count::kSize);

struct CountInfo {
  std::string_view name;
  std::string_view description;
};
const std::array<CountInfo, kCountSize>& count_info();

using Counters = std::array<double, kCountSize>;

// One district's day: counters plus sums for means.
struct DistrictDay {
  Counters n{};
  double response_h_sum = 0;
  double resolution_h_sum = 0;
  void add(Count c, double v = 1.0) { n[static_cast<std::size_t>(c)] += v; }
  double get(Count c) const { return n[static_cast<std::size_t>(c)]; }
};

// Quantiles of a sample (sorted in place); NaN when empty.
double quantile(std::vector<double>& sample, double q);

}  // namespace gov
