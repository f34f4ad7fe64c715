#include "engine/model/toml_reader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

namespace tamnhin {

namespace {

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// toml++ reports invalid UTF-8 too, but with a message about the byte; checking first
// lets us say what the user can do about it.
std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    if (c < 0x80)
      extra = 0;
    else if ((c & 0xE0) == 0xC0 && c >= 0xC2)
      extra = 1;
    else if ((c & 0xF0) == 0xE0)
      extra = 2;
    else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
      extra = 3;
    else
      return i;
    for (std::size_t k = 1; k <= extra; ++k) {
      if (i + k >= text.size()) return i;
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return i;
    }
    i += extra + 1;
  }
  return std::nullopt;
}

// toml++ limits the nesting of arrays and inline tables, but not of dotted keys and table
// headers ([a.b.c...]): it recurses once per part, so 30,000 parts overflow the stack.
// A model needs four or five parts ("vars.gdp.targets"), so a line whose key has more
// than kMaxKeyParts is refused before parsing. A line inside a multi-line string that
// looks like such a key is refused too; with this many parts that is no real loss.
constexpr std::size_t kMaxKeyParts = 64;

// The offset of the first line whose key (at the line's start, or inside a [header] or
// [[header]]) has more than kMaxKeyParts parts.
std::optional<std::size_t> first_overdeep_key(std::string_view text) {
  const auto is_blank = [](char c) { return c == ' ' || c == '\t'; };
  const auto is_bare = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  };
  std::size_t line = 0;
  while (line < text.size()) {
    std::size_t i = line;
    while (i < text.size() && is_blank(text[i])) ++i;
    while (i < text.size() && i < line + 2 && text[i] == '[') ++i;
    std::size_t parts = 0;
    for (;;) {
      while (i < text.size() && is_blank(text[i])) ++i;
      if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {  // a quoted part
        const char quote = text[i++];
        while (i < text.size() && text[i] != quote && text[i] != '\n') {
          i += quote == '"' && text[i] == '\\' ? 2 : 1;
        }
        if (i >= text.size() || text[i] != quote) break;
        ++i;
      } else if (i < text.size() && is_bare(text[i])) {
        while (i < text.size() && is_bare(text[i])) ++i;
      } else {
        break;
      }
      if (++parts > kMaxKeyParts) return line;
      while (i < text.size() && is_blank(text[i])) ++i;
      if (i >= text.size() || text[i] != '.') break;
      ++i;
    }
    const std::size_t end = text.find('\n', i);
    line = end == std::string_view::npos ? text.size() : end + 1;
  }
  return std::nullopt;
}

SourceLocation location_of_offset(const std::string& file, std::string_view text,
                                  std::size_t offset) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {file, line, column};
}

}  // namespace

