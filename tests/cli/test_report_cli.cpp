// `govsim report`: one self-contained HTML page that a browser renders (Debian's headless
// Chromium takes a screenshot that must not be blank), with a map of Guangzhou's districts.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/cli/process.hpp"
#include "tests/support.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("govsim report writes a self-contained page that headless Chromium renders",
          "[cli][report]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path results = dir / "gz.h5", page = dir / "report.html";
  auto r = test::run_govsim(
      {"run", (test::source_dir() / "tests/data/experiment/guangzhou-tiny.yaml").string(), "-o",
       results.string(), "--no-progress"},
      dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  r = test::run_govsim({"report", results.string(), "-o", page.string()}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  const std::string html = test::slurp(page);
  // Self-contained: nothing to fetch, nothing to run.
  CHECK(count(html, "<script") == 0);
  CHECK(count(html, "src=") == 0);
  CHECK(count(html, "href=") == 0);
  // Provenance, a forest plot per primary metric (the default set: 4), three series for each of
  // the two policies, the map with Guangzhou's 11 districts.
  CHECK(count(html, "<th>history</th>") == 1);
  CHECK(count(html, "<circle") == 4);        // closed-loop against the baseline, on 4 metrics
  CHECK(count(html, "<polyline") == 3 * 3);  // baseline alone, then closed-loop beside it
  CHECK(count(html, "<path d=") == 11);
  CHECK(count(html, ">Liwan<") == 1);

  // Rendered: the screenshot has ink and the map's colours, and the page logged no error.
  const fs::path png = dir / "report.png";
  r = test::run_program("chromium",
                        {"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                         "--enable-logging=stderr", "--window-size=1000,4000",
                         "--screenshot=" + png.string(), "file://" + page.string()},
                        dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(count(r.err, "CONSOLE") == 0);
  const std::string check =
      "import sys, numpy as np, matplotlib.image as m\n"
      "img = (m.imread(sys.argv[1])[:, :, :3] * 255).astype(int)\n"
      "ink = (img.min(axis=2) < 200).mean()\n"
      "colours = len(np.unique(img.reshape(-1, 3) // 8, axis=0))\n"
      "print(f'{ink:.4f} {colours}')\n";
  r = test::run_program(GOVSIM_SYSTEM_PYTHON, {"-c", check, png.string()}, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  double ink = 0;
  int colours = 0;
  REQUIRE(std::sscanf(r.out.c_str(), "%lf %d", &ink, &colours) == 2);
  CHECK(ink > 0.02);     // not blank
  CHECK(colours >= 30);  // text, the series' bands and the map's shades
}

TEST_CASE("govsim report refuses an unknown map variable or series naming the file",
          "[cli][report][bad-input]") {
  const test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path results = dir / "tiny.h5";
  auto r =
      test::run_govsim({"run", (test::source_dir() / "tests/data/experiment/tiny.yaml").string(),
                        "-o", results.string(), "--no-progress", "--days", "2"},
                       dir);
  REQUIRE(r.code == 0);
  r = test::run_govsim(
      {"report", results.string(), "--series", "city_nothing", "-o", (dir / "x.html").string()},
      dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("govsim report: error:") && Catch::Contains("city_nothing"));
  CHECK_FALSE(fs::exists(dir / "x.html"));
  // A synthetic city has no outlines: the page says so instead of a map.
  r = test::run_govsim({"report", results.string(), "-o", (dir / "y.html").string()}, dir);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(test::slurp(dir / "y.html").find("no map") != std::string::npos);
}
