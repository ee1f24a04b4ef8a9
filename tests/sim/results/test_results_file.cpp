// The HDF5 results file: layout, atomic finish, resume, failure records, and the runner that
// drives it. Files are read back with the plain HDF5 C API, as a user's own tool would.
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdlib.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/results_reader.hpp"
#include "sim/errors.hpp"
#include "sim/experiment/experiment_runner.hpp"
#include "sim/experiment/interrupt.hpp"
#include "sim/experiment/progress.hpp"
#include "sim/results/results_file.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

// Runner options without a progress line.
sim::RunnerOptions quiet(bool parallel_runs) {
  sim::RunnerOptions o;
  o.parallel_runs = parallel_runs;
  o.show_progress = false;
  return o;
}

constexpr std::size_t kDays = 400;  // large enough that queue_length is chunked and compressed
const std::vector<std::string> kDistricts{"north", "south", "east"};

using test::TempDir;

// A small but complete record; `shift` makes runs distinguishable.
sim::RunRecord fake_record(double shift) {
  sim::RunRecord r;
  r.attributes = {{"note", "fake run"}};
  sim::Dimension day{"day", "d", "simulated day", {}, {}};
  for (std::size_t d = 0; d < kDays; ++d) day.values.push_back(static_cast<double>(d));
  sim::Dimension district{"district", "", "city district", {}, kDistricts};
  r.dimensions = {day, district};
  sim::Variable queue{
      "queue_length", "requests", "open requests at end of day", {"day", "district"}, {}};
  for (std::size_t d = 0; d < kDays; ++d)
    for (std::size_t k = 0; k < kDistricts.size(); ++k)
      queue.data.push_back(shift + static_cast<double>(d % 17) + 0.5 * static_cast<double>(k));
  sim::Variable satisfaction{
      "satisfaction", "1", "mean resident satisfaction", {"district"}, {0.5 + shift, 0.6, 0.7}};
  r.variables = {queue, satisfaction};
  r.summary = {{"mean_wait_h", "h", "mean wait until resolution", 12.5 + shift},
               {"resolved_share", "1", "share of requests resolved", 0.9}};
  return r;
}

sim::Attributes file_attributes() {
  return {{"govsim_version", "0.1.0"}, {"experiment_yaml", "policies: [baseline]\n"}};
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---- minimal HDF5 reading helpers ------------------------------------------------------------

struct H5 {
  hid_t id;
  herr_t (*close)(hid_t);
  ~H5() {
    if (id >= 0) close(id);
  }
};

std::string string_attr(hid_t obj, const char* name) {
  H5 attr{H5Aopen(obj, name, H5P_DEFAULT), H5Aclose};
  REQUIRE(attr.id >= 0);
  H5 type{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(type.id, H5T_VARIABLE);
  H5Tset_cset(type.id, H5T_CSET_UTF8);
  char* text = nullptr;
  REQUIRE(H5Aread(attr.id, type.id, &text) >= 0);
  std::string out = text;
  H5free_memory(text);
  return out;
}

std::int64_t int_attr(hid_t obj, const char* name) {
  H5 attr{H5Aopen(obj, name, H5P_DEFAULT), H5Aclose};
  std::int64_t v = -1;
  REQUIRE(H5Aread(attr.id, H5T_NATIVE_INT64, &v) >= 0);
  return v;
}

std::vector<hsize_t> shape_of(hid_t ds) {
  H5 space{H5Dget_space(ds), H5Sclose};
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.id)));
  H5Sget_simple_extent_dims(space.id, dims.data(), nullptr);
  return dims;
}

std::vector<double> read_doubles(hid_t ds) {
  H5 space{H5Dget_space(ds), H5Sclose};
  std::vector<double> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.id)));
  REQUIRE(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
  return v;
}

std::string run_command(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  status = pclose(pipe);
  return out;
}

void write_three_runs(sim::ResultsWriter& w) {
  for (int i = 0; i < 3; ++i)
    w.write_run("baseline.r00" + std::to_string(i), fake_record(static_cast<double>(i)));
}

const std::vector<std::string> kOrder{"baseline.r000", "baseline.r001", "baseline.r002"};

}  // namespace

