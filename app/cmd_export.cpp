// `govsim export`: a results file as a tidy CSV, on standard output or written atomically to a
// file.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "analysis/export.hpp"
#include "app/commands.hpp"
#include "app/run_support.hpp"

namespace app {

int cmd_export(const ExportArgs& args) {
  namespace fs = std::filesystem;
  return report_bad_input("export", [&] {
    const analysis::ResultsFile file(args.file);
    analysis::ExportOptions o;
    o.metrics = args.metrics;
    if (args.output.empty()) {
      analysis::write_tidy_csv(file, o, std::cout);
      return;
    }
    // Written beside the target and renamed over it: a reader never sees half a table.
    const fs::path target(args.output);
    const fs::path tmp = target.string() + fmt::format(".tmp{}", ::getpid());
    try {
      std::ofstream out(tmp);
      if (!out) throw analysis::BadInput(fmt::format("{}: cannot write here", target.string()));
      analysis::write_tidy_csv(file, o, out);
      out.close();
      if (!out) throw analysis::BadInput(fmt::format("{}: writing failed", target.string()));
      std::error_code renamed;
      fs::rename(tmp, target, renamed);
      if (renamed)
        throw analysis::BadInput(fmt::format("{}: {}", target.string(), renamed.message()));
    } catch (...) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw;
    }
    std::cerr << fmt::format("wrote {}\n", target.string());
  });
}

}  // namespace app