std::optional<ParsedToml> parse_toml_file(const std::string& file, Diagnostics& diagnostics) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(file, ec);
  if (ec || !fs::exists(status)) {
    diagnostics.add({file, 0, 0}, "", "file not found",
                    "check the path; scenario files name their model relative to themselves");
    return std::nullopt;
  }
  if (fs::is_directory(status)) {
    diagnostics.add({file, 0, 0}, "", "is a directory, not a TOML file",
                    "name the .toml file inside it");
    return std::nullopt;
  }
  const auto size = fs::file_size(file, ec);
  if (!ec && size > kMaxInputBytes) {
    diagnostics.add({file, 0, 0}, "",
                    "file is too large (" + std::to_string(size) + " bytes, limit " +
                        std::to_string(kMaxInputBytes) + ")",
                    "is this really a model or scenario file?");
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diagnostics.add({file, 0, 0}, "", "cannot read file", "check its permissions");
    return std::nullopt;
  }
  // Read at most one byte past the limit: the size check above sees only regular files,
  // and a device or pipe (model = "/dev/zero") would otherwise be read until memory runs out.
  std::string text;
  std::array<char, 1 << 16> chunk;
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes) {
      diagnostics.add(
          {file, 0, 0}, "",
          "file is too large (more than " + std::to_string(kMaxInputBytes) + " bytes, the limit)",
          "is this really a model or scenario file?");
      return std::nullopt;
    }
  }
  if (in.bad()) {
    diagnostics.add({file, 0, 0}, "", "cannot read file", "check its permissions");
    return std::nullopt;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    diagnostics.add({file, 1, 1}, "", "file is empty",
                    "a model needs a [model] table; a scenario a [scenario] table");
    return std::nullopt;
  }
  if (text.find('\0') != std::string::npos) {
    diagnostics.add(location_of_offset(file, text, text.find('\0')), "",
                    "file contains NUL bytes: it is binary, not TOML", "name a .toml text file");
    return std::nullopt;
  }
  if (auto bad = first_invalid_utf8(text)) {
    diagnostics.add(location_of_offset(file, text, *bad), "", "file is not valid UTF-8",
                    "save the file as UTF-8 (Vietnamese names need it)");
    return std::nullopt;
  }
  if (auto deep = first_overdeep_key(text)) {
    diagnostics.add(
        location_of_offset(file, text, *deep), "",
        "a key with more than " + std::to_string(kMaxKeyParts) + " dotted parts (such as a.b.c...)",
        "a model's keys have a few parts, as in vars.gdp.eq");
    return std::nullopt;
  }
  try {
    return ParsedToml{toml::parse(text, file), text};
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    diagnostics.add({file, static_cast<int>(begin.line), static_cast<int>(begin.column)}, "",
                    "TOML syntax error: " + std::string(e.description()),
                    "see https://toml.io for the syntax");
    return std::nullopt;
  }
}

SourceLocation TomlReader::at(const toml::source_region& region) const {
  return {file_, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}
SourceLocation TomlReader::at(const toml::node& node) const {
  return at(node.source());
}
SourceLocation TomlReader::at(const toml::key& key) const {
  return at(key.source());
}

void TomlReader::error(const SourceLocation& where, std::string subject, std::string message,
                       std::string hint) {
  diagnostics_.add(where, std::move(subject), std::move(message), std::move(hint));
}

std::optional<double> TomlReader::number(const toml::node& node, const std::string& path) {
  if (auto i = node.as_integer()) return static_cast<double>(i->get());
  if (auto f = node.as_floating_point()) {
    const double v = f->get();
    if (!std::isfinite(v)) {
      error(at(node), path, "must be a finite number, got " + show_number(v));
      return std::nullopt;
    }
    return v;
  }
  error(at(node), path, "expected a number, got " + type_name(node));
  return std::nullopt;
}

std::optional<std::int64_t> TomlReader::integer(const toml::node& node, const std::string& path) {
  if (auto i = node.as_integer()) return i->get();
  if (auto f = node.as_floating_point(); f && std::floor(f->get()) == f->get()) {
    error(at(node), path, "expected an integer, got " + show_number(f->get()),
          "write it without a decimal point");
    return std::nullopt;
  }
  error(at(node), path, "expected an integer, got " + type_name(node));
  return std::nullopt;
}

std::optional<int> TomlReader::year(const toml::node& node, const std::string& path) {
  const auto value = integer(node, path);
  if (!value) return std::nullopt;
  if (*value < 1 || *value > 9999) {
    error(at(node), path, "must be a calendar year, got " + std::to_string(*value));
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

std::optional<std::string> TomlReader::string(const toml::node& node, const std::string& path) {
  if (auto s = node.as_string()) return s->get();
  error(at(node), path, "expected a string, got " + type_name(node),
        node.is_number() ? "equations are strings: eq = \"...\"" : "");
  return std::nullopt;
}

std::optional<bool> TomlReader::boolean(const toml::node& node, const std::string& path) {
  if (auto b = node.as_boolean()) return b->get();
  error(at(node), path, "expected true or false, got " + type_name(node));
  return std::nullopt;
}

const toml::table* TomlReader::table(const toml::node& node, const std::string& path) {
  if (auto t = node.as_table()) return t;
  error(at(node), path, "expected a table, got " + type_name(node));
  return nullptr;
}

const toml::array* TomlReader::array(const toml::node& node, const std::string& path) {
  if (auto a = node.as_array()) return a;
  error(at(node), path, "expected an array, got " + type_name(node));
  return nullptr;
}

void TomlReader::check_keys(const toml::table& table, const std::string& path,
                            std::initializer_list<std::string_view> allowed) {
  std::vector<std::string> candidates(allowed.begin(), allowed.end());
  for (auto [key_ptr, value] : entries_in_file_order(table)) {
    const toml::key& key = *key_ptr;
    const std::string_view k = key.str();
    bool known = false;
    for (auto a : allowed) known = known || a == k;
    if (known) continue;
    std::string hint = did_you_mean(k, candidates);
    if (hint.empty()) {
      hint = "allowed here:";
      for (auto a : allowed) hint += " " + std::string(a);
    }
    error(at(key), path.empty() ? std::string(k) : path + "." + std::string(k), "unknown key",
          hint);
  }
}

std::vector<std::string> TomlReader::string_list_at(const toml::table& table, std::string_view key,
                                                    const std::string& path) {
  std::vector<std::string> out;
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    error(at(table), path, "missing required key '" + std::string(key) + "'");
    return out;
  }
  const std::string list_path = path + "." + std::string(key);
  const toml::array* items = array(*node, list_path);
  if (items == nullptr) return out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    if (auto s = string(*items->get(i), list_path + "[" + std::to_string(i) + "]")) {
      out.push_back(*s);
    }
  }
  return out;
}

std::optional<double> TomlReader::number_at(const toml::table& table, std::string_view key,
                                            const std::string& path, bool required) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) error(at(table), path, "missing required key '" + std::string(key) + "'");
    return std::nullopt;
  }
  return number(*node, path + "." + std::string(key));
}

