#include "h5/handle.hpp"

#include <hdf5_hl.h>

#include <cerrno>
#include <utility>

namespace h5 {
namespace {

herr_t keep_innermost(unsigned n, const H5E_error2_t* err, void* out) {
  if (n == 0 && err->desc != nullptr) *static_cast<std::string*>(out) = err->desc;
  return 0;
}

herr_t keep_first_scale(hid_t, unsigned, hid_t scale, void* out) {
  // H5DS closes `scale` after the callback; the extra reference keeps it open for the caller.
  *static_cast<hid_t*>(out) = H5Iinc_ref(scale) >= 0 ? scale : -1;
  return 1;  // one scale per axis: stop after the first
}

}  // namespace

Error::Error(std::string_view what, std::string detail, int os_error)
    : std::runtime_error(std::string(what)), detail_(std::move(detail)), os_error_(os_error) {}

void fail(std::string_view what) {
  // HDF5's file drivers leave the failed system call's errno (and quote it in their message).
  const int os_error = errno;
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &detail);
  H5Eclear2(H5E_DEFAULT);
  // Only a message that quotes errno comes from a system call; otherwise errno is stale.
  const bool from_system = detail.find("errno = ") != std::string::npos;
  throw Error(what, std::move(detail), from_system ? os_error : 0);
}

void skip_library_shutdown_at_exit() {
  H5dont_atexit();
}

void check(herr_t status, std::string_view what) {
  if (status < 0) fail(what);
}

ErrorSilencer::ErrorSilencer() {
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

ErrorSilencer::~ErrorSilencer() {
  H5Eset_auto2(H5E_DEFAULT, func_, data_);
}

Handle::Handle(hid_t id, Closer closer, std::string_view what) : id_(id), closer_(closer) {
  if (id_ < 0) fail(what);
}

Handle::~Handle() {
  if (id_ >= 0) closer_(id_);
}

void Handle::close(std::string_view what) {
  if (id_ >= 0) check(closer_(std::exchange(id_, -1)), what);
}

Handle::Handle(Handle&& other) noexcept
    : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}

Handle open_group(hid_t loc, const std::string& name, std::string_view what) {
  return {H5Gopen2(loc, name.c_str(), H5P_DEFAULT), H5Gclose, what};
}

Handle open_dataset(hid_t loc, const std::string& name, std::string_view what) {
  return {H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, what};
}

Handle open_object(hid_t loc, const std::string& name, std::string_view what) {
  return {H5Oopen(loc, name.c_str(), H5P_DEFAULT), H5Oclose, what};
}

Handle variable_string_type(H5T_cset_t cset) {
  Handle t{H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy"};
  check(H5Tset_size(t.get(), H5T_VARIABLE), "H5Tset_size");
  check(H5Tset_cset(t.get(), cset), "H5Tset_cset");
  return t;
}

bool is_dimension_scale_attribute(std::string_view name) {
  return name == "CLASS" || name == "NAME" || name == "REFERENCE_LIST" || name == "DIMENSION_LIST";
}

Handle attached_scale(hid_t ds, unsigned axis, std::string_view what) {
  hid_t scale_id = -1;
  check(H5DSiterate_scales(ds, axis, nullptr, keep_first_scale, &scale_id), what);
  return {scale_id, H5Dclose, "reading dimension scale"};
}

std::optional<std::string> scale_name(hid_t scale) {
  const ssize_t n = H5DSget_scale_name(scale, nullptr, 0);
  if (n < 0) return std::nullopt;
  std::string name(static_cast<std::size_t>(n) + 1, '\0');
  if (H5DSget_scale_name(scale, name.data(), name.size()) < 0) return std::nullopt;
  name.resize(static_cast<std::size_t>(n));
  return name;
}

}  // namespace h5
