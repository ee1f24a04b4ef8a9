#pragma once
// A RunRecord as bytes and back, exactly (every double bit for bit), so that a run finished in
// another process (an MPI rank) is stored as if it had been made here.
#include <string>
#include <string_view>

#include "sim/results/record.hpp"

namespace sim {

std::string encode_record(const RunRecord& record);
// Throws std::runtime_error when the bytes are truncated or not an encoded record.
RunRecord decode_record(std::string_view bytes);

}  // namespace sim
