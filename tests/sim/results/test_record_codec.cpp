// A run record survives encoding exactly, and damaged bytes are refused, not misread.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "sim/results/record_codec.hpp"

namespace {

sim::RunRecord sample_record() {
  sim::RunRecord r;
  r.attributes = {{"policy", "whistle"}, {"scenario_yaml", "run:\n  days: 3\n"}, {"empty", ""}};
  r.numeric_attributes = {"days"};
  r.dimensions = {{"day", "d", "simulated day", {0, 1, 2}, {}},
                  {"district", "", "district", {}, {"Yuexiu", "Tianhe", "从化"}}};
  r.label_coordinates = {{"district_code", "district", "code", {"440104", "440106", "440117"}}};
  r.variables = {{"open",
                  "1",
                  "open issues",
                  {"day", "district"},
                  {1.5, -0.0, std::numeric_limits<double>::quiet_NaN(), 1e-310,
                   std::numeric_limits<double>::infinity(), 7, 8, 9, 10}},
                 {"none", "", "", {}, {}}};
  r.summary = {{"resolution_rate", "1", "share solved", 0.1 + 0.2}};
  return r;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("a run record is decoded bit for bit as it was encoded", "[unit][record_codec]") {
  const sim::RunRecord r = sample_record();
  const sim::RunRecord d = sim::decode_record(sim::encode_record(r));
  CHECK(d.attributes == r.attributes);
  CHECK(d.numeric_attributes == r.numeric_attributes);
  REQUIRE(d.dimensions.size() == 2);
  CHECK(d.dimensions[0].name == "day");
  CHECK(same_bits(d.dimensions[0].values, r.dimensions[0].values));
  CHECK(d.dimensions[1].labels == r.dimensions[1].labels);
  REQUIRE(d.label_coordinates.size() == 1);
  CHECK(d.label_coordinates[0].dimension == "district");
  CHECK(d.label_coordinates[0].labels == r.label_coordinates[0].labels);
  REQUIRE(d.variables.size() == 2);
  CHECK(d.variables[0].dims == r.variables[0].dims);
  CHECK(d.variables[0].unit == "1");
  CHECK(same_bits(d.variables[0].data, r.variables[0].data));  // NaN, -0 and subnormals too
  CHECK(d.variables[1].data.empty());
  REQUIRE(d.summary.size() == 1);
  CHECK(d.summary[0].value == 0.1 + 0.2);
  CHECK(d.summary[0].description == "share solved");
  CHECK(sim::decode_record(sim::encode_record({})).variables.empty());
}

TEST_CASE("truncated, padded or foreign bytes are refused", "[unit][record_codec]") {
  const std::string bytes = sim::encode_record(sample_record());
  for (std::size_t cut :
       {std::size_t{0}, std::size_t{7}, std::size_t{8}, bytes.size() / 2, bytes.size() - 1}) {
    INFO("cut at " << cut);
    CHECK_THROWS_AS(sim::decode_record(bytes.substr(0, cut)), std::runtime_error);
  }
  CHECK_THROWS_AS(sim::decode_record(bytes + "x"), std::runtime_error);
  CHECK_THROWS_AS(sim::decode_record("not a record at all"), std::runtime_error);
  // A count far beyond the bytes left is refused before anything is allocated.
  std::string huge = bytes;
  const std::uint64_t n = std::uint64_t{1} << 60;
  std::memcpy(huge.data() + 8, &n, sizeof n);
  CHECK_THROWS_AS(sim::decode_record(huge), std::runtime_error);
}
