#include "sim/experiment_runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "sim/errors.hpp"
#include "sim/interrupt.hpp"
#include "sim/progress.hpp"

namespace sim {
namespace {

std::string shorten(const std::string& text) {
  constexpr std::size_t kMax = 60;
  std::string one_line = text.substr(0, text.find('\n'));
  if (one_line.size() <= kMax && one_line.size() == text.size()) return one_line;
  return one_line.substr(0, kMax) + "...";
}

// Bad names are found before any run starts, not after hours of computing.
void check_names(const std::vector<RunTask>& tasks) {
  std::set<std::string> names;
  for (const auto& t : tasks) {
    ResultsWriter::check_run_name(t.name);
    if (!names.insert(t.name).second)
      throw std::invalid_argument("run_all: duplicate run name " + t.name);
  }
}

// Resuming with a changed experiment would silently mix runs made with different parameters.
void check_resumed_run(const RunTask& task, const ResultsWriter& writer) {
  const Attributes stored = writer.stored_attributes(task.name);
  for (const auto& [key, value] : task.attributes) {
    auto it = std::find_if(stored.begin(), stored.end(),
                           [&key = key](const auto& kv) { return kv.first == key; });
    if (it != stored.end() && it->second == value) continue;
    const std::string before =
        it == stored.end() ? std::string("(none)") : fmt::format("'{}'", shorten(it->second));
    throw InputError(fmt::format(
        "{}: run {} was made with {} = {}, but the experiment now gives '{}'; the experiment "
        "changed since it was interrupted: run it again with --overwrite",
        writer.parts_dir().string(), task.name, key, before, shorten(value)));
  }
}

void merge_attributes(RunRecord& record, const Attributes& task_attributes) {
  Attributes merged = task_attributes;
  for (auto& kv : record.attributes) {
    auto same = [&](const auto& t) { return t.first == kv.first; };
    if (std::none_of(task_attributes.begin(), task_attributes.end(), same))
      merged.push_back(std::move(kv));
  }
  record.attributes = std::move(merged);
}

class Runner {
 public:
  Runner(const std::vector<RunTask>& tasks, ResultsWriter& writer,
         const std::function<RunRecord(std::size_t)>& fn, Progress& progress)
      : tasks_(tasks), writer_(writer), fn_(fn), progress_(progress) {}

  void run(std::size_t i) {
    throw_if_interrupted();
    const bool ok = attempt(i);
    progress_.set_label(ok ? tasks_[i].name : tasks_[i].name + " FAILED");
    progress_.advance();
  }

  std::size_t completed() const { return completed_.load(); }
  std::size_t failed() const { return failed_.load(); }

 private:
  // Returns false when the run failed (and was recorded as such).
  bool attempt(std::size_t i) {
    const RunTask& task = tasks_[i];
    std::string error;
    try {
      RunRecord record = tbb::this_task_arena::isolate([&] { return fn_(i); });
      merge_attributes(record, task.attributes);
      writer_.write_run(task.name, record);
      ++completed_;
      return true;
    } catch (const Interrupted&) {
      throw;
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown exception (not derived from std::exception)";
    }
    writer_.record_failure(task.name, error, task.attributes);
    ++failed_;
    return false;
  }

  const std::vector<RunTask>& tasks_;
  ResultsWriter& writer_;
  const std::function<RunRecord(std::size_t)>& fn_;
  Progress& progress_;
  std::atomic<std::size_t> completed_{0};
  std::atomic<std::size_t> failed_{0};
};

}  // namespace

RunnerReport run_all(const std::vector<RunTask>& tasks, ResultsWriter& writer,
                     const std::function<RunRecord(std::size_t)>& fn,
                     const RunnerOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  check_names(tasks);
  RunnerReport report;
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (writer.has_run(tasks[i].name)) {
      check_resumed_run(tasks[i], writer);
      ++report.skipped;
    } else {
      todo.push_back(i);
    }
  }
  // Runs sharing a set-up are made adjacent: set-ups in the order they first appear.
  std::map<std::string, std::size_t> first_of_setup;
  for (std::size_t i : todo) first_of_setup.emplace(tasks[i].shared_setup, i);
  std::stable_sort(todo.begin(), todo.end(), [&](std::size_t a, std::size_t b) {
    return first_of_setup[tasks[a].shared_setup] < first_of_setup[tasks[b].shared_setup];
  });
  Progress progress("runs", todo.size(), options.show_progress);
  Runner runner(tasks, writer, fn, progress);
  if (options.parallel_runs) {
    // One loop per thread, each taking the next run in order: the runs in flight are neighbours
    // in `todo`, so they share set-ups (splitting the range instead would run its two halves).
    std::atomic<std::size_t> next{0};
    const auto loops =
        std::min(static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()),
                 tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, loops, 1),
        [&](const tbb::blocked_range<std::size_t>& r) {
          for (std::size_t l = r.begin(); l != r.end(); ++l) {
            for (std::size_t k = next++; k < todo.size(); k = next++) runner.run(todo[k]);
          }
        },
        tbb::simple_partitioner());
  } else {
    for (std::size_t i : todo) runner.run(i);
  }
  progress.finish();
  report.completed = runner.completed();
  report.failed = runner.failed();
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace sim
