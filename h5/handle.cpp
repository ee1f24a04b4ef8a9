#include "h5/handle.hpp"

#include <hdf5_hl.h>

#include <cerrno>
#include <string>
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

namespace {

// libhdf5_hl 1.10 trusts the attributes it keeps: a DIMENSION_LIST of another type or shape, or
// a CLASS or NAME that is not one fixed-length string, makes H5DS read past its buffers (found
// by tests/fuzz). These are checked before any H5DS call that reads them.
bool attribute_is_one_fixed_string(hid_t obj, const char* name) {
  const htri_t exists = H5Aexists(obj, name);
  if (exists <= 0) return exists == 0;
  const Handle attr{H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, "H5Aopen"};
  const Handle type{H5Aget_type(attr.get()), H5Tclose, "H5Aget_type"};
  const Handle space{H5Aget_space(attr.get()), H5Sclose, "H5Aget_space"};
  return H5Tget_class(type.get()) == H5T_STRING && H5Tis_variable_str(type.get()) == 0 &&
         H5Tget_strpad(type.get()) == H5T_STR_NULLTERM && H5Tget_size(type.get()) > 0 &&
         H5Sget_simple_extent_npoints(space.get()) == 1;
}

bool dimension_list_is_intact(hid_t ds) {
  const htri_t exists = H5Aexists(ds, "DIMENSION_LIST");
  if (exists <= 0) return exists == 0;
  const Handle attr{H5Aopen(ds, "DIMENSION_LIST", H5P_DEFAULT), H5Aclose, "H5Aopen"};
  const Handle type{H5Aget_type(attr.get()), H5Tclose, "H5Aget_type"};
  if (H5Tget_class(type.get()) != H5T_VLEN) return false;
  const Handle base{H5Tget_super(type.get()), H5Tclose, "H5Tget_super"};
  if (H5Tequal(base.get(), H5T_STD_REF_OBJ) <= 0) return false;
  const Handle attr_space{H5Aget_space(attr.get()), H5Sclose, "H5Aget_space"};
  const Handle ds_space{H5Dget_space(ds), H5Sclose, "H5Dget_space"};
  hsize_t entries = 0;
  return H5Sget_simple_extent_ndims(attr_space.get()) == 1 &&
         H5Sget_simple_extent_dims(attr_space.get(), &entries, nullptr) == 1 &&
         entries == static_cast<hsize_t>(H5Sget_simple_extent_ndims(ds_space.get()));
}

void check_scale_bookkeeping(hid_t obj, std::string_view what) {
  const bool dataset = H5Iget_type(obj) == H5I_DATASET;
  if (!attribute_is_one_fixed_string(obj, "CLASS") || !attribute_is_one_fixed_string(obj, "NAME") ||
      (dataset && !dimension_list_is_intact(obj)))
    throw Error(what, "its dimension-scale attributes (CLASS, NAME, DIMENSION_LIST) are damaged");
}

}  // namespace

// Read here rather than through H5DSis_scale, which leaks an attribute and a datatype on some
// CLASS attributes it rejects (found by tests/fuzz): CLASS is the text "DIMENSION_SCALE".
bool is_scale(hid_t obj, std::string_view what) {
  check_scale_bookkeeping(obj, what);
  const htri_t exists = H5Aexists(obj, "CLASS");
  check(exists, what);
  if (exists == 0) return false;
  const Handle attr{H5Aopen(obj, "CLASS", H5P_DEFAULT), H5Aclose, what};
  const Handle type{H5Aget_type(attr.get()), H5Tclose, what};
  std::string text(H5Tget_size(type.get()), '\0');
  check(H5Aread(attr.get(), type.get(), text.data()), what);
  return std::string_view(text.c_str()) == "DIMENSION_SCALE";
}

int scale_count(hid_t ds, unsigned axis, std::string_view what) {
  check_scale_bookkeeping(ds, what);
  const int n = H5DSget_num_scales(ds, axis);
  check(n, what);
  return n;
}

Handle attached_scale(hid_t ds, unsigned axis, std::string_view what) {
  check_scale_bookkeeping(ds, what);
  hid_t scale_id = -1;
  check(H5DSiterate_scales(ds, axis, nullptr, keep_first_scale, &scale_id), what);
  Handle scale{scale_id, H5Dclose, "reading dimension scale"};
  check_scale_bookkeeping(scale.get(), what);
  return scale;
}

std::optional<std::string> scale_name(hid_t scale) {
  // H5DSget_scale_name asks H5DSis_scale first, which leaks on a rewritten CLASS (see is_scale).
  if (!is_scale(scale, "reading a dimension scale's name")) return std::nullopt;
  const ssize_t n = H5DSget_scale_name(scale, nullptr, 0);
  if (n < 0) return std::nullopt;
  std::string name(static_cast<std::size_t>(n) + 1, '\0');
  if (H5DSget_scale_name(scale, name.data(), name.size()) < 0) return std::nullopt;
  name.resize(static_cast<std::size_t>(n));
  return name;
}

}  // namespace h5