std::optional<std::vector<double>> TomlReader::square_matrix(const toml::node& node, std::size_t k,
                                                             const std::string& path) {
  const toml::array* rows = array(node, path);
  if (rows == nullptr) return std::nullopt;
  if (rows->size() != k) {
    error(at(node), path,
          "expected " + std::to_string(k) + " rows, got " + std::to_string(rows->size()),
          "one row per name, in the order of the names");
    return std::nullopt;
  }
  std::vector<double> matrix;
  bool ok = true;
  for (std::size_t i = 0; i < k; ++i) {
    const std::string row_path = path + "[" + std::to_string(i) + "]";
    const toml::array* row = array(*rows->get(i), row_path);
    if (row == nullptr) return std::nullopt;
    if (row->size() != k) {
      error(at(*rows->get(i)), row_path,
            "expected " + std::to_string(k) + " columns, got " + std::to_string(row->size()));
      return std::nullopt;
    }
    for (std::size_t j = 0; j < k; ++j) {
      auto v = number(*row->get(j), row_path + "[" + std::to_string(j) + "]");
      ok = ok && v.has_value();
      matrix.push_back(v.value_or(0.0));
    }
  }
  if (!ok) return std::nullopt;
  return matrix;
}

TomlReader::TomlReader(std::string file, std::string text, Diagnostics& diagnostics)
    : file_(std::move(file)), text_(std::move(text)), diagnostics_(diagnostics) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

SourceLocation TomlReader::string_start(const toml::node& node) const {
  SourceLocation where = at(node);
  // The byte offset of (line, column); columns count code points in toml++, which
  // matches bytes on the ASCII lines that hold equations.
  const auto line = static_cast<std::size_t>(std::max(where.line, 1));
  std::size_t offset = line <= line_starts_.size() ? line_starts_[line - 1] : text_.size();
  offset += static_cast<std::size_t>(std::max(where.column - 1, 0));
  const std::string_view rest = std::string_view(text_).substr(std::min(offset, text_.size()));
  if (rest.starts_with("\"\"\"") || rest.starts_with("'''")) {
    const std::string_view after = rest.substr(3);
    if (after.starts_with("\n") || after.starts_with("\r\n"))
      return {where.file, where.line + 1, 1};
    where.column += 3;
    return where;
  }
  where.column += 1;
  return where;
}

std::vector<std::pair<const toml::key*, const toml::node*>> entries_in_file_order(
    const toml::table& table) {
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [key, value] : table) entries.emplace_back(&key, &value);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& pa = a.first->source().begin;
    const auto& pb = b.first->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return entries;
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace tamnhin