TEST_CASE("results file stores each run with dimension scales, units and summary",
          "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "exp.h5";
  sim::ResultsWriter w(file, false, false);
  write_three_runs(w);
  CHECK_FALSE(fs::exists(file));  // nothing final before finish: never a half-written file
  CHECK(fs::exists(w.parts_dir() / "runs" / "baseline.r001.h5"));
  w.finish(file_attributes(), kOrder);
  REQUIRE(fs::exists(file));
  CHECK_FALSE(fs::exists(w.parts_dir()));

  H5 f{H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(f.id >= 0);
  CHECK(string_attr(f.id, "format") == "govsim-results");
  CHECK(int_attr(f.id, "format_version") == sim::kResultsFormatVersion);
  CHECK(int_attr(f.id, "runs") == 3);
  CHECK(int_attr(f.id, "failed_runs") == 0);
  CHECK(string_attr(f.id, "experiment_yaml") == "policies: [baseline]\n");

  for (int i = 0; i < 3; ++i) {
    const std::string run = "runs/" + kOrder[static_cast<std::size_t>(i)];
    H5 g{H5Gopen2(f.id, run.c_str(), H5P_DEFAULT), H5Gclose};
    REQUIRE(g.id >= 0);
    CHECK(string_attr(g.id, "note") == "fake run");

    H5 day{H5Dopen2(g.id, "day", H5P_DEFAULT), H5Dclose};
    H5 district{H5Dopen2(g.id, "district", H5P_DEFAULT), H5Dclose};
    H5 queue{H5Dopen2(g.id, "queue_length", H5P_DEFAULT), H5Dclose};
    CHECK(H5DSis_scale(day.id) > 0);
    CHECK(H5DSis_scale(district.id) > 0);
    CHECK(string_attr(day.id, "units") == "d");
    CHECK(shape_of(queue.id) == std::vector<hsize_t>{kDays, kDistricts.size()});
    CHECK(H5DSis_attached(queue.id, day.id, 0) > 0);
    CHECK(H5DSis_attached(queue.id, district.id, 1) > 0);
    CHECK(string_attr(queue.id, "units") == "requests");
    CHECK(string_attr(queue.id, "long_name") == "open requests at end of day");
    CHECK(read_doubles(queue.id) == fake_record(i).variables[0].data);

    H5 dcpl{H5Dget_create_plist(queue.id), H5Pclose};
    CHECK(H5Pget_layout(dcpl.id) == H5D_CHUNKED);
    REQUIRE(H5Pget_nfilters(dcpl.id) == 3);  // shuffle, deflate, then the checksum
    unsigned flags = 0;
    std::size_t n_values = 0;
    CHECK(H5Pget_filter2(dcpl.id, 2, &flags, &n_values, nullptr, 0, nullptr, nullptr) ==
          H5Z_FILTER_FLETCHER32);

    H5 sat{H5Dopen2(g.id, "satisfaction", H5P_DEFAULT), H5Dclose};
    CHECK(H5DSis_attached(sat.id, district.id, 0) > 0);

    H5 wait{H5Dopen2(g.id, "summary/mean_wait_h", H5P_DEFAULT), H5Dclose};
    CHECK(shape_of(wait.id).empty());
    CHECK(read_doubles(wait.id) == std::vector<double>{12.5 + i});
    CHECK(string_attr(wait.id, "units") == "h");
    // Small datasets live in their checksummed object header.
    H5 wait_dcpl{H5Dget_create_plist(wait.id), H5Pclose};
    CHECK(H5Pget_layout(wait_dcpl.id) == H5D_COMPACT);
    H5 day_dcpl{H5Dget_create_plist(day.id), H5Pclose};
    CHECK(H5Pget_layout(day_dcpl.id) == H5D_COMPACT);
  }
}

TEST_CASE("string dimension labels read back as UTF-8 strings", "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "labels.h5";
  sim::ResultsWriter w(file, false, false);
  w.write_run("a.r000", fake_record(0));
  w.finish({}, {"a.r000"});
  H5 f{H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  H5 ds{H5Dopen2(f.id, "runs/a.r000/district", H5P_DEFAULT), H5Dclose};
  H5 type{H5Dget_type(ds.id), H5Tclose};
  CHECK(H5Tis_variable_str(type.id) > 0);
  CHECK(H5Tget_cset(type.id) == H5T_CSET_UTF8);
  std::vector<char*> text(kDistricts.size());
  REQUIRE(H5Dread(ds.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()) >= 0);
  std::vector<std::string> labels(text.begin(), text.end());
  for (char* t : text) H5free_memory(t);
  CHECK(labels == kDistricts);
}

TEST_CASE("a resumed writer keeps finished parts and gives the same file", "[unit][results]") {
  TempDir tmp;
  const fs::path straight = tmp.path() / "straight.h5";
  {
    sim::ResultsWriter w(straight, false, false);
    write_three_runs(w);
    w.finish(file_attributes(), kOrder);
  }
  const fs::path resumed = tmp.path() / "resumed.h5";
  {
    sim::ResultsWriter first(resumed, false, false);
    first.write_run(kOrder[2], fake_record(2));  // out of order, as parallel runs finish
    first.write_run(kOrder[0], fake_record(0));
  }  // "interrupted": destroyed without finish
  CHECK_FALSE(fs::exists(resumed));
  sim::ResultsWriter second(resumed, true, false);
  CHECK(second.has_run(kOrder[0]));
  CHECK_FALSE(second.has_run(kOrder[1]));
  CHECK(second.has_run(kOrder[2]));
  CHECK(second.stored_attributes(kOrder[0]) == sim::Attributes{{"note", "fake run"}});
  second.write_run(kOrder[1], fake_record(1));
  second.finish(file_attributes(), kOrder);
  // No timestamps are stored, so the same content in the same order gives the same bytes.
  CHECK(read_bytes(straight) == read_bytes(resumed));
}

TEST_CASE("parts with the same content are byte-identical", "[unit][results]") {
  TempDir tmp;
  sim::ResultsWriter a(tmp.path() / "a.h5", false, false);
  sim::ResultsWriter b(tmp.path() / "b.h5", false, false);
  a.write_run("x.r000", fake_record(3));
  b.write_run("x.r000", fake_record(3));
  const std::string bytes_a = read_bytes(a.parts_dir() / "runs" / "x.r000.h5");
  CHECK(!bytes_a.empty());
  CHECK(bytes_a == read_bytes(b.parts_dir() / "runs" / "x.r000.h5"));
}

TEST_CASE("writer protects existing files and stale state", "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "exp.h5";
  std::ofstream(file) << "old";
  CHECK_THROWS_AS(sim::ResultsWriter(file, false, false), sim::InputError);
  CHECK_THROWS_WITH(sim::ResultsWriter(file, true, false), Catch::Contains("already complete"));
  {
    sim::ResultsWriter w(file, false, true);
    w.write_run("a.r000", fake_record(0));
    CHECK(read_bytes(file) == "old");  // replaced only when finish succeeds
    CHECK_THROWS_WITH(sim::ResultsWriter(file, true, true), Catch::Contains("another govsim"));
  }
  sim::ResultsWriter fresh(file, false, true);
  CHECK_FALSE(fresh.has_run("a.r000"));  // resume=false clears stale parts
  CHECK_THROWS_AS(fresh.finish({}, {"a.r000"}), std::logic_error);
}

TEST_CASE("writer rejects inconsistent records and bad names", "[unit][results]") {
  TempDir tmp;
  sim::ResultsWriter w(tmp.path() / "exp.h5", false, false);
  sim::RunRecord r = fake_record(0);
  r.variables[0].data.pop_back();
  CHECK_THROWS_WITH(w.write_run("a.r000", r), Catch::Contains("queue_length has 1199 values"));
  r = fake_record(0);
  r.variables[1].dims = {"ward"};
  CHECK_THROWS_WITH(w.write_run("a.r000", r), Catch::Contains("undeclared dimension 'ward'"));
  r = fake_record(0);
  r.variables[1].name = "day";
  CHECK_THROWS_WITH(w.write_run("a.r000", r), Catch::Contains("duplicate variable name 'day'"));
  r = fake_record(0);
  r.label_coordinates = {{"district_code", "district", "code", {"1", "2"}}};
  CHECK_THROWS_WITH(w.write_run("a.r000", r), Catch::Contains("district_code has 2 labels"));
  r.label_coordinates = {{"district_code", "ward", "code", {"1", "2", "3"}}};
  CHECK_THROWS_WITH(w.write_run("a.r000", r), Catch::Contains("dimension 'ward'"));
  r.label_coordinates = {{"satisfaction", "district", "code", {"1", "2", "3"}}};
  CHECK_THROWS_WITH(w.write_run("a.r000", r), Catch::Contains("duplicate variable name"));
  CHECK_THROWS_AS(w.write_run("my policy.r000", fake_record(0)), sim::InputError);
  CHECK_THROWS_AS(w.write_run("../escape", fake_record(0)), sim::InputError);
  CHECK_FALSE(w.has_run("a.r000"));
}

TEST_CASE("failed runs are recorded with their message and attributes", "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "exp.h5";
  sim::ResultsWriter w(file, false, false);
  w.write_run("a.r000", fake_record(0));
  w.record_failure("a.r001", "queue overflow on day 12", {{"policy", "a"}, {"seed", "42"}});
  CHECK_FALSE(w.has_run("a.r001"));  // a resumed experiment retries failures
  w.finish({}, {"a.r000", "a.r001"});
  H5 f{H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  CHECK(int_attr(f.id, "runs") == 1);
  CHECK(int_attr(f.id, "failed_runs") == 1);
  H5 g{H5Gopen2(f.id, "failures/a.r001", H5P_DEFAULT), H5Gclose};
  REQUIRE(g.id >= 0);
  CHECK(string_attr(g.id, "message") == "queue overflow on day 12");
  CHECK(int_attr(g.id, "seed") == 42);  // numeric attributes are stored as numbers
  CHECK(string_attr(g.id, "policy") == "a");
}

TEST_CASE("h5dump reads the file", "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "exp.h5";
  sim::ResultsWriter w(file, false, false);
  write_three_runs(w);
  w.finish(file_attributes(), kOrder);
  int status = -1;
  const std::string out = run_command("h5dump -H '" + file.string() + "' 2>&1", status);
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("DATASET \"queue_length\""));
  CHECK_THAT(out, Catch::Contains("GROUP \"baseline.r002\""));
  CHECK_THAT(out, Catch::Contains("DATASET \"mean_wait_h\""));
}

// ---- the runner --------------------------------------------------------------------------------

namespace {

std::vector<sim::RunTask> make_tasks(std::size_t n) {
  std::vector<sim::RunTask> tasks;
  for (std::size_t i = 0; i < n; ++i)
    tasks.push_back({"p.r00" + std::to_string(i),
                     {{"policy", "p"}, {"replicate", std::to_string(i)}, {"seed", "7"}},
                     ""});
  return tasks;
}

std::vector<std::string> names_of(const std::vector<sim::RunTask>& tasks) {
  std::vector<std::string> names;
  for (const auto& t : tasks) names.push_back(t.name);
  return names;
}

}  // namespace

TEST_CASE("runner records failures and does not depend on parallelism", "[unit][results]") {
  TempDir tmp;
  const auto tasks = make_tasks(6);
  auto fn = [](std::size_t i) {
    if (i == 3) throw std::runtime_error("model diverged");
    return fake_record(static_cast<double>(i));
  };
  std::vector<std::string> bytes;
  for (bool parallel : {false, true}) {
    const fs::path file = tmp.path() / (parallel ? "par.h5" : "ser.h5");
    sim::ResultsWriter w(file, false, false);
    const auto report = sim::run_all(tasks, w, fn, quiet(parallel));
    CHECK(report.completed == 5);
    CHECK(report.failed == 1);
    CHECK(report.skipped == 0);
    w.finish(file_attributes(), names_of(tasks));
    bytes.push_back(read_bytes(file));
  }
  CHECK(bytes[0] == bytes[1]);
}

TEST_CASE("runner stops on interrupt and resumes where it stopped", "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "exp.h5";
  const auto tasks = make_tasks(5);
  std::vector<std::size_t> calls;
  auto fn = [&](std::size_t i) {
    calls.push_back(i);
    if (i == 2) {
      std::raise(SIGINT);  // as if the user pressed Ctrl-C during run 2
      sim::throw_if_interrupted();
    }
    return fake_record(static_cast<double>(i));
  };
  {
    sim::InterruptGuard guard;
    sim::ResultsWriter w(file, false, false);
    CHECK_THROWS_AS(sim::run_all(tasks, w, fn, quiet(false)), sim::Interrupted);
    CHECK(sim::interrupt_requested());
  }
  CHECK(calls == std::vector<std::size_t>{0, 1, 2});
  CHECK_FALSE(fs::exists(file));
  calls.clear();
  sim::InterruptGuard guard;
  CHECK_FALSE(sim::interrupt_requested());
  sim::ResultsWriter w(file, true, false);
  auto resumed_fn = [&](std::size_t i) {
    calls.push_back(i);
    return fake_record(static_cast<double>(i));
  };
  const auto report = sim::run_all(tasks, w, resumed_fn, quiet(false));
  CHECK(calls == std::vector<std::size_t>{2, 3, 4});
  CHECK(report.skipped == 2);
  CHECK(report.completed == 3);
  w.finish({}, names_of(tasks));
  CHECK(fs::exists(file));
}

TEST_CASE("runner starts runs that share a set-up one after another", "[unit][results]") {
  TempDir tmp;
  auto tasks = make_tasks(6);
  const char* setups[] = {"seed 1", "seed 2", "seed 1", "seed 3", "seed 2", "seed 1"};
  for (std::size_t i = 0; i < tasks.size(); ++i) tasks[i].shared_setup = setups[i];
  std::vector<std::size_t> calls;
  auto fn = [&](std::size_t i) {
    calls.push_back(i);
    return fake_record(static_cast<double>(i));
  };
  sim::ResultsWriter w(tmp.path() / "exp.h5", false, false);
  sim::run_all(tasks, w, fn, quiet(false));
  // Set-ups in the order they first appear, tasks in their order within a set-up.
  CHECK(calls == std::vector<std::size_t>{0, 2, 5, 1, 4, 3});
}

TEST_CASE("runner refuses to resume a changed experiment", "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "exp.h5";
  auto tasks = make_tasks(2);
  auto fn = [](std::size_t i) { return fake_record(static_cast<double>(i)); };
  {
    sim::ResultsWriter w(file, false, false);
    sim::run_all(tasks, w, fn, quiet(false));
  }
  tasks[1].attributes[2].second = "8";
  sim::ResultsWriter w(file, true, false);
  CHECK_THROWS_WITH(sim::run_all(tasks, w, fn, quiet(false)),
                    Catch::Contains("p.r001 was made with seed = '7'") && Catch::Contains("'8'"));
}

TEST_CASE("progress line shows percentage, count and ETA", "[unit][results]") {
  std::ostringstream out;
  {
    sim::Progress p("runs", 4, out);
    p.set_label("whistle.r003");
    p.advance();
    p.advance(3);
    p.finish();
  }
  const std::string text = out.str();
  CHECK_THAT(text, Catch::Contains("whistle.r003  [#####"));
  CHECK_THAT(text, Catch::Contains(" 25%  1/4 runs  ETA "));
  CHECK_THAT(text, Catch::Contains("100%  4/4 runs  done in 0:00\n"));
  sim::Progress off("runs", 4, false);  // disabled: never draws, even on a terminal
  CHECK_FALSE(off.active());
}

TEST_CASE("progress in a log prints a line every 10 percent and fits a narrow terminal",
          "[unit][results]") {
  std::ostringstream log;
  {
    sim::Progress p("sweep", 100, log, "runs", sim::Progress::Style::Lines);
    for (int i = 0; i < 100; ++i) p.advance();
    p.finish();
  }
  const std::string text = log.str();
  CHECK(std::count(text.begin(), text.end(), '\n') == 10);  // 10 %, ..., 90 %, then done
  CHECK(text.find('\r') == std::string::npos);
  CHECK_THAT(text, Catch::StartsWith("sweep   10%  10/100 runs  ETA "));
  CHECK_THAT(text, Catch::EndsWith("100%  100/100 runs  done in 0:00\n"));
  std::ostringstream narrow;
  {
    sim::Progress p("guangzhou-model.s017.r004", 30, narrow, "runs", sim::Progress::Style::Redraw,
                    60);
    p.advance(7);
  }
  std::string last = narrow.str();
  last = last.substr(last.rfind('\r') + 1);
  last = last.substr(0, last.find('\n'));
  CHECK(last.size() < 60);
  CHECK_THAT(last, Catch::StartsWith("guang..."));
  CHECK_THAT(last, Catch::Contains("...  [####"));
}

TEST_CASE("results file opens in h5py, xarray (netCDF-4) and the plotting example",
          "[unit][results][python]") {
  const std::string python = GOVSIM_SYSTEM_PYTHON;
  const std::string probe = python + " -c 'import h5py, xarray, netCDF4, pandas, matplotlib'";
  if (std::system((probe + " >/dev/null 2>&1").c_str()) != 0) {
    WARN(python << " lacks h5py/xarray/netCDF4/pandas/matplotlib: Python check skipped");
    return;
  }
  TempDir tmp;
  const fs::path file = tmp.path() / "python check.h5";  // a space, as users' paths have
  sim::ResultsWriter w(file, false, false);
  std::vector<std::string> order;
  for (const std::string policy : {"baseline", "whistle"}) {
    for (int r = 0; r < 3; ++r) {
      sim::RunRecord rec = fake_record(policy == "whistle" ? 1.0 + 0.1 * r : 0.1 * r);
      rec.attributes = {{"policy", policy}, {"replicate", std::to_string(r)}, {"seed", "5"}};
      order.push_back(policy + ".r00" + std::to_string(r));
      w.write_run(order.back(), rec);
    }
  }
  w.record_failure("whistle.r003", "diverged", {{"policy", "whistle"}, {"replicate", "3"}});
  order.push_back("whistle.r003");
  w.finish(file_attributes(), order, {"policy", "sample", "replicate"});

  const std::string command = python + " '" + GOVSIM_SOURCE_DIR +
                              "/tests/python/check_results.py' '" + file.string() +
                              "' --expect-variable queue_length:day,district:requests"
                              " --expect-variable satisfaction:district:1 2>&1";
  int status = -1;
  const std::string out = run_command(command, status);
  INFO(out);
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("check_results: OK: 6 runs"));
  CHECK_THAT(out, Catch::Contains("2 stacked summaries"));
}

TEST_CASE("an experiment's summaries are stacked over the runs' attributes", "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "stacked.h5";
  sim::ResultsWriter w(file, false, false);
  std::vector<std::string> order;
  for (const std::string policy : {"baseline", "whistle"}) {
    for (int r = 0; r < 3; ++r) {
      order.push_back(policy + ".r00" + std::to_string(r));
      if (policy == "whistle" && r == 1) {
        w.record_failure(order.back(), "diverged", {{"policy", policy}, {"replicate", "1"}});
        continue;
      }
      sim::RunRecord rec = fake_record(policy == "whistle" ? 10.0 + r : r);
      rec.attributes = {{"policy", policy},
                        {"replicate", std::to_string(r)},
                        {"parameter:hotline.call_takers", std::to_string(100 + r)}};
      sim::Variable open{"open", "1", "open at end of day", {"day"}, {}};
      for (std::size_t d = 0; d < kDays; ++d)
        open.data.push_back(100.0 * r + static_cast<double>(d));
      rec.variables.push_back(open);
      w.write_run(order.back(), rec);
    }
  }
  w.finish({}, order, {"policy", "sample", "replicate"});
  const analysis::ResultsFile f(file);
  const auto wait = f.stacked_summary("mean_wait_h");
  REQUIRE(wait.dims.size() == 2);  // no run has a sample: that dimension is left out
  CHECK(wait.dims[0].name == "policy");
  CHECK(wait.dims[0].labels == std::vector<std::string>{"baseline", "whistle"});
  CHECK(wait.dims[1].name == "replicate");
  CHECK(wait.dims[1].values == std::vector<double>{0, 1, 2});
  CHECK(wait.units == "h");
  REQUIRE(wait.data.size() == 6);
  CHECK(wait.data[0] == 12.5);      // baseline r0
  CHECK(wait.data[2] == 14.5);      // baseline r2
  CHECK(wait.data[3] == 22.5);      // whistle r0
  CHECK(std::isnan(wait.data[4]));  // whistle r1 failed
  const auto calls = f.stacked_summary("parameter:hotline.call_takers");
  CHECK(calls.data[1] == 101.0);
  CHECK_THROWS_AS(f.stacked_summary("nothing"), analysis::FileError);
  // Daily series over day alone are stacked in /series, day last; others are not.
  const auto open = f.stacked_series("open");
  REQUIRE(open.dims.size() == 3);
  CHECK(open.dims[2].name == "day");
  CHECK(open.dims[2].values.size() == kDays);
  CHECK(open.units == "1");
  REQUIRE(open.data.size() == 6 * kDays);
  CHECK(open.data[2 * kDays + 3] == 203.0);                        // baseline r2, day 3
  CHECK(std::isnan(open.data[4 * kDays]));                         // whistle r1 failed
  CHECK(open.data[5 * kDays + kDays - 1] == 200.0 + (kDays - 1));  // whistle r2, last day
  CHECK_THROWS_AS(f.stacked_series("queue_length"), analysis::FileError);
  CHECK_THROWS_AS(f.stacked_series("satisfaction"), analysis::FileError);
}

TEST_CASE("parallel runner rethrows Interrupted after the runs in flight stop", "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "exp.h5";
  const auto tasks = make_tasks(8);
  std::atomic<int> finished{0};
  auto fn = [&](std::size_t i) {
    if (i == 4) std::raise(SIGINT);
    sim::throw_if_interrupted();  // what the simulation loop does once per day
    ++finished;
    return fake_record(static_cast<double>(i));
  };
  sim::InterruptGuard guard;
  sim::ResultsWriter w(file, false, false);
  CHECK_THROWS_AS(sim::run_all(tasks, w, fn, quiet(true)), sim::Interrupted);
  int parts = 0;
  for (const auto& t : tasks) parts += w.has_run(t.name) ? 1 : 0;
  CHECK(parts == finished.load());  // every run that finished was kept, none half-written
  CHECK(parts < 8);
  CHECK_FALSE(fs::exists(file));
}

TEST_CASE("runner rejects bad run names before running anything", "[unit][results]") {
  TempDir tmp;
  sim::ResultsWriter w(tmp.path() / "exp.h5", false, false);
  auto tasks = make_tasks(3);
  tasks[2].name = "my policy.r002";
  int calls = 0;
  auto fn = [&](std::size_t i) {
    ++calls;
    return fake_record(static_cast<double>(i));
  };
  CHECK_THROWS_AS(sim::run_all(tasks, w, fn, quiet(false)), sim::InputError);
  CHECK(calls == 0);
  w.finish({}, {});
  CHECK_THROWS_AS(w.write_run("a.r000", fake_record(0)), std::logic_error);
}

TEST_CASE("numeric run attributes are stored as numbers and read back as the same text",
          "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "exp.h5";
  sim::RunRecord rec = fake_record(0);
  rec.attributes = {{"policy", "2024"},  // a name that looks like a number stays text
                    {"replicate", "3"},
                    {"seed", "007"},  // not canonical: kept as text
                    {"parameter:hotline.call_takers", "169.48493832729224"},
                    {"parameter:routing.transfer_delay_h", "2.50"},
                    {"days", "90"},        // declared a number by the record below
                    {"residents", "12"}};  // not declared: text, whatever it looks like
  rec.numeric_attributes = {"days"};
  {
    sim::ResultsWriter w(file, false, false);
    w.write_run("p.r003", rec);
    CHECK(w.stored_attributes("p.r003") == rec.attributes);  // what --resume compares
    w.finish({{"master_seed", "12"}}, {"p.r003"});
  }
  H5 f{H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  CHECK(int_attr(f.id, "master_seed") == 12);
  H5 g{H5Gopen2(f.id, "runs/p.r003", H5P_DEFAULT), H5Gclose};
  CHECK(int_attr(g.id, "replicate") == 3);
  CHECK(string_attr(g.id, "policy") == "2024");
  CHECK(string_attr(g.id, "seed") == "007");
  CHECK(string_attr(g.id, "parameter:routing.transfer_delay_h") == "2.50");
  CHECK(int_attr(g.id, "days") == 90);
  CHECK(string_attr(g.id, "residents") == "12");
  H5 a{H5Aopen(g.id, "parameter:hotline.call_takers", H5P_DEFAULT), H5Aclose};
  double calls = 0;
  REQUIRE(H5Aread(a.id, H5T_NATIVE_DOUBLE, &calls) >= 0);
  CHECK(calls == 169.48493832729224);
  const analysis::ResultsFile reader(file);
  CHECK(reader.runs().front().replicate == 3);
  CHECK(reader.runs().front().seed == "007");
}

TEST_CASE("a results file with a run group removed is refused as incomplete", "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "exp.h5";
  {
    sim::ResultsWriter w(file, false, false);
    write_three_runs(w);
    w.finish(file_attributes(), kOrder);
  }
  CHECK(analysis::ResultsFile(file).runs().size() == 3);
  {
    H5 f{H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose};
    REQUIRE(H5Ldelete(f.id, "runs/baseline.r002", H5P_DEFAULT) >= 0);
  }
  CHECK_THROWS_WITH(analysis::ResultsFile(file),
                    Catch::Contains("incomplete: the file says 3 runs but holds 2"));
}

namespace {

// Flips one byte of `file` at `offset`.
void flip_byte(const fs::path& file, std::uint64_t offset) {
  std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
  io.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  io.get(c);
  io.seekp(static_cast<std::streamoff>(offset));
  io.put(static_cast<char>(c ^ 0x5a));
}

}  // namespace

TEST_CASE("a damaged chunk is reported by its Fletcher-32 checksum, not misread",
          "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "damaged.h5";
  {
    sim::ResultsWriter w(file, false, false);
    w.write_run("a.r000", fake_record(0.25));
    w.finish({}, {"a.r000"});
  }
  const std::string intact = read_bytes(file);
  // The first chunk of the chunked variable, located through HDF5.
  haddr_t chunk_address = 0;
  hsize_t chunk_bytes = 0;
  {
    H5 f{H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
    H5 ds{H5Dopen2(f.id, "runs/a.r000/queue_length", H5P_DEFAULT), H5Dclose};
    H5 space{H5Dget_space(ds.id), H5Sclose};
    std::vector<hsize_t> offset(2);
    unsigned filter_mask = 0;
    REQUIRE(H5Dget_chunk_info(ds.id, space.id, 0, offset.data(), &filter_mask, &chunk_address,
                              &chunk_bytes) >= 0);
  }
  flip_byte(file, chunk_address + chunk_bytes / 2);
  {
    const analysis::ResultsFile f(file);
    CHECK_THROWS_WITH(f.variable("a.r000", "queue_length"),
                      Catch::Contains("Fletcher32") || Catch::Contains("checksum"));
  }
  std::ofstream(file, std::ios::binary | std::ios::trunc) << intact;
  CHECK(analysis::ResultsFile(file).variable("a.r000", "queue_length").data.size() ==
        kDays * kDistricts.size());
}

TEST_CASE("a dataset whose shape claims more than the reader's bound is refused, not allocated",
          "[unit][results]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "huge.h5";
  {
    sim::ResultsWriter w(file, false, false);
    w.write_run("a.r000", fake_record(0));
    w.finish({}, {"a.r000"});
  }
  {
    // 2^40 values declared, none written: a few bytes on disk.
    H5 f{H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose};
    const hsize_t dims[1] = {hsize_t{1} << 40}, chunk[1] = {1024};
    H5 space{H5Screate_simple(1, dims, nullptr), H5Sclose};
    H5 dcpl{H5Pcreate(H5P_DATASET_CREATE), H5Pclose};
    REQUIRE(H5Pset_chunk(dcpl.id, 1, chunk) >= 0);
    H5 ds{H5Dcreate2(f.id, "runs/a.r000/huge", H5T_IEEE_F64LE, space.id, H5P_DEFAULT, dcpl.id,
                     H5P_DEFAULT),
          H5Dclose};
    REQUIRE(ds.id >= 0);
  }
  CHECK(fs::file_size(file) < 1'000'000);
  const analysis::ResultsFile f(file);
  CHECK_THROWS_WITH(f.variable("a.r000", "huge"), Catch::Contains("1099511627776 values") &&
                                                      Catch::Contains("damaged or not govsim's"));
}

TEST_CASE("an error that stops an experiment leaves the runs in flight to finish whole",
          "[unit][results]") {
  if (tbb::this_task_arena::max_concurrency() < 2) {
    WARN("skipped: needs two threads");
    return;
  }
  TempDir tmp;
  sim::ResultsWriter w(tmp.path() / "stop.h5", false, false);
  const std::vector<sim::RunTask> tasks = {{"a.r000", {}, ""}, {"b.r000", {}, ""}};
  std::atomic<bool> b_started{false};
  // Run a stops the experiment while run b is inside its parallel loops; if the stop cancelled
  // b's loops (TBB cancels a group on an escaping exception), b's sums would come out short.
  const auto fn = [&](std::size_t i) {
    if (i == 0) {
      for (int wait = 0; wait < 2000 && !b_started; ++wait)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      throw sim::Interrupted();
    }
    b_started = true;
    double wrong = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    while (std::chrono::steady_clock::now() < until) {
      constexpr std::size_t kN = 1 << 16;
      const double sum = tbb::parallel_reduce(
          tbb::blocked_range<std::size_t>(0, kN, 64), 0.0,
          [](const tbb::blocked_range<std::size_t>& r, double s) {
            for (std::size_t k = r.begin(); k != r.end(); ++k) s += static_cast<double>(k);
            return s;
          },
          std::plus<>());
      wrong += sum == static_cast<double>(kN) * (kN - 1) / 2 ? 0 : 1;
    }
    sim::RunRecord r;
    r.summary = {{"wrong_sums", "1", "parallel sums that came out short", wrong}};
    return r;
  };
  CHECK_THROWS_AS(sim::run_all(tasks, w, fn, quiet(true)), sim::Interrupted);
  REQUIRE(w.has_run("b.r000"));
  w.finish({}, {"b.r000"});
  const analysis::ResultsFile f(tmp.path() / "stop.h5");
  REQUIRE(f.summary("b.r000").size() == 1);
  CHECK(f.summary("b.r000")[0].value == 0);
}
