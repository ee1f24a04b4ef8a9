// `govsim export`: a results file as a tidy CSV, on standard output or written atomically to a
// file.
#include <fmt/format.h>

#include <iostream>

#include "analysis/export.hpp"
#include "app/commands.hpp"
#include "app/run_support.hpp"

namespace app {

int cmd_export(const ExportArgs& args) {
  return report_bad_input("export", [&] {
    const analysis::ResultsFile file(args.file);
    analysis::ExportOptions o;
    o.metrics = args.metrics;
    if (args.output.empty()) {
      analysis::write_tidy_csv(file, o, std::cout);
      return;
    }
    write_atomically(args.output,
                     [&](std::ostream& out) { analysis::write_tidy_csv(file, o, out); });
    std::cerr << fmt::format("wrote {}\n", args.output);
  });
}

}  // namespace app
