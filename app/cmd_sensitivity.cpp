#include <iostream>

#include "analysis/sensitivity.hpp"
#include "app/commands.hpp"

namespace app {

int cmd_sensitivity(const SensitivityArgs& args) {
  return analysis::sensitivity_main(args.file, args.metric, args.format, std::cout, std::cerr);
}

}  // namespace app
