// The declare-once parameter system: reading YAML through describe(), error positions, extends,
// merging, hostile input, the YAML writer and the documentation writer.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "sim/config/config_docs.hpp"
#include "sim/config/config_yaml.hpp"
#include "tests/temp_dir.hpp"

namespace {
namespace fs = std::filesystem;
using sim::InputError;
using sim::config::Document;
using sim::config::Limits;
using sim::config::LocationMap;
using sim::config::Meta;
using sim::config::Visitor;

struct Hotline {
  std::int64_t call_takers = 100;
  double answer_rate = 0.5;
  bool open_all_day = true;
  bool operator==(const Hotline&) const = default;
};

void describe(Visitor& v, Hotline& h) {
  v.value("call_takers", h.call_takers,
          {.meaning = "call takers on duty", .unit = "persons", .min = 1, .max = 10000});
  v.value("answer_rate", h.answer_rate, {.meaning = "share answered", .min = 0, .max = 1});
  v.value("open_all_day", h.open_all_day, {.meaning = "open 24 hours"});
}

struct Department {
  std::string name;
  std::int64_t staff = 10;
  std::vector<std::string> domains;
  bool operator==(const Department&) const = default;
};

void describe(Visitor& v, Department& d) {
  v.value("name", d.name, {.meaning = "department name", .required = true});
  v.value("staff", d.staff, {.meaning = "servers", .min = 0});
  v.value("domains", d.domains, {.meaning = "issue domains owned"});
}

struct Scenario {
  std::string name = "test";
  double days = 30;
  std::string queue = "fifo";
  std::vector<double> weights = {1, 2, 3};
  std::vector<std::vector<double>> coupling = {{0, 0.1}, {0.1, 0}};
  std::vector<std::vector<std::string>> groups;
  Hotline hotline;
  std::vector<Department> departments;
  bool operator==(const Scenario&) const = default;
};

void describe(Visitor& v, Scenario& s) {
  v.value("name", s.name, {.meaning = "scenario name", .required = true});
  v.value("days", s.days, {.meaning = "run length", .unit = "d", .min = 1, .max = 3650});
  v.choice("queue", s.queue, {"fifo", "priority", "random"}, {.meaning = "queue discipline"});
  v.value("weights", s.weights, {.meaning = "weights", .min = 0});
  v.value("coupling", s.coupling,
          {.meaning = "domain coupling", .min = 0, .max = 1, .source = "Smith 2020"});
  v.value("groups", s.groups, {.meaning = "groups of domains"});
  v.group("hotline", s.hotline, "the 12345 hotline");
  v.list("departments", s.departments, "functional departments");
}

Scenario read_text(const std::string& text, LocationMap* locations = nullptr) {
  Scenario s;
  sim::config::read(Document::parse(text, "s.yaml"), s, locations);
  return s;
}

// The full message of the InputError that `f` throws.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError thrown");
  return {};
}

std::string read_error(const std::string& text) {
  return error_of([&] { read_text(text); });
}

using test::TempDir;

