// The mechanism tests are complete: every policy switch and every mechanism file of
// models/mechanisms/ has a test, found among the registered tests' tags (a comment naming a tag
// does not count).
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

#include "models/scenario/scenario.hpp"
#include "tests/support.hpp"

namespace {

std::set<std::string> registered_tags() {
  std::set<std::string> tags;
  for (const auto& test : Catch::getRegistryHub().getTestCaseRegistry().getAllTests())
    tags.insert(test.tags.begin(), test.tags.end());
  return tags;
}

}  // namespace

TEST_CASE("every policy switch has a mechanism test", "[validation][completeness]") {
  const auto tags = registered_tags();
  for (const auto& name : gov::policy_switch_names()) {
    INFO(name);
    CHECK(tags.count("switch:" + name) == 1);
  }
}

TEST_CASE("every mechanism file has its own tests", "[validation][completeness]") {
  const auto tags = registered_tags();
  std::size_t files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(test::source_dir() / "models/mechanisms")) {
    if (entry.path().extension() != ".cpp") continue;
    ++files;
    const std::string stem = entry.path().stem().string();
    INFO("models/mechanisms/" << stem << ".cpp: no test tagged [mechanism:" << stem
                              << "] (tests/models/mechanisms/test_" << stem << ".cpp)");
    CHECK(tags.count("mechanism:" + stem) == 1);
    CHECK(std::filesystem::exists(test::source_dir() / "tests/models/mechanisms" /
                                  ("test_" + stem + ".cpp")));
  }
  CHECK(files == 11);  // the ten processes of MODEL.md §4, accountability beside closure
}
