#pragma once
// The HTML report's charts as inline SVG: self-contained markup (no scripts, fonts or files to
// fetch), in the four shapes the report needs. Each function returns one <svg> element.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace analysis::svg {

// Text made safe for XML content and attribute values.
std::string escape(std::string_view text);
// Axis ticks covering [lo, hi], 1, 2 or 5 times a power of ten apart, about `target` of them.
std::vector<double> ticks(double lo, double hi, int target = 5);

// A paired difference and its interval, one row of a forest plot.
struct ForestRow {
  std::string label;
  double estimate = 0, lower = 0, upper = 0;  // lower/upper NaN: no interval
  bool flagged = false;                       // drawn solid: the interval excludes zero
};
std::string forest_plot(const std::string& title, const std::string& unit,
                        const std::vector<ForestRow>& rows);

// One policy's daily series: the mean and a band around it.
struct BandSeries {
  std::string label;
  std::string colour;
  std::vector<double> mean, lower, upper;
};
// `y_range` fixes the vertical axis (so that small multiples share it); NaN: from the data.
std::string line_chart(const std::string& title, const std::string& unit,
                       const std::vector<double>& days, const std::vector<BandSeries>& series,
                       std::pair<double, double> y_range, double width, double height);

// One parameter's Sobol' indices with their 95 % half-widths (NaN: none).
struct SobolBar {
  std::string parameter;
  double first_order = 0, first_order_ci = 0, total = 0, total_ci = 0;
};
std::string sobol_bars(const std::string& title, const std::vector<SobolBar>& bars);

// A region (district) in longitude/latitude, shaded by its value (NaN: no data, hatched grey).
struct Region {
  std::string name;  // drawn on the map
  std::string tooltip;
  std::vector<std::vector<std::pair<double, double>>> rings;
  double value = 0;
};
std::string choropleth(const std::string& title, const std::string& unit,
                       const std::vector<Region>& regions);

}  // namespace analysis::svg
