// Reading TOML with positions: every type error, unknown key or bad value becomes a
// Diagnostic at the node's file:line:column with its key path. Shared by the model and
// scenario loaders.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "engine/core/diagnostics.hpp"

namespace tamnhin {

struct ParsedToml {
  toml::table root;
  std::string text;  // the file's bytes, to place equation text precisely
};

// Reads and parses a TOML file. Missing files, directories, unreadable or oversized files,
// invalid UTF-8 and syntax errors become diagnostics; returns nullopt then.
std::optional<ParsedToml> parse_toml_file(const std::string& file, Diagnostics& diagnostics);

// Largest input file we accept; a model is a few hundred lines.
inline constexpr std::uintmax_t kMaxInputBytes = 16u << 20;

class TomlReader {
 public:
  TomlReader(std::string file, std::string text, Diagnostics& diagnostics);

  const std::string& file() const { return file_; }
  Diagnostics& diagnostics() { return diagnostics_; }
  SourceLocation at(const toml::node& node) const;
  SourceLocation at(const toml::key& key) const;
  SourceLocation at(const toml::source_region& region) const;

  void error(const SourceLocation& where, std::string subject, std::string message,
             std::string hint = {});

  // Typed reads: on a wrong type, report "expected a number, got a string" and return
  // nullopt. `number` accepts integers and floats and rejects nan/inf.
  std::optional<double> number(const toml::node& node, const std::string& path);
  std::optional<std::int64_t> integer(const toml::node& node, const std::string& path);
  // A calendar year: an integer in 1..9999, so that it fits the int years are kept in
  // (4294969319 would wrap to 2023) and year arithmetic cannot overflow; the model's own
  // checks narrow the range further.
  std::optional<int> year(const toml::node& node, const std::string& path);
  std::optional<std::string> string(const toml::node& node, const std::string& path);
  std::optional<bool> boolean(const toml::node& node, const std::string& path);
  const toml::table* table(const toml::node& node, const std::string& path);
  const toml::array* array(const toml::node& node, const std::string& path);

  // Reports every key of `table` not in `allowed`, with a did-you-mean.
  void check_keys(const toml::table& table, const std::string& path,
                  std::initializer_list<std::string_view> allowed);

  // The strings of the array at table[key] (e.g. `names = ["a", "b"]`), reporting a
  // missing key, a wrong type or a non-string item.
  std::vector<std::string> string_list_at(const toml::table& table, std::string_view key,
                                          const std::string& path);

  // The number at table[key], reporting a missing key when `required`.
  std::optional<double> number_at(const toml::table& table, std::string_view key,
                                  const std::string& path, bool required);

  // Where the characters of a string value start: past the opening quote(s), and past
  // the newline that TOML trims right after an opening """.
  SourceLocation string_start(const toml::node& node) const;

  // A square matrix of numbers (array of arrays), k x k, row-major.
  std::optional<std::vector<double>> square_matrix(const toml::node& node, std::size_t k,
                                                   const std::string& path);

 private:
  std::string file_;
  std::string text_;
  // Byte offset of each line's first character: string_start is asked once per equation,
  // and scanning the text from its start each time was 1-2% of a whole run.
  std::vector<std::size_t> line_starts_;
  Diagnostics& diagnostics_;
};

// The entries of a table in the order they appear in the file (toml++ keeps tables
// sorted by key, but model order is the order the user wrote).
std::vector<std::pair<const toml::key*, const toml::node*>> entries_in_file_order(
    const toml::table& table);

// True for [a-z][a-z0-9_]*.
bool is_valid_name(std::string_view name);

}  // namespace tamnhin
