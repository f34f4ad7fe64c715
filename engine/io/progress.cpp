#include "engine/io/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tamnhin::io {

namespace {

std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string seconds(double s) {
  char buffer[32];
  if (s < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1f s", s);
  } else {
    std::snprintf(buffer, sizeof buffer, "%d min %02d s", static_cast<int>(s / 60),
                  static_cast<int>(std::fmod(s, 60)));
  }
  return buffer;
}

}  // namespace

std::string progress_line(const ProgressState& state) {
  std::string line = std::to_string(state.scenarios_done) + '/' + std::to_string(state.scenarios) +
                     " scenarios \u00b7 " + grouped(state.draws_done) + '/' + grouped(state.draws) +
                     " draws \u00b7 " + seconds(state.elapsed_seconds);
  // The estimate assumes the remaining draws go as fast as the ones done; it appears once
  // a twentieth of the work is done, before which it would mostly measure start-up.
  if (state.draws > 0 && state.draws_done * 20 >= state.draws && state.draws_done < state.draws) {
    const double left = state.elapsed_seconds *
                        static_cast<double>(state.draws - state.draws_done) /
                        static_cast<double>(state.draws_done);
    line += " \u00b7 about " + seconds(left) + " left";
  }
  return line;
}

Progress::Progress(bool enabled, std::uint64_t scenarios, std::uint64_t draws)
    : scenarios_(scenarios), draws_(draws), started_(std::chrono::steady_clock::now()) {
  if (!enabled || ::isatty(STDERR_FILENO) != 1) return;
  const char* no_color = std::getenv("NO_COLOR");  // https://no-color.org: set and not empty
  const char* term = std::getenv("TERM");
  colour_ = (no_color == nullptr || *no_color == '\0') &&
            (term == nullptr || std::strcmp(term, "dumb") != 0);
  thread_ = std::thread([this] { run(); });
}

Progress::~Progress() {
  stop();
}

void Progress::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Progress::run() {
  using namespace std::chrono_literals;
  std::unique_lock lock(mutex_);
  // Nothing in the first second: a quick run prints only its scorecard.
  if (wake_.wait_for(lock, 1s, [this] { return stopping_; })) return;
  while (!stopping_) {
    ProgressState state{
        scenarios_done.load(std::memory_order_relaxed), scenarios_,
        std::min(draws_done.load(std::memory_order_relaxed), draws_), draws_,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count()};
    const std::string line = progress_line(state);
    // \r and erase-to-end-of-line: one line rewritten in place.
    const std::string text =
        colour_ ? "\r\x1b[2m" + line + "\x1b[0m\x1b[K" : '\r' + line + "\x1b[K";
    (void)!::write(STDERR_FILENO, text.data(), text.size());
    shown_ = true;
    wake_.wait_for(lock, 250ms, [this] { return stopping_; });
  }
  if (shown_) {
    static constexpr char kErase[] = "\r\x1b[K";
    (void)!::write(STDERR_FILENO, kErase, sizeof kErase - 1);
  }
}

}  // namespace tamnhin::io
