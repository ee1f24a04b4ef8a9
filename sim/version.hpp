#pragma once
#include <string_view>

namespace sim {
std::string_view version();
std::string_view git_commit();
}  // namespace sim
