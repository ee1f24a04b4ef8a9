#pragma once
// Internal to analysis/: a saltelli sweep's results file read into memory and checked against
// its design (saltelli_sweep.cpp), for the Sobol' estimates of sensitivity.cpp.
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analysis/results_reader.hpp"

namespace analysis::saltelli_sweep {

struct Metric {
  std::string name;
  std::string units;
  std::string description;
};

struct Run {
  std::string name;
  std::string policy;
  std::size_t sample;
  std::vector<std::string> values;  // the parameters' values as written, in sweep order
  std::map<std::string, double> summary;
};

// A saltelli results file in memory: the design, and every run's summary scalars.
struct Sweep {
  std::filesystem::path path;
  std::size_t base = 0;                 // N
  std::vector<std::string> parameters;  // k, in sweep order
  std::vector<Run> runs;
  std::vector<Metric> metrics;  // in order of first appearance
  std::vector<std::string> policies;
  std::size_t failures = 0;

  bool second_order = false;  // the design has the BA_i blocks too
  std::size_t blocks() const { return (second_order ? 2 : 1) * parameters.size() + 2; }
  std::size_t samples() const { return base * blocks(); }
};

// Reads and checks the whole sweep; throws BadInput for a file that is not a complete saltelli
// sweep.
Sweep load_sweep(const ResultsFile& file);
// The metric `metric` of the sweep; throws BadInput naming the available ones.
const Metric& find_metric(const Sweep& sweep, const std::string& metric);

}  // namespace analysis::saltelli_sweep
