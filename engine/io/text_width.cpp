#include "engine/io/text_width.hpp"

#include <cstdint>

namespace tamnhin::io::detail {
namespace {

// Length in bytes of the UTF-8 sequence starting with `lead` (1 for stray bytes, so that
// invalid input still advances and is counted, rather than looping or throwing).
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

std::uint32_t decode(std::string_view text, std::size_t at, std::size_t length) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  if (length == 1) return byte(0);
  std::uint32_t cp = byte(0) & (0x7Fu >> length);
  for (std::size_t i = 1; i < length; ++i) cp = (cp << 6) | (byte(i) & 0x3Fu);
  return cp;
}

bool is_combining(std::uint32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F);
}

// Calls visit(byte offset, byte length, columns) for each code point.
template <typename Visit>
void for_each_code_point(std::string_view text, Visit visit) {
  for (std::size_t at = 0; at < text.size();) {
    std::size_t length = sequence_length(static_cast<unsigned char>(text[at]));
    if (at + length > text.size()) length = 1;
    const std::size_t columns = is_combining(decode(text, at, length)) ? 0 : 1;
    if (!visit(at, length, columns)) return;
    at += length;
  }
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for_each_code_point(text, [&](std::size_t, std::size_t, std::size_t columns) {
    width += columns;
    return true;
  });
  return width;
}

std::string truncate_to_width(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return {};
  // Keep width - 1 columns (and the combining marks that follow them), then "…".
  std::size_t used = 0, end = 0;
  for_each_code_point(text, [&](std::size_t at, std::size_t length, std::size_t columns) {
    if (used + columns > width - 1) return false;
    used += columns;
    end = at + length;
    return true;
  });
  return std::string(text.substr(0, end)) + "\u2026";
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out = truncate_to_width(text, width);
  out.append(width - display_width(out), ' ');
  return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
  std::string out = truncate_to_width(text, width);
  return std::string(width - display_width(out), ' ') + out;
}

}  // namespace tamnhin::io::detail
