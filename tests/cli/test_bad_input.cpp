// Broken input through the binary, as a user meets it: every row of tests/data/bad/expected.tsv
// must fail with exit code 2, print the expected first line on stderr (file:line:column: key
// path: message) and leave nothing behind where the results would have gone.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tests/cli/process.hpp"
#include "tests/support.hpp"
#include "tests/temp_dir.hpp"

namespace {
namespace fs = std::filesystem;

struct BadInput {
  std::string file;      // under tests/data/bad/
  std::string expected;  // the first line of stderr; '*' matches any text
};

std::vector<BadInput> read_table(const fs::path& tsv) {
  std::ifstream in(tsv);
  REQUIRE(in);
  std::vector<BadInput> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    rows.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return rows;
}

// Whole-text match where '*' stands for any run of characters.
bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

class GlobMatcher : public Catch::MatcherBase<std::string> {
 public:
  explicit GlobMatcher(std::string pattern) : pattern_(std::move(pattern)) {}
  bool match(const std::string& text) const override { return glob_match(pattern_, text); }
  std::string describe() const override { return "matches \"" + pattern_ + "\""; }

 private:
  std::string pattern_;
};

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

TEST_CASE("glob_match", "[cli][bad-input]") {
  CHECK(glob_match("a:*: b", "a:3:4: b"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("a*b*c", "aXbYbZc"));
  CHECK_FALSE(glob_match("a*b", "a:3"));
  CHECK_FALSE(glob_match("abc", "abcd"));
}

TEST_CASE("bad input fails with exit code 2, a message at the offending line and no output",
          "[cli][bad-input]") {
  const std::vector<BadInput> rows = read_table(test::source_dir() / "tests/data/bad/expected.tsv");
  REQUIRE(rows.size() >= 18);
  for (const BadInput& row : rows) {
    for (const std::string command : {"validate", "run"}) {
      DYNAMIC_SECTION(command << " " << row.file) {
        const test::TempDir capture_dir, output_dir;
        const fs::path& capture = capture_dir.path();
        const fs::path& output = output_dir.path();
        std::vector<std::string> args = {command, "tests/data/bad/" + row.file};
        if (command == "run") {
          args.insert(args.end(), {"-o", (output / "out.h5").string(), "--no-progress"});
        }
        // Run from the source directory so that messages name files as the table does.
        const test::Result r = test::run_govsim(args, capture, test::source_dir());
        INFO("stderr: " << r.err);
        CHECK(r.code == 2);
        CHECK_THAT(first_line(r.err), GlobMatcher(row.expected));
        CHECK(fs::is_empty(output));
      }
    }
  }
}

TEST_CASE("every file in tests/data/bad has a row in expected.tsv", "[cli][bad-input]") {
  const fs::path dir = test::source_dir() / "tests/data/bad";
  std::set<std::string> listed;
  for (const BadInput& row : read_table(dir / "expected.tsv")) listed.insert(row.file);
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(e.path(), dir).string();
    // Data files (under data/) are inputs of the YAML cases, not cases of their own.
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    INFO(name);
    CHECK(listed.count(name) == 1);
  }
}
