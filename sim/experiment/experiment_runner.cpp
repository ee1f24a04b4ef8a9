#include "sim/experiment/experiment_runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstring>
#include <exception>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "sim/errors.hpp"
#include "sim/experiment/interrupt.hpp"
#include "sim/experiment/mpi_world.hpp"
#include "sim/experiment/progress.hpp"
#include "sim/results/record_codec.hpp"

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

// A run's outcome: its record, or why it failed.
struct Outcome {
  std::optional<RunRecord> record;
  std::string error;
};

// Makes run i here; anything thrown but Interrupted becomes the failure message.
Outcome make_run(const std::function<RunRecord(std::size_t)>& fn, std::size_t i) {
  try {
    return {tbb::this_task_arena::isolate([&] { return fn(i); }), {}};
  } catch (const Interrupted&) {
    throw;
  } catch (const std::exception& e) {
    return {std::nullopt, e.what()};
  } catch (...) {
    return {std::nullopt, "unknown exception (not derived from std::exception)"};
  }
}

// Stores outcomes, counts them and keeps the progress line; thread-safe for distinct runs.
class Runner {
 public:
  Runner(const std::vector<RunTask>& tasks, ResultsWriter& writer, Progress& progress)
      : tasks_(tasks), writer_(writer), progress_(progress), stored_(tasks.size(), 0) {}

  // A run whose record cannot be stored (e.g. the disk is full) is recorded as failed.
  void store(std::size_t i, Outcome outcome) {
    const RunTask& task = tasks_[i];
    if (outcome.record) {
      try {
        merge_attributes(*outcome.record, task.attributes);
        writer_.write_run(task.name, *outcome.record);
      } catch (const OutputError&) {
        throw;  // no room for results stops the experiment; it is no fault of this run
      } catch (const std::exception& e) {
        outcome = {std::nullopt, e.what()};
      }
    }
    if (outcome.record) {
      ++completed_;
    } else {
      writer_.record_failure(task.name, outcome.error, task.attributes);
      ++failed_;
    }
    stored_[i] = 1;
    progress_.set_label(outcome.record ? task.name : task.name + " FAILED");
    progress_.advance();
  }

  std::size_t size() const { return tasks_.size(); }
  std::size_t completed() const { return completed_.load(); }
  std::size_t failed() const { return failed_.load(); }

  // "interrupted with N of M runs unfinished: a, b, ..." (the first few names).
  std::string unfinished(const std::vector<std::size_t>& todo) const {
    std::vector<std::string> names;
    for (std::size_t i : todo)
      if (stored_[i] == 0) names.push_back(tasks_[i].name);
    constexpr std::size_t kShown = 8;
    std::string list;
    for (std::size_t k = 0; k < std::min(names.size(), kShown); ++k)
      list += (k == 0 ? "" : ", ") + names[k];
    if (names.size() > kShown) list += fmt::format(" and {} more", names.size() - kShown);
    return fmt::format("interrupted with {} of {} runs unfinished{}{}", names.size(), todo.size(),
                       names.empty() ? "" : ": ", list);
  }

 private:
  const std::vector<RunTask>& tasks_;
  ResultsWriter& writer_;
  Progress& progress_;
  std::vector<char> stored_;  // one element per task, each written by one thread only
  std::atomic<std::size_t> completed_{0};
  std::atomic<std::size_t> failed_{0};
};

// The run protocol's messages start with the run's index in the experiment.
std::string with_index(std::size_t i, std::string_view rest) {
  const auto index = static_cast<std::uint64_t>(i);
  std::string out(reinterpret_cast<const char*>(&index), sizeof index);
  out.append(rest);
  return out;
}

std::pair<std::size_t, std::string_view> split_index(const std::string& bytes) {
  std::uint64_t index = 0;
  if (bytes.size() < sizeof index) throw std::runtime_error("run protocol: message too short");
  std::memcpy(&index, bytes.data(), sizeof index);
  return {static_cast<std::size_t>(index), std::string_view(bytes).substr(sizeof index)};
}

// MPI counts bytes in an int; the index takes 8 of them.
constexpr std::size_t kMaxMessageBytes = INT_MAX - sizeof(std::uint64_t);

void pause_briefly() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// Rank 0's list of free run slots on the workers: each worker announces its slots once (hello)
// and they stay known across run_all calls (a calibration calls it once per generation).
std::vector<int>& free_worker_slots() {
  static std::vector<int> slots;
  return slots;
}

// Rank 0 of an MPI job: hands the runs to the workers' free slots, first come first served, and
// stores what they send back. Workers keep no state between runs, so a failed or lost one costs
// only its run.
void run_on_workers(const std::vector<std::size_t>& todo, Runner& runner,
                    const std::function<std::string(std::size_t)>& payload) {
  std::vector<int>& free = free_worker_slots();
  std::size_t next = 0, in_flight = 0;
  while (next < todo.size() || in_flight > 0) {
    throw_if_interrupted();
    while (!free.empty() && next < todo.size()) {
      const std::size_t i = todo[next++];
      mpi_send(free.front(), MpiTag::run, with_index(i, payload(i)));
      free.erase(free.begin());
      ++in_flight;
    }
    auto message = mpi_poll();
    if (!message) {
      pause_briefly();
      continue;
    }
    if (message->tag == MpiTag::hello) {
      const int slots = std::clamp(std::atoi(message->bytes.c_str()), 1, 4096);
      free.insert(free.end(), static_cast<std::size_t>(slots), message->source);
      continue;
    }
    if (message->tag != MpiTag::record && message->tag != MpiTag::failure)
      throw std::runtime_error(
          fmt::format("run protocol: unexpected message from rank {}", message->source));
    const auto [i, rest] = split_index(message->bytes);
    if (i >= runner.size())
      throw std::runtime_error(fmt::format("run protocol: rank {} answered for run {} of {}",
                                           message->source, i, runner.size()));
    Outcome outcome;
    if (message->tag == MpiTag::record) {
      try {
        outcome.record = decode_record(rest);
      } catch (const std::exception& e) {
        outcome.error = fmt::format("from rank {}: {}", message->source, e.what());
      }
    } else {
      outcome.error = std::string(rest);
    }
    runner.store(i, std::move(outcome));
    free.push_back(message->source);
    --in_flight;
  }
}

