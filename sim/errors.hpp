#pragma once
// Typed errors thrown by library code; only the command line prints them and picks the exit code.
#include <stdexcept>
#include <string>

namespace sim {

// Exit codes documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;

// Position of a value in an input file; line and column are 1-based, 0 when unknown.
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
};

// Bad input from the user: a scenario, experiment, data file or flag.
// what() reads "FILE:LINE:COL: key.path: message" (parts that are unknown are left out).
class InputError : public std::runtime_error {
 public:
  InputError(SourceLoc loc, std::string key_path, std::string message);
  explicit InputError(std::string message) : InputError({}, {}, std::move(message)) {}

  const SourceLoc& loc() const { return loc_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& message() const { return message_; }

 private:
  SourceLoc loc_;
  std::string key_path_;
  std::string message_;
};

// The results cannot be written where they go (no space left, quota, read-only or failing
// disk): the experiment stops, finished runs are kept for --resume, exit code 2 as for any input
// the user can fix. what() names the file and the system's reason.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run was stopped by SIGINT/SIGTERM; partial work is kept for --resume. what() is "interrupted"
// or, from the experiment runner, which runs were left unfinished.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
  explicit Interrupted(const std::string& detail) : std::runtime_error(detail) {}
};

}  // namespace sim
