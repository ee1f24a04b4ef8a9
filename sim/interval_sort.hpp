#pragma once
// Sorting items whose times all lie in one known interval (a tick's events, a tick's calls) in
// about linear time: a counting pass spreads them over equal sub-intervals, then each
// sub-interval is sorted on its own. A time's sub-interval is computed with correctly rounded,
// monotone operations, so an earlier time never lands in a later sub-interval and the result
// is exactly the one a full sort by the same order gives.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace sim {

template <class T, class TimeOf, class Less = std::less<T>>
void sort_in_interval(std::vector<T>& items, double t0_h, double width_h, TimeOf time_of,
                      std::vector<T>& scratch, Less less = {}) {
  // Small inputs are sorted whole, and sub-intervals hold about four items: choices, not tuned
  // (the phase clock measured the whole: the event sort and the consultation draws at under half
  // their former time, docs/performance.md).
  constexpr std::size_t kMinItems = 256;
  constexpr std::size_t kItemsPerSubinterval = 4;
  const std::size_t n = items.size();
  if (n < kMinItems || !(width_h > 0)) {
    std::sort(items.begin(), items.end(), less);
    return;
  }
  const std::size_t parts = n / kItemsPerSubinterval;
  const double per_h = static_cast<double>(parts) / width_h;
  const auto part_of = [&](const T& item) {
    const double x = (time_of(item) - t0_h) * per_h;
    // Clamped, so a time outside the interval (or rounded onto its end) still has a place.
    return !(x > 0) ? std::size_t{0}
                    : std::min(parts - 1, static_cast<std::size_t>(std::min(x, 1e18)));
  };
  std::vector<std::uint32_t> start(parts + 1, 0);
  for (const T& item : items) ++start[part_of(item) + 1];
  for (std::size_t p = 0; p < parts; ++p) start[p + 1] += start[p];
  scratch.resize(n);
  {
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (const T& item : items) scratch[next[part_of(item)]++] = item;
  }
  items.swap(scratch);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, parts, 512),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t p = r.begin(); p != r.end(); ++p) {
                        std::sort(items.begin() + start[p], items.begin() + start[p + 1], less);
                      }
                    });
}

}  // namespace sim
