// Sorting within a known time interval must give exactly what a full sort gives, whatever the
// spread of times: ties, clusters, times on or past the interval's ends.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "sim/interval_sort.hpp"
#include "sim/random.hpp"

namespace {

struct Item {
  double time_h;
  std::uint64_t key;
  bool operator<(const Item& o) const { return std::tie(time_h, key) < std::tie(o.time_h, o.key); }
  bool operator==(const Item& o) const { return time_h == o.time_h && key == o.key; }
};

std::vector<Item> draw(std::size_t n, double t0, double width, std::uint64_t seed) {
  sim::RandomStream rng(seed, 1, n, 0);
  std::vector<Item> items;
  items.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    double t = t0 + width * rng.uniform();
    const auto shape = rng.below(10);
    if (shape == 0) t = t0;                                // on the start
    if (shape == 1) t = t0 + width;                        // on the end
    if (shape == 2) t = t0 + 0.5 * width;                  // a cluster of ties
    if (shape == 3) t = t0 + width * (1 + rng.uniform());  // past the end
    if (shape == 4) t = t0 - width * rng.uniform();        // before the start
    items.push_back({t, rng.below(50)});
  }
  return items;
}

}  // namespace

TEST_CASE("sorting within an interval gives the full sort's order", "[unit][interval_sort]") {
  std::vector<Item> scratch;
  for (const std::size_t n : {0UL, 1UL, 7UL, 255UL, 256UL, 1000UL, 20000UL}) {
    for (const double t0 : {0.0, 37.0, 8759.0}) {
      auto items = draw(n, t0, 1.0, 3);
      auto reference = items;
      std::sort(reference.begin(), reference.end());
      sim::sort_in_interval(
          items, t0, 1.0, [](const Item& i) { return i.time_h; }, scratch);
      CHECK(items == reference);
    }
  }
}

TEST_CASE("sorting within an interval honours the caller's order", "[unit][interval_sort]") {
  // Descending keys within equal times: the comparator, not operator<, decides.
  auto items = draw(5000, 10.0, 2.0, 4);
  const auto by_time_then_key_down = [](const Item& a, const Item& b) {
    return a.time_h != b.time_h ? a.time_h < b.time_h : a.key > b.key;
  };
  auto reference = items;
  std::sort(reference.begin(), reference.end(), by_time_then_key_down);
  std::vector<Item> scratch;
  sim::sort_in_interval(
      items, 10.0, 2.0, [](const Item& i) { return i.time_h; }, scratch, by_time_then_key_down);
  CHECK(items == reference);
}
