// Column alignment for UTF-8 text (names may be Vietnamese: "Tỷ lệ hộ nghèo"): widths are
// counted in code points, combining marks counting zero, so that text written either
// precomposed or decomposed lines up on a terminal. East Asian wide characters are not
// handled: names in our models do not use them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tamnhin::io::detail {

std::size_t display_width(std::string_view text);

// At most `width` columns; a cut name ends in "…" and never splits a code point or
// separates a letter from its combining marks.
std::string truncate_to_width(std::string_view text, std::size_t width);

// Padded with spaces to `width` columns (truncated first if longer).
std::string pad_right(std::string_view text, std::size_t width);
std::string pad_left(std::string_view text, std::size_t width);

}  // namespace tamnhin::io::detail
