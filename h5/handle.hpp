#pragma once
// What the results writer (sim/results/results_file.cpp) and the results reader
// (analysis/results_reader.cpp) share of HDF5: owning identifiers, failed calls as exceptions, and
// a few type and dimension-scale helpers. Internal to those .cpp files, so that hdf5.h stays out
// of the public headers of sim/ and analysis/. HDF5 keeps global state: callers serialise calls.
#include <hdf5.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace h5 {

// A failed HDF5 call or check. what() is the caller's description of the operation; detail() is
// HDF5's innermost error message, empty when there is none. Writer and reader each turn it into
// their own error type, worded their own way, at their API.
class Error : public std::runtime_error {
 public:
  Error(std::string_view what, std::string detail, int os_error = 0);
  const std::string& detail() const { return detail_; }
  // errno of the failed system call beneath (e.g. ENOSPC from a write), 0 when there was none.
  int os_error() const { return os_error_; }

 private:
  std::string detail_;
  int os_error_ = 0;
};

// Throws Error for `what` with HDF5's innermost message, and clears HDF5's error stack so the
// next failure does not report this one.
[[noreturn]] void fail(std::string_view what);
// fail(what) when `status` is negative.
void check(herr_t status, std::string_view what);

// Call first in main: HDF5's shutdown at exit closes nothing govsim has not closed itself, and
// after meeting a damaged object header libhdf5 1.10 loops in it and prints a screenful of
// noise under govsim's own message.
void skip_library_shutdown_at_exit();

// HDF5 prints its error stack on stderr by default; while this lives, errors are reported only
// through exceptions.
class ErrorSilencer {
 public:
  ErrorSilencer();
  ~ErrorSilencer();
  ErrorSilencer(const ErrorSilencer&) = delete;
  ErrorSilencer& operator=(const ErrorSilencer&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// Owns an HDF5 identifier and closes it with the matching H5?close function. A negative `id`
// (the failure of the call that made it) throws Error for `what`.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle(hid_t id, Closer closer, std::string_view what);
  ~Handle();
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&&) = delete;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  // Closes now and throws Error for `what` when closing fails: for a file, closing flushes, so a
  // failed close is a failed write (the destructor cannot report it).
  void close(std::string_view what);

 private:
  hid_t id_;
  Closer closer_;
};

// Opening by link name; `what` is the message of the Error thrown when it fails.
Handle open_group(hid_t loc, const std::string& name, std::string_view what);
Handle open_dataset(hid_t loc, const std::string& name, std::string_view what);
Handle open_object(hid_t loc, const std::string& name, std::string_view what);

// A variable-length string type in `cset`: how govsim writes text, and how text of that
// character set is read into char* buffers that HDF5 allocates.
Handle variable_string_type(H5T_cset_t cset);

// Attributes that H5DS maintains on scales and the datasets using them: bookkeeping to rebuild
// or skip, not metadata anyone wrote.
bool is_dimension_scale_attribute(std::string_view name);

// H5DS through checks: each throws Error(`what`) when HDF5 fails or the dimension-scale
// attributes it would read are damaged (libhdf5_hl reads them unchecked). Whether `obj` is a
// dimension scale; how many scales `axis` of dataset `ds` has; the scale attached to `axis` (the
// first, when there are several).
bool is_scale(hid_t obj, std::string_view what);
int scale_count(hid_t ds, unsigned axis, std::string_view what);
Handle attached_scale(hid_t ds, unsigned axis, std::string_view what);

// The name given to dimension scale `scale` (empty if none), or nullopt when HDF5 cannot read it;
// HDF5's error stack is left for the caller to report.
std::optional<std::string> scale_name(hid_t scale);

}  // namespace h5
