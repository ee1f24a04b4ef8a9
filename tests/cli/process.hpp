#pragma once
// Runs the govsim binary as a user would, capturing its output, for the command-line tests.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace test {

struct Process {
  pid_t pid = -1;
};

// Starts `program args...` (a path, or a name looked up on PATH) in `cwd` with stdout and stderr
// sent to files.
inline Process spawn_program(const std::string& program, const std::vector<std::string>& args,
                             const std::filesystem::path& out, const std::filesystem::path& err,
                             const std::filesystem::path& cwd = {}) {
  std::vector<std::string> argv_s = {program};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  Process p;
  if (posix_spawnp(&p.pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) p.pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  return p;
}

// Starts `GOVSIM_BINARY args...` in `cwd` with stdout and stderr sent to files.
inline Process spawn_govsim(const std::vector<std::string>& args, const std::filesystem::path& out,
                            const std::filesystem::path& err,
                            const std::filesystem::path& cwd = {}) {
  return spawn_program(GOVSIM_BINARY, args, out, err, cwd);
}

// Exit code, or 128 + signal number when killed by a signal.
inline int wait_exit(const Process& p) {
  int status = 0;
  waitpid(p.pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

inline std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Result {
  int code;
  std::string out, err;
};

inline Result run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::filesystem::path& dir, const std::filesystem::path& cwd = {}) {
  const auto out = dir / "stdout.txt", err = dir / "stderr.txt";
  const int code = wait_exit(spawn_program(program, args, out, err, cwd));
  return {code, slurp(out), slurp(err)};
}

inline Result run_govsim(const std::vector<std::string>& args, const std::filesystem::path& dir,
                         const std::filesystem::path& cwd = {}) {
  return run_program(GOVSIM_BINARY, args, dir, cwd);
}

// Waits (up to two minutes) until the results parts directory `parts_runs` holds a finished run.
// False when none appeared in time.
inline bool wait_for_first_part(const std::filesystem::path& parts_runs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(parts_runs, ec)) {
      if (e.path().extension() == ".h5") return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

// Sends SIGTERM to `p` once `parts_runs` holds a finished run; false (nothing sent) when none
// appeared in time.
inline bool terminate_after_first_part(const Process& p, const std::filesystem::path& parts_runs) {
  if (!wait_for_first_part(parts_runs)) return false;
  ::kill(p.pid, SIGTERM);
  return true;
}

}  // namespace test