template <class F>
double seconds(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("absent keys keep the struct's defaults", "[unit][config]") {
  const Scenario s = read_text("name: x\n");
  Scenario expected;
  expected.name = "x";
  CHECK(s == expected);
}

TEST_CASE("every value type is read", "[unit][config]") {
  const Scenario s = read_text(
      "name: city\n"
      "days: 60.5\n"
      "queue: priority\n"
      "weights: [0.5, 1e3, 7]\n"
      "coupling:\n"
      "  - [0, 0.25]\n"
      "  - [1, 0]\n"
      "groups: [[a, b], [c]]\n"
      "hotline: {call_takers: 250, open_all_day: false}\n"
      "departments:\n"
      "  - name: sanitation\n"
      "    domains: [waste, streets]\n"
      "  - {name: housing, staff: 4}\n");
  CHECK(s.name == "city");
  CHECK(s.days == 60.5);
  CHECK(s.queue == "priority");
  CHECK(s.weights == std::vector<double>{0.5, 1000, 7});
  CHECK(s.coupling == std::vector<std::vector<double>>{{0, 0.25}, {1, 0}});
  CHECK(s.groups == std::vector<std::vector<std::string>>{{"a", "b"}, {"c"}});
  CHECK(s.hotline.call_takers == 250);
  CHECK(s.hotline.answer_rate == 0.5);
  CHECK_FALSE(s.hotline.open_all_day);
  REQUIRE(s.departments.size() == 2);
  CHECK(s.departments[0] == Department{"sanitation", 10, {"waste", "streets"}});
  CHECK(s.departments[1] == Department{"housing", 4, {}});
}

TEST_CASE("integers accept integral spellings only", "[unit][config]") {
  CHECK(read_text("name: x\nhotline: {call_takers: 1e3}\n").hotline.call_takers == 1000);
  CHECK(read_text("name: x\nhotline: {call_takers: +7}\n").hotline.call_takers == 7);
  CHECK(read_error("name: x\nhotline: {call_takers: 2.5}\n") ==
        "s.yaml:2:24: hotline.call_takers: expected an integer, got '2.5'");
  CHECK(read_error("name: x\nhotline:\n  call_takers: 99999999999999999999\n") ==
        "s.yaml:3:16: hotline.call_takers: integer out of range: 99999999999999999999");
}

TEST_CASE("type errors name the file, line, column and key path", "[unit][config]") {
  CHECK(read_error("name: x\ndays: abc\n") == "s.yaml:2:7: days: expected a number, got 'abc'");
  CHECK(read_error("name: x\ndays: .nan\n") == "s.yaml:2:7: days: expected a number, got '.nan'");
  CHECK(read_error("name: x\nhotline:\n  open_all_day: yes\n") ==
        "s.yaml:3:17: hotline.open_all_day: expected true or false, got 'yes'");
  CHECK(read_error("name: x\nweights: 5\n") ==
        "s.yaml:2:10: weights: expected a list of numbers, got '5'");
  CHECK(read_error("name: x\nweights: [1, x, 3]\n") ==
        "s.yaml:2:14: weights[1]: expected a number, got 'x'");
  CHECK(read_error("name: x\ncoupling: [1, 2]\n") ==
        "s.yaml:2:12: coupling[0]: expected a list of numbers, got '1'");
  CHECK(read_error("name: x\nhotline: 5\n") == "s.yaml:2:10: hotline: expected a map, got '5'");
  CHECK(read_error("name: x\ndepartments: {a: 1}\n") ==
        "s.yaml:2:14: departments: expected a list, got a map");
  CHECK(read_error("name: x\ndepartments: [3]\n") ==
        "s.yaml:2:15: departments[0]: expected a map, got '3'");
  CHECK(read_error("name: [a]\n") == "s.yaml:1:7: name: expected a string, got a list");
  CHECK(read_error("name: x\ngroups: [[a], [b, [c]]]\n") ==
        "s.yaml:2:19: groups[1][1]: expected a string, got a list");
}

TEST_CASE("a null value is an error at the value, or at the key when the value is empty",
          "[unit][config]") {
  CHECK(read_error("name: x\ndays: ~\n") == "s.yaml:2:7: days: expected a number, got null");
  CHECK(read_error("name: x\ndays:\nqueue: fifo\n") ==
        "s.yaml:2:1: days: expected a number, got null");
}

TEST_CASE("out-of-range values print the allowed range with its unit", "[unit][config]") {
  CHECK(read_error("name: x\ndays: 0.5\n") ==
        "s.yaml:2:7: days: out of range: expected 1 <= value <= 3650 d, got 0.5");
  CHECK(read_error("name: x\nhotline: {answer_rate: 1.5}\n") ==
        "s.yaml:2:24: hotline.answer_rate: out of range: expected 0 <= value <= 1, got 1.5");
  CHECK(read_error("name: x\nweights: [1, -2]\n") ==
        "s.yaml:2:14: weights[1]: out of range: expected value >= 0, got -2");
  CHECK(read_error("name: x\ncoupling: [[0, 1], [2, 0]]\n") ==
        "s.yaml:2:21: coupling[1][0]: out of range: expected 0 <= value <= 1, got 2");
  CHECK(read_error("name: x\nhotline: {call_takers: 0}\n") ==
        "s.yaml:2:24: hotline.call_takers: out of range: expected 1 <= value <= 10000 persons, "
        "got 0");
}

TEST_CASE("a choice must be one of its values", "[unit][config]") {
  CHECK(read_error("name: x\nqueue: priorty\n") ==
        "s.yaml:2:8: queue: expected one of: fifo, priority, random; got 'priorty' "
        "(did you mean 'priority'?)");
  CHECK(read_error("name: x\nqueue: stack\n") ==
        "s.yaml:2:8: queue: expected one of: fifo, priority, random; got 'stack'");
}

TEST_CASE("a missing required key is reported at the enclosing map", "[unit][config]") {
  CHECK(read_error("days: 3\n") == "s.yaml:1:1: name: missing required key 'name'");
  CHECK(read_error("name: x\ndepartments:\n  - name: a\n  - staff: 3\n") ==
        "s.yaml:4:5: departments[1].name: missing required key 'name'");
}

TEST_CASE("unknown keys are reported at the key with a suggestion", "[unit][config]") {
  CHECK(read_error("name: x\nhotline:\n  call_taker: 5\n") ==
        "s.yaml:3:3: hotline.call_taker: unknown key 'call_taker' (did you mean 'call_takers'?)");
  CHECK(read_error("name: x\nDays: 5\n") ==
        "s.yaml:2:1: Days: unknown key 'Days' (did you mean "
        "'days'?)");
  CHECK(read_error("name: x\ndepartments:\n  - {name: a, staf: 3}\n") ==
        "s.yaml:3:15: departments[0].staf: unknown key 'staf' (did you mean 'staff'?)");
  CHECK(read_error("name: x\nhotline: {zzz: 1}\n") ==
        "s.yaml:2:11: hotline.zzz: unknown key 'zzz' (known keys: call_takers, answer_rate, "
        "open_all_day)");
  // An unknown key is likelier a typo of a missing required key than anything else.
  CHECK(read_error("nme: x\n") == "s.yaml:1:1: nme: unknown key 'nme' (did you mean 'name'?)");
}

TEST_CASE("duplicate keys are refused with the first occurrence", "[unit][config]") {
  CHECK(read_error("name: x\ndays: 3\nhotline: {}\ndays: 4\n") ==
        "s.yaml:4:1: days: duplicate key 'days' (first at line 2)");
}

TEST_CASE("closest_match suggests only near misses", "[unit][config]") {
  using sim::config::closest_match;
  CHECK(closest_match("call_taker", {"answer_rate", "call_takers"}) == "call_takers");
  CHECK(closest_match("satff", {"staff", "name"}) == "staff");
  CHECK(closest_match("population", {"staff", "name"}).empty());
  CHECK(closest_match(std::string(100000, 'x'), {"staff"}).empty());
}

TEST_CASE("the LocationMap records where every value came from", "[unit][config]") {
  LocationMap locations;
  read_text("name: x\ndepartments:\n  - name: a\n    domains: [w, s]\n", &locations);
  REQUIRE(locations.find("departments[0].domains[1]") != nullptr);
  CHECK(locations.find("departments[0].domains[1]")->line == 4);
  CHECK(locations.find("departments[0].domains[1]")->column == 18);
  CHECK(locations.find("name")->line == 1);
  CHECK(locations.find("days") == nullptr);
  const sim::SourceLoc nearest = locations.at_or_file("departments[0].staff");
  CHECK(nearest.file == "s.yaml");
  CHECK(nearest.line == 3);
  CHECK(nearest.column == 5);
  const sim::SourceLoc file_only = locations.at_or_file("days");
  CHECK(file_only.file == "s.yaml");
  CHECK(file_only.line == 0);
}

TEST_CASE("loading refuses what is not a single YAML map", "[unit][config]") {
  TempDir dir;
  const std::string label = (dir.path() / "f.yaml").string();
  auto load_error = [&](const std::string& text) {
    dir.write("f.yaml", text);
    return error_of([&] { Document::load(dir.path() / "f.yaml"); });
  };
  CHECK(error_of([&] { Document::load(dir.path() / "none.yaml"); }) ==
        (dir.path() / "none.yaml").string() + ": file not found");
  CHECK(load_error("") == label + ": empty file");
  CHECK(load_error("# only a comment\n\n") == label + ": empty file");
  CHECK(load_error("a: [1, 2\nb: 3\n") == label + ":2:2: end of sequence flow not found");
  CHECK(load_error("- 1\n- 2\n") == label + ":1:1: expected a map at the top level, got a list");
  CHECK(load_error("a: 1\n---\nb: 2\n") == label + ":2:1: more than one YAML document in the file");
  CHECK(load_error("a: 1\n? [x]\n: 2\n") ==
        label + ":2:3: map keys must be plain strings, got a list");
}

TEST_CASE("hostile files are refused quickly with an InputError", "[unit][config]") {
  TempDir dir;
  const std::string label = (dir.path() / "f.yaml").string();
  auto load_error = [&](const std::string& text) {
    dir.write("f.yaml", text);
    std::string message;
    const double s =
        seconds([&] { message = error_of([&] { Document::load(dir.path() / "f.yaml"); }); });
    CHECK(s < 2.0);
    return message;
  };
  SECTION("binary") {
    CHECK(load_error(std::string("a: 1\nb: \x01\x00\x02", 11)) ==
          label + ":2:5: not a text YAML file (contains a NUL byte)");
    CHECK(load_error("a: 1\nb: \xff\xfe\n") ==
          label + ":2:4: not a text YAML file (invalid UTF-8)");
    CHECK(load_error("a: \xed\xa0\x80\n") == label + ":1:4: not a text YAML file (invalid UTF-8)");
  }
  SECTION("too large") {
    CHECK(load_error("a: " + std::string(10u << 20, 'x') + "\n") ==
          label + ": file too large (10485764 bytes, limit 4194304)");
  }
  SECTION("deep flow nesting") {
    // The 64th `[` opens the 65th level (the top-level map is the first), at column 3 + 64.
    std::string path = "a";
    for (int i = 0; i < 63; ++i) path += "[0]";
    CHECK(load_error("a: " + std::string(10000, '[') + std::string(10000, ']') + "\n") ==
          label + ":1:67: " + path + ": nesting deeper than 64 levels");
  }
  SECTION("deep block nesting") {
    std::string text = "a:\n";
    for (int i = 0; i < 10000; ++i) text += "- ";
    const std::string message = load_error(text + "x\n");
    CHECK_THAT(message, Catch::Contains("nesting deeper than 64 levels"));
  }
  SECTION("billion laughs") {
    std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int i = 1; i < 10; ++i) {
      const std::string prev = "*l" + std::to_string(i - 1);
      text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
      for (int k = 0; k < 10; ++k) text += prev + (k < 9 ? ", " : "]\n");
    }
    CHECK_THAT(
        load_error(text),
        Catch::Contains("more than 200000 YAML nodes (an alias counts every time it is used)"));
  }
  SECTION("an alias inside its own anchor") {
    CHECK_THAT(load_error("a: &x [1, *x]\n"), Catch::Contains("an alias cannot refer to a node"));
  }
}

