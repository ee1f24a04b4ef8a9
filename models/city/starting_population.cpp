#include "models/city/starting_population.hpp"

#include <algorithm>

#include "models/city/city_builder.hpp"
#include "models/scenario/scenario_loader.hpp"

namespace gov {

StartingPopulation build_starting_population(const Scenario& s) {
  const auto seed = static_cast<std::uint64_t>(s.run.seed);
  StartingPopulation p;
  p.key = starting_population_key(s);
  p.city = build_city(s.city, s.population.scale, seed);
  p.residents = build_residents(p.city, s.population, seed);
  return p;
}

std::string starting_population_key(const Scenario& s) {
  // Every declared city and population key, written out: a setting added later is part of the
  // key without anyone remembering to add it here.
  Scenario only;
  only.city = s.city;
  only.population = s.population;
  only.run.seed = s.run.seed;
  return resolved_yaml(only);
}

std::shared_ptr<const StartingPopulation> StartingPopulationCache::get(const Scenario& s) {
  const std::string key = starting_population_key(s);
  std::unique_lock lock(mutex_);
  for (;;) {
    const auto it = std::find_if(entries_.begin(), entries_.end(),
                                 [&](const Entry& e) { return e.key == key; });
    if (it == entries_.end()) break;
    if (it->population) {
      entries_.splice(entries_.begin(), entries_, it);
      return it->population;
    }
    built_.wait(lock);  // another run is building it
  }
  entries_.push_front({key, nullptr});
  ++builds_;
  lock.unlock();
  std::shared_ptr<const StartingPopulation> made;
  try {
    made = std::make_shared<const StartingPopulation>(build_starting_population(s));
  } catch (...) {
    lock.lock();
    entries_.remove_if([&](const Entry& e) { return e.key == key && !e.population; });
    built_.notify_all();
    throw;
  }
  lock.lock();
  for (auto& e : entries_) {
    if (e.key == key && !e.population) e.population = made;
  }
  // Forget the least recently used finished builds beyond the capacity.
  std::size_t kept = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->population && ++kept > capacity_) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  built_.notify_all();
  return made;
}

std::size_t StartingPopulationCache::builds() const {
  std::lock_guard lock(mutex_);
  return builds_;
}

}  // namespace gov
