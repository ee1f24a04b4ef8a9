#include "analysis/results_reader.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <charconv>
#include <exception>
#include <fstream>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "analysis/hdf5_reading.hpp"
#include "h5/handle.hpp"

namespace fs = std::filesystem;

namespace analysis {
namespace {

static_assert(std::is_same_v<hid_t, std::int64_t>, "ResultsFile stores an hid_t as int64_t");

constexpr int kSupportedFormatVersion = 1;

using h5::check;
using h5::fail;
using h5::Handle;

using namespace hdf5_reading;  // NOLINT(google-build-using-namespace): this reader's plumbing

RunInfo make_run_info(std::string name, Attributes attrs) {
  RunInfo info;
  // Fall-backs from the naming scheme policy[.sNNN].rNNN.
  info.policy = name.substr(0, name.find('.'));
  for (std::size_t pos = name.find('.'); pos != std::string::npos;) {
    const std::size_t next = name.find('.', pos + 1);
    const std::string_view token =
        std::string_view(name).substr(pos + 1, next == std::string::npos ? next : next - pos - 1);
    if (token.size() > 1 && token[0] == 'r') info.replicate = parse_int(token.substr(1));
    if (token.size() > 1 && token[0] == 's') info.sample = parse_int(token.substr(1));
    pos = next;
  }
  if (const auto* p = find_attribute(attrs, "policy")) info.policy = *p;
  if (const auto* r = find_attribute(attrs, "replicate")) info.replicate = parse_int(*r);
  if (const auto* s = find_attribute(attrs, "sample")) info.sample = parse_int(*s);
  if (const auto* s = find_attribute(attrs, "seed")) info.seed = *s;
  info.name = std::move(name);
  info.attributes = std::move(attrs);
  return info;
}

}  // namespace

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

const std::string* find_attribute(const Attributes& attrs, std::string_view key) {
  for (const auto& [k, v] : attrs)
    if (k == key) return &v;
  return nullptr;
}

ResultsFile::ResultsFile(fs::path path) : path_(std::move(path)) {
  const std::string where = path_.string();
  if (!fs::exists(path_)) {
    if (fs::exists(fs::path(where + ".parts")))
      throw FileError(where +
                      ": no such file, but its parts exist: the experiment did not finish; run it "
                      "again with --resume to complete it");
    throw FileError(where + ": no such file");
  }
  if (fs::is_directory(path_)) throw FileError(where + ": is a directory, not a results file");
  if (!std::ifstream(path_).good()) throw FileError(where + ": cannot be read (permissions?)");
  try {
    guarded(path_, [&] {
      file_id_ = H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
      if (file_id_ < 0) fail("not an HDF5 file (or damaged)");
      check_format();
      attributes_ = all_attributes(file_id_);
      load_runs();
      load_failures();
      check_complete();
      return 0;
    });
  } catch (...) {
    // The destructor does not run for a half-constructed object.
    if (file_id_ >= 0) H5Fclose(file_id_);
    file_id_ = -1;
    throw;
  }
}

void ResultsFile::check_format() {
  if (H5Aexists(file_id_, "format") <= 0 || attribute_text(file_id_, "format") != "govsim-results")
    fail(
        "an HDF5 file, but not a govsim results file (no root attribute format = "
        "\"govsim-results\")");
  const std::string version =
      H5Aexists(file_id_, "format_version") > 0 ? attribute_text(file_id_, "format_version") : "";
  format_version_ = static_cast<int>(parse_int(version).value_or(0));
  if (format_version_ < 1 || format_version_ > kSupportedFormatVersion)
    fail(fmt::format(
        "format_version '{}' is not supported by this reader (it reads 1 to {}); use a newer "
        "govsim",
        version, kSupportedFormatVersion));
}

ResultsFile::~ResultsFile() {
  if (file_id_ >= 0) H5Fclose(file_id_);
}

ResultsFile::ResultsFile(ResultsFile&& other) noexcept
    : path_(std::move(other.path_)),
      file_id_(std::exchange(other.file_id_, -1)),
      format_version_(other.format_version_),
      attributes_(std::move(other.attributes_)),
      runs_(std::move(other.runs_)),
      failures_(std::move(other.failures_)) {}

std::optional<std::string> ResultsFile::attribute(const std::string& key) const {
  if (const auto* v = find_attribute(attributes_, key)) return *v;
  return std::nullopt;
}

void ResultsFile::load_runs() {
  Handle runs = open_group(file_id_, "runs");
  for (auto& name : link_names(runs.get())) {
    Handle g = open_group(runs.get(), name);
    runs_.push_back(make_run_info(std::move(name), all_attributes(g.get())));
  }
}

void ResultsFile::load_failures() {
  if (H5Lexists(file_id_, "failures", H5P_DEFAULT) <= 0) return;
  Handle failures = open_group(file_id_, "failures");
  for (auto& name : link_names(failures.get())) {
    Handle g = open_group(failures.get(), name);
    FailureInfo f;
    f.attributes = all_attributes(g.get());
    if (const auto* m = find_attribute(f.attributes, "message")) f.message = *m;
    std::erase_if(f.attributes, [](const auto& kv) { return kv.first == "message"; });
    f.name = std::move(name);
    failures_.push_back(std::move(f));
  }
}

// The writer records how many runs and failures it merged: a file with groups missing (edited,
// or damaged) would otherwise be compared as if it were whole.
void ResultsFile::check_complete() const {
  auto expect = [&](const char* key, std::size_t found, const char* what) {
    const auto* announced = find_attribute(attributes_, key);
    if (announced == nullptr) return;
    if (*announced != std::to_string(found))
      fail(fmt::format("incomplete: the file says {} {} but holds {}; it was edited or damaged",
                       *announced, what, found));
  };
  expect("runs", runs_.size(), "runs");
  expect("failed_runs", failures_.size(), "failed runs");
}

std::int64_t ResultsFile::open_run(const std::string& run) const {
  const std::string path = "runs/" + run;
  if (run.empty() || run.find('/') != std::string::npos ||
      H5Lexists(file_id_, path.c_str(), H5P_DEFAULT) <= 0)
    fail("no run named '" + run + "'");
  const hid_t id = H5Gopen2(file_id_, path.c_str(), H5P_DEFAULT);
  if (id < 0) fail("cannot open run " + run);
  return id;
}

std::vector<SummaryValue> ResultsFile::summary(const std::string& run) const {
  return guarded(path_, [&] {
    Handle group{open_run(run), H5Gclose, "opening run"};
    std::vector<SummaryValue> out;
    if (H5Lexists(group.get(), "summary", H5P_DEFAULT) <= 0) return out;
    Handle summary = open_group(group.get(), "summary");
    for (const auto& name : link_names(summary.get())) {
      Handle ds = open_dataset(summary.get(), name);
      const std::vector<double> v = read_doubles(ds.get());
      if (v.size() != 1) fail(fmt::format("summary/{} of run {} is not a scalar", name, run));
      out.push_back(
          {name, optional_text(ds.get(), "units"), optional_text(ds.get(), "long_name"), v[0]});
    }
    return out;
  });
}

std::vector<std::string> ResultsFile::variable_names(const std::string& run) const {
  return guarded(path_, [&] {
    Handle group{open_run(run), H5Gclose, "opening run"};
    std::vector<std::string> out;
    for (const auto& name : link_names(group.get())) {
      Handle obj = h5::open_object(group.get(), name, "opening " + name);
      if (H5Iget_type(obj.get()) == H5I_DATASET && !h5::is_scale(obj.get(), "reading " + name) &&
          !is_text(obj.get()))
        out.push_back(name);
    }
    return out;
  });
}

VariableData ResultsFile::variable(const std::string& run, const std::string& name) const {
  return guarded(path_, [&] {
    Handle group{open_run(run), H5Gclose, "opening run"};
    if (name.empty() || H5Lexists(group.get(), name.c_str(), H5P_DEFAULT) <= 0)
      fail(fmt::format("run {} has no variable '{}'", run, name));
    return read_variable(group.get(), name);
  });
}

VariableData ResultsFile::stacked(const std::string& group_name, const std::string& name) const {
  return guarded(path_, [&] {
    if (H5Lexists(file_id_, group_name.c_str(), H5P_DEFAULT) <= 0)
      fail(fmt::format("no stacked /{} group", group_name));
    Handle group = open_group(file_id_, group_name);
    if (name.empty() || name.find('/') != std::string::npos ||
        H5Lexists(group.get(), name.c_str(), H5P_DEFAULT) <= 0)
      fail(fmt::format("/{} has no variable '{}'", group_name, name));
    return read_variable(group.get(), name);
  });
}

VariableData ResultsFile::stacked_summary(const std::string& name) const {
  return stacked("summary", name);
}

VariableData ResultsFile::stacked_series(const std::string& name) const {
  return stacked("series", name);
}

}  // namespace analysis
