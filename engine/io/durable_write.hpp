// The single-file step of write_files_atomically, exposed so that tests can aim it at a
// device that fails (/dev/full) without a whole directory behind it.
#pragma once

#include <filesystem>
#include <string_view>

namespace tamnhin::io::detail {

// Writes `content` to `path` and makes it durable (fwrite, fflush, fsync, fclose, each
// checked, so a full disk is caught here rather than found later as a short file).
// Throws std::system_error carrying the errno of the first step that failed.
void write_file_durably(const std::filesystem::path& path, std::string_view content);

}  // namespace tamnhin::io::detail