TEST_CASE("limits can be tightened", "[unit][config]") {
  Limits limits;
  limits.max_nodes = 5;
  CHECK_THAT(error_of([&] { Document::parse("a: [1, 2, 3, 4, 5]\n", "t.yaml", limits); }),
             Catch::Contains("more than 5 YAML nodes"));
  limits = {};
  limits.max_depth = 2;
  CHECK(error_of([&] { Document::parse("a: {b: {c: 1}}\n", "t.yaml", limits); }) ==
        "t.yaml:1:8: a.b: nesting deeper than 2 levels");
}

TEST_CASE("extends loads the parent relative to the including file", "[unit][config]") {
  TempDir dir;
  dir.write("base/root.yaml",
            "name: root\ndays: 10\nhotline: {call_takers: 5, answer_rate: 0.1}\n");
  dir.write("base/mid.yaml", "extends: root.yaml\ndays: 20\nhotline: {answer_rate: 0.2}\n");
  const fs::path leaf = dir.write("leaf.yaml", "extends: base/mid.yaml\nqueue: random\n");
  const Document doc = Document::load(leaf);
  CHECK_FALSE(doc.has("extends"));
  Scenario s;
  sim::config::read(doc, s);
  CHECK(s.name == "root");
  CHECK(s.days == 20);
  CHECK(s.queue == "random");
  CHECK(s.hotline.call_takers == 5);
  CHECK(s.hotline.answer_rate == 0.2);
  CHECK(doc.location("days").file == (dir.path() / "base/mid.yaml").string());
  CHECK(doc.location("name").file == (dir.path() / "base/root.yaml").string());
}

