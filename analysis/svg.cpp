#include "analysis/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace analysis::svg {
namespace {

constexpr const char* kFont = R"(font-family="sans-serif" font-size="12")";

// A linear map from data [d0, d1] to pixels [p0, p1].
struct Scale {
  double d0, d1, p0, p1;
  double operator()(double v) const {
    return d1 == d0 ? (p0 + p1) / 2 : p0 + (v - d0) / (d1 - d0) * (p1 - p0);
  }
};

std::string label(double v) {
  if (v == 0) return "0";
  const double a = std::fabs(v);
  if (a >= 1e5 || a < 1e-3) return fmt::format("{:.2g}", v);
  return fmt::format("{:.4g}", v);
}

std::string open_svg(double width, double height, const std::string& title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" {2}><title>{3}</title>"
      "<text x=\"8\" y=\"18\" font-weight=\"bold\">{3}</text>",
      width, height, kFont, escape(title));
}

// Finite range of several vectors, padded when empty or flat.
std::pair<double, double> range_of(std::initializer_list<const std::vector<double>*> vs) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto* v : vs) {
    for (double x : *v) {
      if (!std::isfinite(x)) continue;
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  }
  if (!std::isfinite(lo)) return {0, 1};
  if (lo == hi) return {lo - 1, hi + 1};
  return {lo, hi};
}

std::string x_axis(const Scale& x, double y, double lo, double hi, const std::string& unit) {
  std::string s;
  for (double t : ticks(lo, hi)) {
    s += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#999\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
        x(t), y, y + 4, y + 16, label(t));
  }
  if (!unit.empty())
    s += fmt::format(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", (x.p0 + x.p1) / 2,
                     y + 32, escape(unit));
  return s;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<double> ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi <= lo || target < 1) return {};
  const double raw = (hi - lo) / target;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power * 10;
  for (double m : {1.0, 2.0, 5.0}) {
    if (raw <= m * power) {
      step = m * power;
      break;
    }
  }
  // Whole multiples of the step (no running sum to drift), with a tolerance at the ends.
  std::vector<double> out;
  const auto first = static_cast<long long>(std::ceil(lo / step - 1e-9));
  const auto last = static_cast<long long>(std::floor(hi / step + 1e-9));
  for (long long k = first; k <= last; ++k) out.push_back(static_cast<double>(k) * step);
  return out;
}

std::string forest_plot(const std::string& title, const std::string& unit,
                        const std::vector<ForestRow>& rows) {
  constexpr double kLeft = 250, kWidth = 700, kRow = 24, kTop = 32;
  const double height = kTop + kRow * static_cast<double>(rows.size()) + 44;
  std::vector<double> values = {0.0};
  for (const auto& r : rows) values.insert(values.end(), {r.estimate, r.lower, r.upper});
  auto [lo, hi] = range_of({&values});
  const double pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const Scale x{lo, hi, kLeft, kWidth - 20};
  std::string s = open_svg(kWidth, height, title);
  const double bottom = kTop + kRow * static_cast<double>(rows.size());
  s += fmt::format(
      "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#888\" "
      "stroke-dasharray=\"4 3\"/>",
      x(0), kTop - 6, bottom);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const double y = kTop + kRow * (static_cast<double>(i) + 0.5);
    s += fmt::format(R"(<text x="{}" y="{:.1f}" text-anchor="end">{}</text>)", kLeft - 10, y + 4,
                     escape(r.label));
    if (std::isfinite(r.lower) && std::isfinite(r.upper))
      s += fmt::format(
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" "
          "stroke=\"#0072B2\" stroke-width=\"2\"/>",
          x(r.lower), x(r.upper), y, y);
    if (std::isfinite(r.estimate))
      s += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" stroke=\"#0072B2\" "
          "stroke-width=\"2\" fill=\"{}\"/>",
          x(r.estimate), y, r.flagged ? "#0072B2" : "#ffffff");
  }
  s += x_axis(x, bottom, lo, hi, unit);
  return s + "</svg>";
}

