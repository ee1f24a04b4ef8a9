#include "analysis/export.hpp"

#include <algorithm>
#include <map>
#include <ostream>
#include <set>

#include <fmt/format.h>

#include "analysis/text_output.hpp"

namespace analysis {
namespace {

std::string attribute_or_empty(const Attributes& attributes, const std::string& key) {
  for (const auto& [k, v] : attributes)
    if (k == key) return v;
  return "";
}

std::vector<std::string> parameter_keys(const ResultsFile& file) {
  std::set<std::string> keys;
  auto collect = [&](const Attributes& attributes) {
    for (const auto& [k, v] : attributes)
      if (k.rfind(kParameterPrefix, 0) == 0) keys.insert(k);
  };
  for (const auto& run : file.runs()) collect(run.attributes);
  for (const auto& failure : file.failures()) collect(failure.attributes);
  return {keys.begin(), keys.end()};
}

std::string optional_text(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "";
}

}  // namespace

void write_tidy_csv(const ResultsFile& file, const ExportOptions& options, std::ostream& out) {
  const auto parameters = parameter_keys(file);
  std::set<std::string> known;
  std::vector<std::vector<SummaryValue>> summaries;
  for (const auto& run : file.runs()) {
    summaries.push_back(file.summary(run.name));
    for (const auto& s : summaries.back()) known.insert(s.name);
  }
  for (const auto& m : options.metrics) {
    if (known.count(m) == 0)
      throw BadInput(
          fmt::format("{}: no run has the summary metric '{}'", file.path().string(), m));
  }
  const std::set<std::string> wanted(options.metrics.begin(), options.metrics.end());
  std::vector<std::string> header = {"run", "policy", "sample", "replicate", "seed", "status"};
  header.insert(header.end(), parameters.begin(), parameters.end());
  for (const char* c : {"metric", "value", "unit"}) header.emplace_back(c);
  auto write_row = [&](const std::vector<std::string>& cells) {
    for (std::size_t k = 0; k < cells.size(); ++k) out << (k ? "," : "") << csv_field(cells[k]);
    out << '\n';
  };
  write_row(header);
  for (std::size_t r = 0; r < file.runs().size(); ++r) {
    const RunInfo& run = file.runs()[r];
    std::vector<std::string> lead = {
        run.name, run.policy, optional_text(run.sample), optional_text(run.replicate),
        run.seed, "ok"};
    for (const auto& p : parameters) lead.push_back(attribute_or_empty(run.attributes, p));
    for (const SummaryValue& s : summaries[r]) {
      if (!wanted.empty() && wanted.count(s.name) == 0) continue;
      std::vector<std::string> row = lead;
      row.push_back(s.name);
      row.push_back(csv_number(s.value));
      row.push_back(s.units);
      write_row(row);
    }
  }
  for (const FailureInfo& f : file.failures()) {
    std::vector<std::string> row = {f.name,
                                    attribute_or_empty(f.attributes, "policy"),
                                    attribute_or_empty(f.attributes, "sample"),
                                    attribute_or_empty(f.attributes, "replicate"),
                                    attribute_or_empty(f.attributes, "seed"),
                                    "failed"};
    for (const auto& p : parameters) row.push_back(attribute_or_empty(f.attributes, p));
    row.insert(row.end(), {"", "", ""});
    write_row(row);
  }
}

}  // namespace analysis