TEST_CASE("extends errors point at the extends value", "[unit][config]") {
  TempDir dir;
  const std::string d = dir.path().string() + "/";
  SECTION("cycle of two files") {
    dir.write("a.yaml", "name: a\nextends: b.yaml\n");
    dir.write("b.yaml", "days: 3\nextends: a.yaml\n");
    CHECK(error_of([&] { Document::load(dir.path() / "a.yaml"); }) ==
          d + "b.yaml:2:10: extends: extends cycle: " + d + "a.yaml -> " + d + "b.yaml -> " + d +
              "a.yaml");
  }
  SECTION("a file extending itself") {
    dir.write("a.yaml", "extends: ./a.yaml\n");
    CHECK(error_of([&] { Document::load(dir.path() / "a.yaml"); }) ==
          d + "a.yaml:1:10: extends: extends cycle: " + d + "a.yaml -> " + d + "a.yaml");
  }
  SECTION("missing parent") {
    dir.write("a.yaml", "name: a\nextends: sub/none.yaml\n");
    CHECK(error_of([&] { Document::load(dir.path() / "a.yaml"); }) ==
          d + "a.yaml:2:10: extends: file not found: " + d + "sub/none.yaml");
  }
  SECTION("not a file name") {
    dir.write("a.yaml", "extends: [x]\n");
    CHECK(error_of([&] { Document::load(dir.path() / "a.yaml"); }) ==
          d + "a.yaml:1:10: extends: expected a file, got a list");
  }
  SECTION("chain too long") {
    for (int i = 0; i < 20; ++i) {
      dir.write("f" + std::to_string(i) + ".yaml",
                "extends: f" + std::to_string(i + 1) + ".yaml\n");
    }
    dir.write("f20.yaml", "name: end\n");
    CHECK_THAT(error_of([&] { Document::load(dir.path() / "f0.yaml"); }),
               Catch::Contains("f15.yaml:1:10: extends: extends chain longer than 16 files"));
  }
}