std::string line_chart(const std::string& title, const std::string& unit,
                       const std::vector<double>& days, const std::vector<BandSeries>& series,
                       std::pair<double, double> y_range, double width, double height) {
  const double left = 52, right = width - 10, top = 44, bottom = height - 40;
  auto [lo, hi] = y_range;
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    std::vector<double> all;
    for (const auto& b : series) {
      all.insert(all.end(), b.lower.begin(), b.lower.end());
      all.insert(all.end(), b.upper.begin(), b.upper.end());
    }
    std::tie(lo, hi) = range_of({&all});
  }
  const auto [d0, d1] = range_of({&days});
  const Scale x{d0, d1, left, right}, y{lo, hi, bottom, top};
  std::string s = open_svg(width, height, title);
  for (double t : ticks(lo, hi, 4)) {
    s += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#eee\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>",
        left, right, y(t), y(t), left - 4, y(t) + 4, label(t));
  }
  s += x_axis(x, bottom, d0, d1,
              unit == "1" || unit.empty() ? "day" : "day (values in " + unit + ")");
  double legend_x = 8;
  for (const auto& b : series) {
    std::string band, line;
    for (std::size_t k = 0; k < days.size() && k < b.upper.size(); ++k)
      band += fmt::format("{}{:.1f},{:.1f}", band.empty() ? "" : " ", x(days[k]), y(b.upper[k]));
    for (std::size_t k = std::min(days.size(), b.lower.size()); k-- > 0;)
      band += fmt::format(" {:.1f},{:.1f}", x(days[k]), y(b.lower[k]));
    for (std::size_t k = 0; k < days.size() && k < b.mean.size(); ++k)
      line += fmt::format("{}{:.1f},{:.1f}", line.empty() ? "" : " ", x(days[k]), y(b.mean[k]));
    s += fmt::format(R"(<polygon points="{}" fill="{}" fill-opacity="0.2"/>)", band, b.colour);
    s += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="1.5"/>)", line,
                     b.colour);
    s += fmt::format(
        "<rect x=\"{:.1f}\" y=\"28\" width=\"12\" height=\"3\" fill=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"33\">{}</text>",
        legend_x, b.colour, legend_x + 16, escape(b.label));
    legend_x += 24 + 7 * static_cast<double>(b.label.size());
  }
  return s + "</svg>";
}

std::string sobol_bars(const std::string& title, const std::vector<SobolBar>& bars) {
  constexpr double kLeft = 250, kWidth = 700, kRow = 34, kTop = 40;
  const double bottom = kTop + kRow * static_cast<double>(bars.size());
  const Scale x{0, 1, kLeft, kWidth - 20};
  std::string s = open_svg(kWidth, bottom + 40, title);
  s += fmt::format(
      "<rect x=\"{}\" y=\"24\" width=\"10\" height=\"8\" fill=\"#E69F00\"/>"
      "<text x=\"{}\" y=\"32\">first order</text>"
      "<rect x=\"{}\" y=\"24\" width=\"10\" height=\"8\" fill=\"#0072B2\"/>"
      "<text x=\"{}\" y=\"32\">total</text>",
      kLeft, kLeft + 14, kLeft + 100, kLeft + 114);
  const auto bar = [&](double v, double ci, double y, const char* colour) {
    std::string b;
    if (!std::isfinite(v)) return b;
    const double clipped = std::clamp(v, 0.0, 1.0);
    b += fmt::format(R"(<rect x="{}" y="{:.1f}" width="{:.1f}" height="11" fill="{}"/>)", kLeft, y,
                     x(clipped) - kLeft, colour);
    if (std::isfinite(ci))
      b += fmt::format(
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" "
          "stroke=\"#333\"/>",
          x(std::clamp(v - ci, 0.0, 1.0)), x(std::clamp(v + ci, 0.0, 1.0)), y + 5.5, y + 5.5);
    return b;
  };
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = kTop + kRow * static_cast<double>(i);
    s += fmt::format(R"(<text x="{}" y="{:.1f}" text-anchor="end">{}</text>)", kLeft - 10, y + 16,
                     escape(bars[i].parameter));
    s += bar(bars[i].first_order, bars[i].first_order_ci, y + 2, "#E69F00");
    s += bar(bars[i].total, bars[i].total_ci, y + 15, "#0072B2");
  }
  s += x_axis(x, bottom, 0, 1, "share of the output's variance");
  return s + "</svg>";
}

