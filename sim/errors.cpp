#include "sim/errors.hpp"

namespace sim {
namespace {
std::string format(const SourceLoc& loc, const std::string& key, const std::string& msg) {
  std::string out;
  if (!loc.file.empty()) {
    out += loc.file;
    if (loc.line > 0) {
      out += ":" + std::to_string(loc.line);
      if (loc.column > 0) out += ":" + std::to_string(loc.column);
    }
    out += ": ";
  }
  if (!key.empty()) out += key + ": ";
  return out + msg;
}
}  // namespace

InputError::InputError(SourceLoc loc, std::string key_path, std::string message)
    : std::runtime_error(format(loc, key_path, message)),
      loc_(std::move(loc)),
      key_path_(std::move(key_path)),
      message_(std::move(message)) {}

}  // namespace sim