TEST_CASE("merged() merges maps and replaces everything else", "[unit][config]") {
  const Document base = Document::parse(
      "name: base\nweights: [1, 2, 3]\nhotline: {call_takers: 5, answer_rate: 0.1}\n", "base.yaml");
  const Document overlay =
      Document::parse("weights: [9]\nhotline: {answer_rate: 0.9}\nqueue: random\n", "over.yaml");
  const Document m = base.merged(overlay);
  CHECK(m.keys() == std::vector<std::string>{"name", "weights", "hotline", "queue"});
  Scenario s;
  sim::config::read(m, s);
  CHECK(s.weights == std::vector<double>{9});
  CHECK(s.hotline.call_takers == 5);
  CHECK(s.hotline.answer_rate == 0.9);
  CHECK(s.queue == "random");
  CHECK(m.location().file == "base.yaml");
  CHECK(m.child("hotline").location("answer_rate").file == "over.yaml");
  CHECK(m.child("hotline").location("call_takers").file == "base.yaml");
  CHECK(Document().merged(overlay).location().file == "over.yaml");

  SECTION("errors inside the overlay point into the overlay file") {
    const Document bad = Document::parse("# policy\nhotline:\n  call_taker: 3\n", "policy.yaml");
    CHECK(error_of([&] {
            Scenario t;
            sim::config::read(base.merged(bad), t);
          }) ==
          "policy.yaml:3:3: hotline.call_taker: unknown key 'call_taker' (did you mean "
          "'call_takers'?)");
  }
}