std::string choropleth(const std::string& title, const std::string& unit,
                       const std::vector<Region>& regions) {
  constexpr double kWidth = 640, kHeight = 560, kMapTop = 30, kMapHeight = 470;
  double lon0 = 1e9, lon1 = -1e9, lat0 = 1e9, lat1 = -1e9;
  std::vector<double> values;
  for (const auto& r : regions) {
    values.push_back(r.value);
    for (const auto& ring : r.rings) {
      for (const auto& [lon, lat] : ring) {
        lon0 = std::min(lon0, lon);
        lon1 = std::max(lon1, lon);
        lat0 = std::min(lat0, lat);
        lat1 = std::max(lat1, lat);
      }
    }
  }
  // Equirectangular at the map's mean latitude: distances east-west shrink by cos(latitude).
  const double aspect = (lon1 - lon0) * std::cos((lat0 + lat1) / 2 * M_PI / 180) / (lat1 - lat0);
  const double map_width = std::min(kWidth - 20, kMapHeight * aspect);
  const double map_height = map_width / aspect;
  const Scale x{lon0, lon1, (kWidth - map_width) / 2, (kWidth + map_width) / 2};
  const Scale y{lat0, lat1, kMapTop + map_height, kMapTop};
  const auto value_range = range_of({&values});
  const double v0 = value_range.first, v1 = value_range.second;
  // Light to dark blue: darker is more.
  const auto colour = [&](double v) {
    const double t = std::clamp((v - v0) / (v1 - v0), 0.0, 1.0);
    const auto mix = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
    return fmt::format("#{:02x}{:02x}{:02x}", mix(0xde, 0x08), mix(0xeb, 0x45), mix(0xf7, 0x94));
  };
  std::string s = open_svg(kWidth, kHeight, title);
  for (const auto& r : regions) {
    std::string d;
    for (const auto& ring : r.rings) {
      for (std::size_t k = 0; k < ring.size(); ++k)
        d +=
            fmt::format("{}{:.1f},{:.1f}", k == 0 ? "M" : "L", x(ring[k].first), y(ring[k].second));
      d += "Z";
    }
    const std::string value_text = std::isfinite(r.value) ? label(r.value) : "no data";
    s += fmt::format(
        "<path d=\"{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\"><title>{}: "
        "{}</title></path>",
        d, std::isfinite(r.value) ? colour(r.value) : std::string("#cccccc"),
        escape(r.name + " " + r.tooltip), value_text);
  }
  // Names at the mean of each region's longest ring (the districts are compact enough).
  for (const auto& r : regions) {
    const auto longest =
        std::max_element(r.rings.begin(), r.rings.end(),
                         [](const auto& a, const auto& b) { return a.size() < b.size(); });
    if (longest == r.rings.end() || longest->empty()) continue;
    double cx = 0, cy = 0;
    for (const auto& [lon, lat] : *longest) {
      cx += x(lon);
      cy += y(lat);
    }
    const auto n = static_cast<double>(longest->size());
    s += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"11\" "
        "paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">{}</text>",
        cx / n, cy / n, escape(r.name));
  }
  // Legend: the colour ramp with its two ends.
  const double ly = kMapTop + map_height + 20;
  for (int k = 0; k < 10; ++k) {
    s += fmt::format(R"(<rect x="{}" y="{:.1f}" width="20" height="10" fill="{}"/>)", 20 + 20 * k,
                     ly, colour(v0 + (v1 - v0) * k / 9.0));
  }
  s += fmt::format(
      "<text x=\"20\" y=\"{:.1f}\">{}</text><text x=\"220\" y=\"{:.1f}\" "
      "text-anchor=\"end\">{}</text><text x=\"230\" y=\"{:.1f}\">{}</text>",
      ly + 24, label(v0), ly + 24, label(v1), ly + 9, escape(unit));
  return s + "</svg>";
}

}  // namespace analysis::svg
