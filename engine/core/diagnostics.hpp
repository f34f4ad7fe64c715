// User-facing errors: every mistake in an input file becomes a Diagnostic carrying the
// place (file:line:column), the name at fault and, where we can guess, a hint.
// `check` collects them all; `run` stops at the first batch of them.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tamnhin {

struct SourceLocation {
  std::string file;  // as the user named it (or as resolved from a scenario)
  int line = 0;      // 1-based; 0 when unknown (e.g. the file itself is missing)
  int column = 0;    // 1-based; 0 when unknown
};

struct Diagnostic {
  SourceLocation where;
  std::string subject;  // key path or name at fault, e.g. "params.okun.sd"; may be empty
  std::string message;  // what is wrong, with the bad value where there is one
  std::string hint;     // what to do about it; may be empty

  // "model.toml:14:9: params.okun.sd: must be positive, got -0.05" and, when there is a
  // hint, a second line "  hint: did you mean 'okun'?".
  std::string to_string() const;
};

// Bad input: maps to exit status 2. Carries every problem found, in the order found.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  explicit InputError(Diagnostic diagnostic);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Collects problems so that one pass over the inputs reports all of them.
class Diagnostics {
 public:
  void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }
  void add(SourceLocation where, std::string subject, std::string message, std::string hint = {});
  void append(const Diagnostics& other);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& all() const { return items_; }
  Diagnostic& back() { return items_.back(); }
  // Throws InputError holding everything collected, if anything was.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> items_;
};

// "did you mean 'okun'?" for the closest candidate within a small edit distance, else "".
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// A number as people write it in messages: "0.05", "1.5", "2030", "1e+21" (up to 10
// significant digits), never "2030.000000".
std::string show_number(double value);

// Levenshtein distance; exposed for tests.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace tamnhin