TEST_CASE("with_value sets a dotted key path", "[unit][config]") {
  const Document base = Document::parse(
      "name: x\nhotline: {call_takers: 5}\ndepartments: [{name: a}, {name: b}]\n", "b.yaml");
  const sim::SourceLoc sweep{"exp.yaml", 7, 3};
  const Document d = base.with_value("hotline.call_takers", 300, sweep)
                         .with_value("hotline.answer_rate", 0.25)
                         .with_value("departments[1].staff", 7)
                         .with_value("days", 12.5);
  CHECK(base.child("hotline").child("call_takers").as_int("x") == 5);
  CHECK(d.child("hotline").child("call_takers").as_int("x") == 300);
  CHECK(d.child("hotline").location("call_takers").line == 7);
  CHECK(d.child("days").as_string("days") == "12.5");
  CHECK(sim::config::format_number(1e-3) == "0.001");
  CHECK(sim::config::format_number(1e21) == "1e+21");
  CHECK(sim::config::format_number(-std::numeric_limits<double>::infinity()) == "-.inf");
  Scenario s;
  sim::config::read(d, s);
  CHECK(s.hotline.call_takers == 300);
  CHECK(s.hotline.answer_rate == 0.25);
  CHECK(s.departments[1].staff == 7);
  CHECK(s.days == 12.5);
  CHECK(error_of([&] { base.with_value("hotline.call_takers.x", 1, sweep); }) ==
        "exp.yaml:7:3: hotline.call_takers.x: cannot set a value here: 'hotline.call_takers' is "
        "not a map");
  CHECK(error_of([&] { base.with_value("departments[5].staff", 1, sweep); }) ==
        "exp.yaml:7:3: departments[5].staff: cannot set a value here: 'departments' has 2 items");
  CHECK_THAT(error_of([&] { base.with_value("a..b", 1, sweep); }),
             Catch::Contains("a..b: not a valid key path"));
  CHECK_THAT(error_of([&] { base.with_value("[0]", 1, sweep); }),
             Catch::Contains("not a valid key path"));
}

