// `govsim report`: a results file as one self-contained HTML page (analysis/report.hpp). The app
// finds and reads the district outlines (a data file, read as data files are), the analysis
// draws.
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <optional>

#include "analysis/report.hpp"
#include "app/commands.hpp"
#include "app/run_support.hpp"
#include "sim/config/csv.hpp"

namespace app {
namespace {

namespace fs = std::filesystem;

// Guangzhou's outlines ship beside its districts file, which a run's resolved scenario names.
std::optional<fs::path> default_outlines(const analysis::ResultsFile& file) {
  for (const auto& run : file.runs()) {
    for (const auto& [key, value] : run.attributes) {
      if (key != "scenario_yaml") continue;
      const auto city = sim::config::Document::parse(value, run.name + " scenario").child("city");
      if (!city.has("source") || city.child("source").as_string("city.source") != "guangzhou")
        return std::nullopt;
      const fs::path districts = city.child("districts_file").as_string("city.districts_file");
      const fs::path outlines = districts.parent_path() / "guangzhou_district_outlines.csv";
      if (fs::exists(outlines)) return outlines;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::vector<analysis::DistrictOutline> read_outlines(const fs::path& path) {
  const sim::CsvTable t = sim::CsvTable::load(path);
  const std::size_t name = t.column("district_name"), label = t.column("district_pinyin"),
                    ring = t.column("ring"), lon = t.column("lon"), lat = t.column("lat");
  std::vector<analysis::DistrictOutline> out;
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    auto [it, added] = index.emplace(t.text(r, name), out.size());
    if (added) out.push_back({t.text(r, name), t.text(r, label), {}});
    auto& rings = out[it->second].rings;
    const auto k = static_cast<std::size_t>(t.number(r, ring));
    if (k >= rings.size()) rings.resize(k + 1);
    rings[k].emplace_back(t.number(r, lon), t.number(r, lat));
  }
  return out;
}

}  // namespace

int cmd_report(const ReportArgs& args) {
  return report_bad_input("report", [&] {
    const analysis::ResultsFile file(args.file);
    analysis::ReportOptions o;
    o.baseline = args.baseline;
    o.metrics = args.metrics;
    if (!args.series.empty()) o.series = args.series;
    o.map_variable = args.map_variable;
    o.map_policy = args.map_policy;
    const std::optional<fs::path> outlines =
        args.outlines.empty() ? default_outlines(file) : std::optional<fs::path>(args.outlines);
    if (outlines) o.outlines = read_outlines(*outlines);
    const fs::path target = args.output.empty() ? fs::path(args.file).replace_extension(".html")
                                                : fs::path(args.output);
    write_atomically(target, [&](std::ostream& out) { analysis::write_report(file, o, out); });
    std::cerr << fmt::format("wrote {}\n", target.string());
  });
}

}  // namespace app
