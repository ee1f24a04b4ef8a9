#pragma once
// A multi-server queue in continuous time, advanced tick by tick. Jobs wait in order of
// (priority, arrival time, arrival sequence); a job with a finite `latest_start_h` that has not
// started by then is served by a borrowed server (staff pulled off routine work), which is how an
// attendance limit is kept without pretending capacity is unlimited.
#include <cstdint>
#include <deque>
#include <limits>
#include <queue>
#include <vector>

namespace sim {

struct Job {
  std::uint64_t id = 0;       // caller's identity, returned in events
  double arrival_h = 0;       // arrival time, h since the start of the run
  double service_h = 0;       // time a server is occupied
  std::int32_t priority = 0;  // lower is served first
  double latest_start_h = std::numeric_limits<double>::infinity();
};

// Alike jobs that emit no events, because the caller needs only the load they put on servers (a
// call centre's consultations): one service time and one priority for all, no deadline, never
// raised. Served in arrival order and all equally long, they finish in the order they start, so
// the unit keeps them in a FIFO of completions with no slot, rather than in its heap: most of a
// call centre's jobs cost a few words instead of a job record and two heap operations.
struct SilentJobs {
  double service_h = 0;
  std::int32_t priority = 0;
};

struct JobEvent {
  enum class Kind : std::uint8_t { Started, Completed };
  Kind kind;
  bool borrowed;  // served by a borrowed server
  std::uint64_t id;
  double time_h;
  double arrival_h;
};

class ServiceUnit {
 public:
  // servers < 0 means unlimited (every job starts on arrival).
  explicit ServiceUnit(int servers = 1, SilentJobs silent = {})
      : servers_(servers), silent_(silent) {}

  int servers() const { return servers_; }
  // Arrivals must not precede the time the unit has been advanced to; earlier times are clamped
  // (messages merged at tick boundaries may carry a time inside the previous tick).
  void arrive(const Job& job);
  // A silent job (SilentJobs above). At equal arrival times silent jobs are taken first.
  void arrive_silent(double arrival_h);
  // Processes every arrival, start and completion with time < until_h, appending events in time
  // order. Deterministic for a given sequence of arrive() and arrive_silent() calls.
  void advance(double until_h, std::vector<JobEvent>& out);

  // Moves a waiting (or handed-in, not yet reached) job ahead to `priority` if that is ahead of
  // its own (supervision, escalation); false if no such job waits here.
  bool raise_priority(std::uint64_t id, std::int32_t priority);

  double now_h() const { return now_h_; }
  std::size_t queue_length() const { return waiting_count_; }
  int busy_servers() const { return busy_; }
  // Server-hours spent in service so far (own servers, and borrowed ones separately).
  double busy_server_hours() const { return busy_hours_; }
  double borrowed_server_hours() const { return borrowed_hours_; }
  std::uint64_t started_jobs() const { return started_; }

 private:
  // Jobs of one priority start in arrival order, and advance() takes arrivals in time order, so
  // each priority class is a FIFO (a heap over all waiting jobs cost a cache miss per level on
  // the hotline's long queue). Only a raised job is inserted in the middle of its new class.
  struct Waiting {
    double arrival_h;
    std::uint32_t slot;
    std::uint32_t generation;
  };
  struct PriorityClass {
    std::int32_t priority;
    std::deque<Waiting> fifo;
  };
  struct InService {
    double done_h;
    std::uint64_t seq;
    std::uint32_t slot;
    bool borrowed;
    bool operator>(const InService& o) const {
      return done_h != o.done_h ? done_h > o.done_h : seq > o.seq;
    }
  };
  struct SilentInService {
    double done_h;
    std::uint64_t seq;
  };
  struct Deadline {
    double latest_h;
    std::uint64_t seq;
    std::uint32_t slot;
    std::uint32_t generation;
    bool operator>(const Deadline& o) const {
      return latest_h != o.latest_h ? latest_h > o.latest_h : seq > o.seq;
    }
  };
  template <class T>
  using MinHeap = std::priority_queue<T, std::vector<T>, std::greater<T>>;

  // Marks a waiting silent job, which has no slot.
  static constexpr std::uint32_t kSilentSlot = std::numeric_limits<std::uint32_t>::max();

  void integrate_to(double t);
  void start(std::uint32_t slot, double t, bool borrowed, std::vector<JobEvent>& out);
  void start_silent(double t);
  // Completes the job that finishes first (at time t), then lets its server take waiting jobs.
  void complete_next(double t, std::vector<JobEvent>& out);
  bool silent_completes_next() const;
  std::uint32_t store(const Job& job);
  // A heap entry is stale once its job started or its slot was reused by a later job; a silent
  // job waits in its class only (no deadline can start it elsewhere).
  bool pending(std::uint32_t slot, std::uint32_t generation) const {
    return slot == kSilentSlot || (!slot_started_[slot] && slot_generation_[slot] == generation);
  }
  bool free_server() const { return servers_ < 0 || busy_ < servers_; }
  PriorityClass& priority_class(std::int32_t priority);
  void drop_stale_waiting();
  // The next waiting job still pending, removed from its class; false if none.
  bool pop_waiting(Waiting& out);

  int servers_;
  SilentJobs silent_;
  int busy_ = 0;
  int borrowed_busy_ = 0;
  double now_h_ = 0;
  double busy_hours_ = 0;
  double borrowed_hours_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t started_ = 0;
  std::size_t waiting_count_ = 0;

  std::vector<Job> slots_;
  std::vector<std::uint8_t> slot_started_;
  std::vector<std::uint32_t> slot_generation_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<Job> arrivals_;  // not yet reached by advance(), kept sorted by arrival time
  std::size_t next_arrival_ = 0;
  std::vector<PriorityClass> waiting_;  // ascending priority
  MinHeap<InService> in_service_;
  MinHeap<Deadline> deadlines_;
  std::vector<double> silent_arrivals_;  // not yet reached by advance(), in arrival order
  std::size_t next_silent_arrival_ = 0;
  std::deque<SilentInService> silent_in_service_;  // in order of completion
};

}  // namespace sim
