#pragma once
// The city and its residents as a run starts. Drawing 18.8 million residents takes about a
// second at full scale; the runs of an experiment that share city settings, population settings
// and seed (every policy of one replicate, under common random numbers) can start from one build
// and copy it (a memory copy of ~120 MB) instead.
#include <condition_variable>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "models/city/city.hpp"
#include "models/city/residents.hpp"
#include "models/scenario/scenario.hpp"

namespace gov {

struct StartingPopulation {
  std::string key;  // starting_population_key of the scenario it was built for
  City city;
  Residents residents;
};

StartingPopulation build_starting_population(const Scenario& s);

// What a starting population depends on: equal keys give identical builds.
std::string starting_population_key(const Scenario& s);

// Keeps the most recently used builds (at most `capacity`), shared by the runs in flight. Safe to
// call from several threads: a build asked for while another thread makes it is waited for, not
// made twice.
class StartingPopulationCache {
 public:
  explicit StartingPopulationCache(std::size_t capacity) : capacity_(capacity) {}
  std::shared_ptr<const StartingPopulation> get(const Scenario& s);
  std::size_t builds() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const StartingPopulation> population;  // null while being built
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable built_;
  std::list<Entry> entries_;  // most recently used first
  std::size_t builds_ = 0;
};

}  // namespace gov