TEST_CASE("Document accessors", "[unit][config]") {
  const Document d = Document::parse("a: hello\nb: [1, 2]\nc: {}\nd: ~\n", "d.yaml");
  CHECK(d.is_map());
  CHECK(d.keys() == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(d.child("a").as_string("a") == "hello");
  CHECK(d.child("b").as_list("b").size() == 2);
  CHECK(d.child("b").as_list("b")[1].as_double("b[1]") == 2.0);
  CHECK(d.child("c").empty());
  CHECK(d.child("d").is_null());
  CHECK(d.child("zz").empty());
  CHECK_FALSE(d.has("zz"));
  CHECK(d.without("a").keys() == std::vector<std::string>{"b", "c", "d"});
  CHECK(d.key_location("b").line == 2);
  CHECK(d.key_location("b").column == 1);
  CHECK(d.location("b").column == 4);
  CHECK(error_of([&] { d.child("b").as_string("b"); }) ==
        "d.yaml:2:4: b: expected a string, got a list");
  CHECK(error_of([&] { d.child("a").as_list("a"); }) ==
        "d.yaml:1:4: a: expected a list, got 'hello'");
}

TEST_CASE("the Writer's YAML reads back to the same values", "[unit][config]") {
  Scenario s;
  s.name = "a: b #c";
  s.days = 100.0 / 3.0;
  s.queue = "random";
  s.weights = {0.1, 1e-300, 123456789.125, 0};
  s.coupling = {{0, 1}, {0.3, 0.7}};
  s.groups = {{"true", "null", ""}, {"~", "line\nbreak", "中文"}};
  s.hotline = {10000, 0.0, false};
  s.departments = {{"sanitation", 3, {"waste"}}, {"'quoted'", 0, {}}};
  const std::string yaml = sim::config::to_yaml(s);
  Scenario back;
  back.weights.clear();
  back.departments = {{"old", 1, {"x", "y"}}, {"old2", 2, {}}, {"old3", 3, {}}};
  sim::config::read(Document::parse(yaml, "round.yaml"), back);
  CHECK(back == s);
  CHECK(yaml.find("name: \"a: b #c\"") != std::string::npos);
}

TEST_CASE("Document::to_yaml keeps order and structure", "[unit][config]") {
  const std::string text = "b: 1\na: [x, y]\nc:\n  d: {}\n  e: []\n  f: ~\n";
  const Document d = Document::parse(text, "t.yaml");
  const Document again = Document::parse(d.to_yaml(), "u.yaml");
  CHECK(again.to_yaml() == d.to_yaml());
  CHECK(again.keys() == std::vector<std::string>{"b", "a", "c"});
  CHECK(again.child("c").child("f").is_null());
}

TEST_CASE("the DocWriter documents every parameter", "[unit][config]") {
  Scenario s;
  s.departments = {{"first", 3, {"waste"}}};
  const std::vector<sim::config::ParamRow> rows = sim::config::param_rows(s);
  std::vector<std::string> keys;
  for (const auto& r : rows) keys.push_back(r.key);
  CHECK(keys == std::vector<std::string>{"name", "days", "queue", "weights", "coupling", "groups",
                                         "hotline", "hotline.call_takers", "hotline.answer_rate",
                                         "hotline.open_all_day", "departments[]",
                                         "departments[].name", "departments[].staff",
                                         "departments[].domains"});
  CHECK(s.departments.size() == 1);  // described through a copy

  const std::string md = sim::config::markdown(s, "Scenario parameters");
  CHECK(md == sim::config::markdown(s, "Scenario parameters"));
  CHECK(md.rfind("# Scenario parameters\n\n| Key | Type | Unit | Range | Default | Meaning | "
                 "Source |\n|---|---|---|---|---|---|---|\n",
                 0) == 0);
  for (const std::string& k : keys) CHECK(md.find("| `" + k + "` |") != std::string::npos);
  CHECK(md.find("| `days` | number | d | [1, 3650] | 30 | run length | assumption |") !=
        std::string::npos);
  CHECK(md.find("| `name` | string |  |  | (required) | scenario name | assumption |") !=
        std::string::npos);
  CHECK(md.find("| `queue` | one of: fifo, priority, random |  |  | `fifo` |") !=
        std::string::npos);
  CHECK(md.find("| `coupling` | matrix of numbers |  | [0, 1] | 2 x 2 matrix | domain coupling "
                "| Smith 2020 |") != std::string::npos);
  CHECK(md.find("| `departments[]` | list of records |  |  | 1 item | functional departments") !=
        std::string::npos);
  CHECK(md.find("| `departments[].staff` | integer |  | >= 0 | 3 |") != std::string::npos);

  Scenario empty;
  const std::string md_empty = sim::config::markdown(empty, "");
  CHECK(md_empty.find("| `departments[].staff` | integer |  | >= 0 | 10 |") != std::string::npos);
}
