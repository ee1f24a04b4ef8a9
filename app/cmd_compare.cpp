#include <iostream>

#include "analysis/compare.hpp"
#include "app/commands.hpp"

namespace app {

int cmd_compare(const CompareArgs& args) {
  analysis::CompareOptions o;
  o.baseline = args.baseline;
  o.metrics = args.metrics;
  o.format = args.format;
  o.stock_series = {"city_open"};  // the governance model's open stock
  if (!args.other.empty()) o.other_file = args.other;
  return analysis::compare_main(args.file, o, std::cout);
}

}  // namespace app
