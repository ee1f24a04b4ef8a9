#include "sim/results/results_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <system_error>

#include "sim/results/hdf5_detail.hpp"

namespace fs = std::filesystem;

namespace sim {
namespace detail {

// Durable file operations: a part or the final file exists whole or not at all.

void fsync_path(const fs::path& path, bool directory) {
  const int flags = O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0);
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "opening " + path.string());
  const int status = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (status != 0)
    throw std::system_error(saved, std::generic_category(), "fsync " + path.string());
}

// After this returns, `dest` holds the complete content of `tmp` even across a power loss.
void durable_rename(const fs::path& tmp, const fs::path& dest) {
  try {
    fsync_path(tmp, false);
    fs::rename(tmp, dest);
    const fs::path dir = dest.parent_path();
    fsync_path(dir.empty() ? fs::path(".") : dir, true);
  } catch (const std::system_error& e) {
    if (output_condition(e.code().value())) throw OutputError(e.what());
    throw;
  }
}

fs::path with_suffix(const fs::path& path, std::string_view suffix) {
  fs::path out = path;
  out += suffix;
  return out;
}

int acquire_lock(const fs::path& lock_path, const fs::path& final_path) {
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "creating " + lock_path.string());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd);
    if (saved == EWOULDBLOCK)
      throw InputError(
          fmt::format("{}: another govsim process is writing this experiment (lock {})",
                      final_path.string(), lock_path.string()));
    throw std::system_error(saved, std::generic_category(), "locking " + lock_path.string());
  }
  return fd;
}

void check_final_file(const fs::path& final_path, bool resume, bool overwrite) {
  if (overwrite || !fs::exists(final_path)) return;
  if (resume)
    throw InputError(fmt::format(
        "{}: the experiment is already complete; nothing to resume (use --overwrite to run it "
        "again)",
        final_path.string()));
  throw InputError(fmt::format(
      "{}: file exists; use --overwrite to replace it, --resume to continue an interrupted "
      "experiment, or another output path",
      final_path.string()));
}

}  // namespace detail

namespace {

using namespace detail;  // NOLINT(google-build-using-namespace): the file's own plumbing

constexpr const char* kRunsDir = "runs";
constexpr const char* kFailuresDir = "failures";
constexpr const char* kLockName = ".lock";

}  // namespace

ResultsWriter::ResultsWriter(fs::path final_path, bool resume, bool overwrite)
    : final_path_(std::move(final_path)), parts_dir_(with_suffix(final_path_, ".parts")) {
  check_final_file(final_path_, resume, overwrite);
  fs::create_directories(parts_dir_);
  lock_fd_ = acquire_lock(parts_dir_ / kLockName, final_path_);
  try {
    if (!resume) {
      for (const auto& entry : fs::directory_iterator(parts_dir_))
        if (entry.path().filename() != kLockName) fs::remove_all(entry.path());
    }
    fs::create_directories(parts_dir_ / kRunsDir);
    fs::create_directories(parts_dir_ / kFailuresDir);
    scan_parts();
  } catch (...) {
    // The destructor does not run for a half-constructed writer; release the lock here.
    ::close(lock_fd_);
    throw;
  }
}

void ResultsWriter::check_run_name(const std::string& run_name) {
  validate_run_name(run_name);
}

void ResultsWriter::check_not_finished() const {
  if (finished_) throw std::logic_error("ResultsWriter used after finish()");
}

ResultsWriter::~ResultsWriter() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

fs::path ResultsWriter::part_path(const std::string& run_name) const {
  return parts_dir_ / kRunsDir / (run_name + ".h5");
}

fs::path ResultsWriter::failure_path(const std::string& run_name) const {
  return parts_dir_ / kFailuresDir / (run_name + ".h5");
}

// Temporary files are what a crash left behind while writing a part; they are never complete.
void ResultsWriter::scan_parts() {
  for (const std::string_view sub : {kRunsDir, kFailuresDir}) {
    for (const auto& entry : fs::directory_iterator(parts_dir_ / sub)) {
      const fs::path& p = entry.path();
      if (p.extension() == ".tmp") {
        fs::remove(p);
      } else if (sub == kRunsDir && p.extension() == ".h5") {
        done_.insert(p.stem().string());
      }
    }
  }
}

bool ResultsWriter::has_run(const std::string& run_name) const {
  std::lock_guard lock(mutex_);
  return done_.count(run_name) != 0;
}

Attributes ResultsWriter::stored_attributes(const std::string& run_name) const {
  if (!has_run(run_name)) throw std::logic_error("no finished part for run " + run_name);
  return with_hdf5([&] {
    Handle file = open_file_readonly(part_path(run_name));
    Handle group = h5::open_group(file.get(), "run", "opening run group");
    return own_attributes(group.get());
  });
}

void ResultsWriter::write_run(const std::string& run_name, const RunRecord& record) {
  check_not_finished();
  validate_run_name(run_name);
  validate_record(record);
  write_part(part_path(run_name), [&](hid_t file) { write_run_group(file, "run", record); });
  fs::remove(failure_path(run_name));
  std::lock_guard lock(mutex_);
  done_.insert(run_name);
}

void ResultsWriter::record_failure(const std::string& run_name, const std::string& message,
                                   const Attributes& run_attributes) {
  check_not_finished();
  validate_run_name(run_name);
  validate_attributes(run_attributes, {"message"});
  write_part(failure_path(run_name), [&](hid_t file) {
    Handle group = create_group(file, "failure");
    write_string_attribute(group.get(), "message", message);
    write_attributes(group.get(), run_attributes);
  });
}

void ResultsWriter::import_run(const fs::path& results_file, const std::string& run_name) {
  check_not_finished();
  validate_run_name(run_name);
  write_part(part_path(run_name), [&](hid_t file) {
    Handle src = open_file_readonly(results_file);
    copy_run(src.get(), file, "run", "runs/" + run_name);
  });
  fs::remove(failure_path(run_name));
  std::lock_guard lock(mutex_);
  done_.insert(run_name);
}

void ResultsWriter::finish(const Attributes& file_attributes,
                           const std::vector<std::string>& run_order,
                           const std::vector<std::string>& stack_by) {
  check_not_finished();
  validate_attributes(file_attributes, {"format", "format_version", "runs", "failed_runs"});
  MergePlan plan;
  std::vector<std::string> missing;
  std::set<std::string> seen;
  for (const auto& name : run_order) {
    validate_run_name(name);
    if (!seen.insert(name).second) throw std::invalid_argument("run listed twice: " + name);
    if (fs::exists(part_path(name))) {
      plan.runs.push_back(name);
    } else if (fs::exists(failure_path(name))) {
      plan.failures.push_back(name);
    } else {
      missing.push_back(name);
    }
  }
  if (!missing.empty())
    throw std::logic_error(
        fmt::format("finish: {} run(s) have no part, e.g. {}", missing.size(), missing.front()));
  write_part(final_path_, [&](hid_t file) {
    merge_parts(file, plan, file_attributes, stack_by, [this](const std::string& name, bool ok) {
      return ok ? part_path(name) : failure_path(name);
    });
  });
  fs::remove_all(parts_dir_);
  ::close(lock_fd_);
  lock_fd_ = -1;
  finished_ = true;
}

void ResultsWriter::discard() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  std::error_code ignored;
  fs::remove_all(parts_dir_, ignored);
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
  finished_ = true;
}

}  // namespace sim
