#pragma once
// Every output a run writes, declared once, as the parameters are: name, dimensions, unit
// (udunits-2), long name and how the value is made. The recorder and the issue log fill outputs
// by name from here, `govsim inspect outputs` prints the table that docs/output-format.md holds
// (a test keeps them equal), and the unit test checks every unit.
#include <string>
#include <string_view>
#include <vector>

#include "sim/results/record.hpp"

namespace gov {

struct OutputDeclaration {
  std::string name;
  std::vector<std::string> dims;  // empty: an end-of-run number (the run's summary/)
  std::string unit;               // empty only for the issue log's identifiers and codes
  std::string long_name;
  std::string aggregation;
};

// In the order a run record holds them: daily and end-of-run variables, the issue log's columns
// (written when run.issue_log asks), then the end-of-run numbers.
const std::vector<OutputDeclaration>& output_declarations();

// The declared variable `name` (an output with dimensions) with `data`; the declared end-of-run
// number `name` with `value`. Throw std::logic_error for an undeclared name: an output cannot be
// written without its declaration.
sim::Variable declared_variable(std::string_view name, std::vector<double> data);
sim::Scalar declared_scalar(std::string_view name, double value);

// The declarations as the Markdown table of docs/output-format.md.
std::string outputs_markdown();

}  // namespace gov