// A worker's reply to run i: its record, or a failure naming the rank (also when the record is
// beyond MPI's message size: that fails the run, not the job).
std::pair<MpiTag, std::string> reply_for(std::size_t i, Outcome outcome) {
  if (outcome.record) {
    std::string encoded = encode_record(*outcome.record);
    if (encoded.size() <= kMaxMessageBytes) return {MpiTag::record, with_index(i, encoded)};
    outcome.error =
        fmt::format("the run's record ({} bytes) is beyond MPI's message size", encoded.size());
  }
  return {MpiTag::failure, with_index(i, mpi_rank_label() + ": " + outcome.error)};
}

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
  Runner runner(tasks, writer, progress);
  auto run_here = [&](std::size_t i) {
    throw_if_interrupted();
    runner.store(i, make_run(fn, i));
  };
  try {
    if (options.remote_payload && mpi_size() > 1) {
      run_on_workers(todo, runner, options.remote_payload);
    } else if (options.parallel_runs) {
      // One loop per thread, each taking the next run in order: the runs in flight are neighbours
      // in `todo`, so they share set-ups (splitting the range instead would run its two halves).
      // No exception may leave a loop: TBB would cancel the group, and the cancellation reaches
      // the parallel loops inside the runs still in flight, which would then skip work and
      // finish with wrong numbers. The first error stops the loops taking runs and is rethrown
      // once the runs in flight have ended (an interrupt ends them within a simulated day).
      std::atomic<std::size_t> next{0};
      std::atomic<bool> stop{false};
      std::mutex error_mutex;
      std::exception_ptr first_error;
      const auto loops =
          std::min(static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()),
                   tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, loops, 1),
          [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t l = r.begin(); l != r.end(); ++l) {
              for (std::size_t k = next++; k < todo.size() && !stop; k = next++) {
                try {
                  run_here(todo[k]);
                } catch (...) {
                  std::lock_guard lock(error_mutex);
                  if (!first_error) first_error = std::current_exception();
                  stop = true;
                }
              }
            }
          },
          tbb::simple_partitioner());
      if (first_error) std::rethrow_exception(first_error);
    } else {
      for (std::size_t i : todo) run_here(i);
    }
  } catch (const Interrupted&) {
    throw Interrupted(runner.unfinished(todo));  // once no run is in flight here
  }
  progress.finish();
  report.completed = runner.completed();
  report.failed = runner.failed();
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

int serve_runs(const std::function<RunRecord(const std::string& payload)>& fn, int slots) {
  // Runs are made on threads of their own (each using TBB inside) so that this thread, the only
  // one that calls MPI, stays free to receive the next run and send the finished ones.
  struct Slot {
    std::thread thread;
    std::atomic<bool> finished{false};
  };
  std::list<Slot> running;
  std::mutex replies_mutex;
  std::vector<std::pair<MpiTag, std::string>> replies;
  auto join_finished = [&](bool all) {
    for (auto it = running.begin(); it != running.end();) {
      if (all || it->finished.load()) {
        it->thread.join();
        it = running.erase(it);
      } else {
        ++it;
      }
    }
  };
  auto send_replies = [&] {
    std::vector<std::pair<MpiTag, std::string>> ready;
    {
      std::lock_guard lock(replies_mutex);
      ready.swap(replies);
    }
    for (auto& [tag, bytes] : ready) mpi_send(0, tag, std::move(bytes));
  };
  try {
    mpi_send(0, MpiTag::hello, std::to_string(std::max(slots, 1)));
    while (true) {
      throw_if_interrupted();
      join_finished(false);
      send_replies();
      auto message = mpi_poll();
      if (!message) {
        pause_briefly();
        continue;
      }
      if (message->tag == MpiTag::stop) break;
      if (message->tag != MpiTag::run)
        throw std::runtime_error(
            fmt::format("run protocol: unexpected message from rank {}", message->source));
      auto [i, payload] = split_index(message->bytes);
      Slot& slot = running.emplace_back();
      slot.thread = std::thread([&, done = &slot.finished, i = i, text = std::string(payload)] {
        std::optional<std::pair<MpiTag, std::string>> reply;
        try {
          reply = reply_for(i, make_run([&](std::size_t) { return fn(text); }, i));
        } catch (const Interrupted&) {
          // No reply: rank 0 is stopping too and reports the unfinished runs.
        } catch (const std::exception& e) {
          reply = {MpiTag::failure, with_index(i, mpi_rank_label() + ": " + e.what())};
        }
        if (reply) {
          std::lock_guard lock(replies_mutex);
          replies.push_back(std::move(*reply));
        }
        *done = true;
      });
    }
    join_finished(true);
    send_replies();
    mpi_flush_sends();
  } catch (const Interrupted&) {
    join_finished(true);
    return kExitInterrupted;
  } catch (...) {
    join_finished(true);
    throw;
  }
  return kExitOk;
}

}  // namespace sim
