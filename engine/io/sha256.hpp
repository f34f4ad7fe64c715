// SHA-256 (FIPS 180-4) of a file's bytes, for run.json's record of the inputs.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tamnhin::io {

std::string sha256_hex(std::string_view bytes);
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace tamnhin::io
