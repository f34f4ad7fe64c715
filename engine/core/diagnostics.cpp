#include "engine/core/diagnostics.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>

namespace tamnhin {

namespace {
constexpr std::size_t kLongSubject = 100;
}  // namespace

std::string Diagnostic::to_string() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  }
  if (subject.size() > kLongSubject) {
    // A key path holding an over-long name (itself reported); the start says which.
    std::size_t cut = kLongSubject - 3;
    while (cut > 0 && (static_cast<unsigned char>(subject[cut]) & 0xC0) == 0x80) --cut;
    out += subject.substr(0, cut) + "...: ";
  } else if (!subject.empty()) {
    out += subject + ": ";
  }
  out += message;
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

namespace {
std::string join_messages(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.to_string();
  }
  return out;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_messages(diagnostics)), diagnostics_(std::move(diagnostics)) {}

InputError::InputError(Diagnostic diagnostic)
    : InputError(std::vector<Diagnostic>{std::move(diagnostic)}) {}

void Diagnostics::add(SourceLocation where, std::string subject, std::string message,
                      std::string hint) {
  items_.push_back(
      Diagnostic{std::move(where), std::move(subject), std::move(message), std::move(hint)});
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

void Diagnostics::throw_if_any() const {
  if (!items_.empty()) throw InputError(items_);
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions, so the
// common typo "uint" for "unit" is one edit away, not two.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t m = a.size(), n = b.size();
  std::vector<std::size_t> before(n + 1), previous(n + 1), current(n + 1);
  std::iota(previous.begin(), previous.end(), std::size_t{0});
  for (std::size_t i = 1; i <= m; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= n; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[n];
}

std::string show_number(double value) {
  std::ostringstream out;
  out.precision(10);
  out << value;
  return out.str();
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  // Accept up to a third of the name's length in edits (at least 1, at most 3): close
  // enough to be a typo, far enough not to suggest nonsense for short names.
  const std::size_t limit = std::clamp<std::size_t>(name.size() / 3, 1, 3);
  const std::string* best = nullptr;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = &candidate;
    }
  }
  if (best == nullptr) return {};
  return "did you mean '" + *best + "'?";
}

}  // namespace tamnhin
