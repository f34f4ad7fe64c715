// A one-line progress display on stderr while a study runs: scenarios and draws done,
// elapsed time and an estimate of the time left. Shown only when stderr is a terminal
// and the run has taken more than a second (a short run prints nothing), never with
// --quiet; in colour only when NO_COLOR is unset and TERM is not "dumb".
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace tamnhin::io {

struct ProgressState {
  std::uint64_t scenarios_done = 0, scenarios = 0;
  std::uint64_t draws_done = 0, draws = 0;
  double elapsed_seconds = 0;
};

// "3/16 scenarios · 45,000/160,000 draws · 1.2 s · about 3 s left" (no colour, no \r).
std::string progress_line(const ProgressState& state);

class Progress {
 public:
  // Does nothing unless `enabled` and stderr is a terminal.
  Progress(bool enabled, std::uint64_t scenarios, std::uint64_t draws);
  ~Progress();  // stops and erases the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  std::atomic<std::uint64_t> draws_done{0};
  std::atomic<std::uint64_t> scenarios_done{0};

  void stop();

 private:
  void run();

  std::uint64_t scenarios_, draws_;
  bool colour_ = false;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tamnhin::io
