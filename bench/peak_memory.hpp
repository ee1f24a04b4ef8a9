#pragma once
// Peak resident set size of this process, from the kernel's accounting.
#include <sys/resource.h>

namespace bench {
inline double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}
}  // namespace bench
