// `govsim export`: a results file as a tidy CSV, on standard output or written atomically to a
// file; or an experiment's stacked arrays alone, as a small netCDF-4 file.
#include <fmt/format.h>

#include <iostream>

#include "analysis/export.hpp"
#include "app/commands.hpp"
#include "app/run_support.hpp"
#include "sim/errors.hpp"
#include "sim/results/results_file.hpp"

namespace app {

namespace {

void export_stacked(const ExportArgs& args) {
  if (args.output.empty())
    throw analysis::BadInput("--format netcdf writes a file: give it with -o FILE.nc");
  if (!args.metrics.empty())
    throw analysis::BadInput(
        "--metric selects rows of the csv table; --format netcdf copies "
        "every stacked variable");
  { const analysis::ResultsFile checked(args.file); }  // a govsim results file, whole
  try {
    sim::write_stacked_extract(args.file, args.output);
  } catch (const sim::InputError& e) {
    throw analysis::BadInput(e.what());
  } catch (const sim::OutputError& e) {
    throw analysis::BadInput(fmt::format("cannot write {}: {}", args.output, e.what()));
  }
  std::cerr << fmt::format("wrote {}\n", args.output);
}

}  // namespace

int cmd_export(const ExportArgs& args) {
  return report_bad_input("export", [&] {
    if (args.format == "netcdf") return export_stacked(args);
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
