// govsim: the command line. Library code throws; only this file prints errors and picks exit
// codes: 0 ok, 1 internal failure, 2 bad input (scenario, experiment, data file or flag),
// 130 interrupted (finished runs are kept for --resume).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/run_support.hpp"
#include "sim/errors.hpp"
#include "sim/version.hpp"

namespace {

int run_command_line(int argc, char** argv) {
  CLI::App cli{"govsim: agent-based simulation of municipal social governance (Guangzhou)"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("govsim ") + std::string(sim::version()) +
                                        " (commit " + std::string(sim::git_commit()) + ")");

  app::RunArgs run;
  auto* run_cmd = cli.add_subcommand("run", "Run a scenario or an experiment file");
  run_cmd->add_option("file", run.file, "scenario or experiment YAML")->required();
  run_cmd->add_option("-o,--output", run.output,
                      "HDF5 results file (experiments: default results/NAME.h5)");
  run_cmd
      ->add_option("--threads", run.threads,
                   "worker threads (0 = all cores); results do not depend on it")
      ->check(CLI::Range(0, 1024));
  // --days and --scale are checked against the scenario's declared ranges when it is read.
  run_cmd->add_option("--days", run.days, "override run.days");
  run_cmd->add_option("--seed", run.seed, "override the seed")
      ->check(CLI::Range(0LL, 9000000000000000LL));
  run_cmd->add_option("--scale", run.scale, "override population.scale");
  run_cmd->add_option("--set", run.settings,
                      "set any scenario key, e.g. --set hotline.call_takers=300 (repeatable; "
                      "checked like the file; experiments: every run)");
  run_cmd->add_flag("--resume", run.resume, "continue an interrupted experiment");
  run_cmd->add_flag("--overwrite", run.overwrite, "replace an existing results file");
  run_cmd->add_flag("!--no-progress", run.progress, "no progress bar");
  run_cmd->add_flag("--serial-runs", run.serial_runs, "run an experiment's runs one after another");
  run_cmd->add_option("--compare-metric", run.compare_metrics,
                      "metric(s) printed in the comparison after an experiment; default all");

  app::CalibrateArgs calibrate;
  auto* calibrate_cmd = cli.add_subcommand(
      "calibrate", "Fit a calibration file's free parameters to its published targets (ABC-SMC)");
  calibrate_cmd->add_option("file", calibrate.file, "calibration YAML (docs/calibration.md)")
      ->required();
  calibrate_cmd->add_option("-o,--output", calibrate.output,
                            "HDF5 results file (default results/NAME.h5)");
  calibrate_cmd->add_option("--threads", calibrate.threads, "worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  calibrate_cmd->add_flag("--resume", calibrate.resume, "continue an interrupted calibration");
  calibrate_cmd->add_flag("--overwrite", calibrate.overwrite, "replace an existing results file");
  calibrate_cmd->add_flag("!--no-progress", calibrate.progress, "no progress output");
  calibrate_cmd->add_flag("--evaluate", calibrate.evaluate,
                          "only run the base scenario and report it against the targets and "
                          "held-out figures (nothing fitted, nothing written)");
  calibrate_cmd->add_option("--scale", calibrate.scale, "override population.scale");

  std::vector<std::string> validate_files;
  auto* validate_cmd =
      cli.add_subcommand("validate", "Check scenario and experiment files without running");
  validate_cmd->add_option("files", validate_files, "YAML files")->required();

  auto* inspect_cmd = cli.add_subcommand("inspect", "Describe a city or the scenario parameters");
  inspect_cmd->require_subcommand(1);
  app::InspectArgs inspect;
  auto* city_cmd = inspect_cmd->add_subcommand(
      "city", "Counts, neighbours, memory and build time of a scenario's city");
  city_cmd->add_option("file", inspect.file, "scenario YAML")->required();
  city_cmd->add_option("--format", inspect.format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  city_cmd->add_option("--scale", inspect.scale, "override population.scale");
  auto* params_cmd = inspect_cmd->add_subcommand(
      "params", "Every scenario key: type, unit, range, default, meaning, source (Markdown)");

  app::CompareArgs compare;
  auto* compare_cmd =
      cli.add_subcommand("compare", "Compare policies in a results file (paired by replicate)");
  compare_cmd->add_option("file", compare.file, "HDF5 results file")->required();
  compare_cmd->add_option("other", compare.other,
                          "a second results file: compare policy by policy");
  compare_cmd->add_option("--baseline", compare.baseline, "reference policy");
  compare_cmd->add_option("--metric", compare.metrics, "summary metric(s); default all");
  compare_cmd->add_option("--format", compare.format, "table, csv or markdown")
      ->check(CLI::IsMember({"table", "csv", "markdown"}));
  compare_cmd->add_option("--primary", compare.primary_metrics,
                          "primary metric(s) as NAME:higher or NAME:lower (which way is better); "
                          "default: the experiment's primary_metrics");
  compare_cmd
      ->add_option("--adjust", compare.adjustment,
                   "multiple-comparison adjustment of the primary metrics' p-values: holm "
                   "(family-wise error) or bh (false discovery rate); default: the "
                   "experiment's, else holm")
      ->check(CLI::IsMember({"holm", "bh"}));
  compare_cmd->add_flag("--all", compare.all_metrics,
                        "every summary metric, not only the primary ones");

  app::SensitivityArgs sensitivity;
  auto* sensitivity_cmd = cli.add_subcommand(
      "sensitivity", "Sobol' sensitivity indices of a saltelli sweep, per policy and metric");
  sensitivity_cmd->add_option("file", sensitivity.file, "HDF5 results file of a saltelli sweep")
      ->required();
  sensitivity_cmd->add_option("--metric", sensitivity.metric, "summary metric; default all");
  sensitivity_cmd->add_option("--format", sensitivity.format, "table or csv")
      ->check(CLI::IsMember({"table", "csv"}));

  app::ExportArgs export_args;
  std::string export_format = "csv";
  auto* export_cmd = cli.add_subcommand(
      "export", "A results file as a tidy CSV: one row per run and summary metric");
  export_cmd->add_option("file", export_args.file, "HDF5 results file")->required();
  export_cmd->add_option("-o,--output", export_args.output,
                         "CSV file to write (atomically); default standard output");
  export_cmd->add_option("--metric", export_args.metrics, "summary metric(s); default all");
  export_cmd->add_option("--format", export_format, "csv (the only format so far)")
      ->check(CLI::IsMember({"csv"}));

  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const auto* sub : cli.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      std::cerr << app::unknown_command_message(argv[1], names) << '\n';
      return sim::kExitBadInput;
    }
  }

  try {
    cli.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return sim::kExitBadInput;
  }

  try {
    if (*run_cmd) return app::cmd_run(run);
    if (*validate_cmd) return app::cmd_validate(validate_files);
    if (*calibrate_cmd) return app::cmd_calibrate(calibrate);
    if (*city_cmd) return app::cmd_inspect_city(inspect);
    if (*params_cmd) return app::cmd_inspect_params();
    if (*compare_cmd) return app::cmd_compare(compare);
    if (*sensitivity_cmd) return app::cmd_sensitivity(sensitivity);
    if (*export_cmd) return app::cmd_export(export_args);
  } catch (const sim::InputError& e) {
    std::cerr << e.what() << '\n';
    return sim::kExitBadInput;
  } catch (const sim::Interrupted&) {
    std::cerr << "govsim: interrupted; finished runs are kept, continue with --resume\n";
    return sim::kExitInterrupted;
  } catch (const std::exception& e) {
    std::cerr << "govsim: internal error: " << e.what() << '\n';
    return sim::kExitInternal;
  }
  return sim::kExitInternal;
}

}  // namespace

int main(int argc, char** argv) {
  // Setting up the command line can itself fail (memory): no exception leaves main.
  try {
    app::remember_command_line(argc, argv);
    return run_command_line(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "govsim: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "govsim: internal error\n";
  }
  return sim::kExitInternal;
}
