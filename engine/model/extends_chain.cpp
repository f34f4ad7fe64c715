#include "engine/model/extends_chain.hpp"

#include <algorithm>
#include <filesystem>

namespace tamnhin {

namespace {

namespace fs = std::filesystem;

// Two spellings of one file ("a/../b.toml", a symlink) are one link of a cycle.
std::string canonical_or_same(const std::string& file) {
  std::error_code ec;
  const auto canonical = fs::weakly_canonical(file, ec);
  return ec ? file : canonical.string();
}

std::string at_text(const SourceLocation& at) {
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

}  // namespace

std::string path_relative_to(const std::string& base_file, const std::string& path) {
  const fs::path p(path);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (fs::path(base_file).parent_path() / p).lexically_normal().string();
}

std::optional<std::vector<ChainFile>> read_extends_chain(const std::string& file,
                                                         std::string_view section,
                                                         std::string_view kind,
                                                         Diagnostics& diagnostics) {
  const std::string key = std::string(section) + ".extends";
  std::vector<ChainFile> chain;
  std::vector<std::string> visited;  // canonical names of the files read so far
  std::string next = file;
  SourceLocation named_at;  // the `extends` that named `next` (none for `file`)
  while (true) {
    const std::string canonical = canonical_or_same(next);
    if (std::find(visited.begin(), visited.end(), canonical) != visited.end()) {
      std::string cycle;
      for (const auto& link : chain) cycle += link.file + " -> ";
      diagnostics.add(
          named_at, key, "extends cycle: " + cycle + next,
          "a " + std::string(kind) + " cannot extend itself, directly or through others");
      return std::nullopt;
    }
    visited.push_back(canonical);
    const std::size_t before = diagnostics.size();
    auto parsed = parse_toml_file(next, diagnostics);
    if (!parsed) {
      // A parent that cannot be read at all (a problem of the file, not at a line of it):
      // say who named it.
      // (A syntax error keeps its own hint.)
      Diagnostic* last = diagnostics.size() > before ? &diagnostics.back() : nullptr;
      if (!chain.empty() && last != nullptr && last->where.file == next &&
          (last->where.line == 0 || last->hint.empty())) {
        last->hint = "named by 'extends' at " + at_text(named_at);
      }
      return std::nullopt;
    }
    ChainFile link{next, std::move(*parsed), nullptr, nullptr};
    link.reader = std::make_unique<TomlReader>(next, link.parsed.text, diagnostics);
    const toml::node* header = link.parsed.root.get(section);
    link.header = header != nullptr ? header->as_table() : nullptr;
    const toml::node* extends = link.header != nullptr ? link.header->get("extends") : nullptr;
    std::optional<std::string> parent;
    if (extends != nullptr) {
      parent = link.reader->string(*extends, key);
      named_at = link.reader->at(*extends);
    }
    chain.push_back(std::move(link));
    if (!parent) return chain;
    next = path_relative_to(chain.back().file, *parent);
  }
}

}  // namespace tamnhin
