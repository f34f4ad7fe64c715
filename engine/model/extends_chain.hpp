// `extends` chains, shared by model and scenario files: a file names the file it builds on
// as `[<section>] extends = "other.toml"` (relative to itself), which may name another, and
// so on. One resolver reads the whole chain, so cycles and unreadable parents are detected
// and reported the same way for both kinds of file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/diagnostics.hpp"
#include "engine/model/toml_reader.hpp"

namespace tamnhin {

// One file of a chain, parsed, with the reader that reports its problems (and keeps its
// text, which locations are computed from).
struct ChainFile {
  std::string file;
  ParsedToml parsed;
  std::unique_ptr<TomlReader> reader;
  const toml::table* header = nullptr;  // the file's [<section>] table, if it has one
};

// Reads `file` and the files it extends, the file named first and its root last. A file
// without a [<section>] table or without `extends` ends the chain. A cycle, or a parent that
// cannot be read (missing, not TOML, ...), is reported at the `extends` key that names it
// (`kind` names the files in the hint: "model", "scenario"); returns nullopt then, and also
// when `file` itself cannot be read.
std::optional<std::vector<ChainFile>> read_extends_chain(const std::string& file,
                                                         std::string_view section,
                                                         std::string_view kind,
                                                         Diagnostics& diagnostics);

// `path` as written in `base_file`: relative to that file's directory unless absolute.
std::string path_relative_to(const std::string& base_file, const std::string& path);

}  // namespace tamnhin
