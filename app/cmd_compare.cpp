#include <iostream>

#include "analysis/compare.hpp"
#include "app/commands.hpp"
#include "app/run_support.hpp"

namespace app {

int cmd_compare(const CompareArgs& args) {
  analysis::CompareOptions o;
  o.baseline = args.baseline;
  o.metrics = args.metrics;
  o.format = args.format;
  o.primary_metrics = args.primary_metrics;
  o.adjustment = args.adjustment;
  o.all_metrics = args.all_metrics;
  o.stock_series = {"city_open"};  // the governance model's open stock
  if (!args.other.empty()) o.other_file = args.other;
  return report_bad_input("compare",
                          [&] { analysis::write_compare_report(args.file, o, std::cout); });
}

}  // namespace app
