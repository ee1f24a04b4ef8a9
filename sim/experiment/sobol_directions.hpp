#pragma once
// Sobol' sequences' direction numbers (Joe and Kuo 2008, new-joe-kuo-6.21201; licence in
// sobol_directions.cpp), for the scrambled Sobol' points of a saltelli sweep.
#include <array>
#include <cstddef>
#include <cstdint>

namespace sim {

// Direction numbers per dimension: 2^32 points, far more than kMaxSamples * (k + 2).
constexpr unsigned kSobolBits = 32;
using Directions = std::array<std::uint64_t, kSobolBits>;

// Dimension d's direction numbers v_1 .. v_32 as 64-bit binary fractions (Bratley and Fox's
// recurrence m_i = 2 a_1 m_{i-1} ^ ... ^ 2^(s-1) a_(s-1) m_(i-s+1) ^ 2^s m_(i-s) ^ m_(i-s)).
Directions sobol_directions(std::size_t d);

}  // namespace sim
