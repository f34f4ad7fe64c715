// Writing outputs so that nothing half-written is ever left on disk: every file goes to a
// temporary name in the same directory, is flushed and closed, and only when all of them
// are written are they renamed into place.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace tamnhin::io {

// Creates the directory if needed and checks that a file can be created in it; throws
// InputError (a message naming the directory and a hint) when it is a file or not
// writable. Called before any simulation starts.
void prepare_output_dir(const std::filesystem::path& dir);

// (file name, content) pairs written atomically into `dir`. On any failure no temporary
// file is left behind and an InputError names the file and the reason.
void write_files_atomically(const std::filesystem::path& dir,
                            const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace tamnhin::io
