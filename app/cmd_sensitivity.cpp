#include <iostream>

#include "analysis/sensitivity.hpp"
#include "app/commands.hpp"
#include "app/run_support.hpp"

namespace app {

int cmd_sensitivity(const SensitivityArgs& args) {
  return report_bad_input("sensitivity", [&] {
    analysis::write_sensitivity_report(args.file, args.metric, args.format, std::cout);
  });
}

}  // namespace app
