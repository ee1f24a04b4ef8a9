// The report's chart primitives: axis ticks, XML escaping and what the charts draw.
#include <catch2/catch.hpp>

#include <cmath>

#include "analysis/svg.hpp"

namespace svg = analysis::svg;

TEST_CASE("axis ticks are 1, 2 or 5 times a power of ten apart and inside the range",
          "[unit][report]") {
  const auto same = [](const std::vector<double>& got, const std::vector<double>& want) {
    if (got.size() != want.size()) return false;
    for (std::size_t i = 0; i < got.size(); ++i)
      if (std::fabs(got[i] - want[i]) > 1e-12) return false;
    return true;
  };
  CHECK(same(svg::ticks(0, 1, 5), {0, 0.2, 0.4, 0.6, 0.8, 1.0}));
  CHECK(same(svg::ticks(3, 97, 5), {20, 40, 60, 80}));
  CHECK(same(svg::ticks(-0.0003, 0.0001, 4), {-0.0003, -0.0002, -0.0001, 0, 0.0001}));
  CHECK(svg::ticks(1, 1, 5).empty());
  CHECK(svg::ticks(0, NAN, 5).empty());
}

TEST_CASE("text is escaped for XML", "[unit][report]") {
  CHECK(svg::escape("<a & \"b\" 'c'>") == "&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;");
  CHECK(svg::escape("荔湾区") == "荔湾区");
}

TEST_CASE("charts draw one mark per row and grey regions without data", "[unit][report]") {
  const std::string forest = svg::forest_plot(
      "m", "h", {{"a", 1, 0.5, 1.5, true}, {"b", -1, NAN, NAN, false}, {"c<d", 0, -1, 1, false}});
  CHECK(forest.find("c&lt;d") != std::string::npos);
  std::size_t circles = 0;
  for (auto at = forest.find("<circle"); at != std::string::npos;
       at = forest.find("<circle", at + 1))
    ++circles;
  CHECK(circles == 3);
  const std::vector<std::vector<std::pair<double, double>>> square = {
      {{113, 23}, {113.1, 23}, {113.1, 23.1}, {113, 23.1}}};
  const std::string map = svg::choropleth(
      "v", "1", {{"A", "", square, 1.0}, {"B", "", square, 2.0}, {"C", "", square, NAN}});
  CHECK(map.find("fill=\"#cccccc\"") != std::string::npos);  // C: no data
  CHECK(map.find("fill=\"#deebf7\"") != std::string::npos);  // A: the lowest, lightest
  CHECK(map.find("fill=\"#084594\"") != std::string::npos);  // B: the highest, darkest
}
