#pragma once
// Engine-neutral description of one run's results: named dimensions, variables over them and
// end-of-run scalars. The model fills it; the HDF5 writer stores it without knowing the model.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace sim {

// A coordinate axis: numeric `values` (e.g. day 0..D-1) or string `labels` (e.g. district
// names), never both.
struct Dimension {
  std::string name;
  std::string unit;
  std::string description;
  std::vector<double> values;
  std::vector<std::string> labels;

  std::size_t size() const { return labels.empty() ? values.size() : labels.size(); }
};

// Data are row-major over `dims` (the first dimension varies slowest).
struct Variable {
  std::string name;
  std::string unit;
  std::string description;
  std::vector<std::string> dims;
  std::vector<double> data;
};

// Other names of a label dimension's entries (a district's NBS code and romanised name beside its
// Chinese name): stored as a string variable over `dimension` and named in the `coordinates`
// attribute of every variable over that dimension, so netCDF readers show it as a coordinate.
struct LabelCoordinate {
  std::string name;
  std::string dimension;
  std::string description;
  std::vector<std::string> labels;
};

// An end-of-run number that `govsim compare` compares across policies.
struct Scalar {
  std::string name;
  std::string unit;
  std::string description;
  double value = 0.0;
};

struct RunRecord {
  std::vector<std::pair<std::string, std::string>> attributes;
  // The attributes whose values are numbers (stored as numbers when their text is canonical);
  // the experiment runner declares its own (replicate, seed, parameter:...).
  std::vector<std::string> numeric_attributes;
  std::vector<Dimension> dimensions;
  std::vector<LabelCoordinate> label_coordinates;
  std::vector<Variable> variables;
  std::vector<Scalar> summary;
};

}  // namespace sim
