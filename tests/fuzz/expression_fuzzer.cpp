// libFuzzer target: the equation parser on arbitrary bytes. Besides not crashing, the
// parser's contract is checked: a failed parse adds exactly one diagnostic, placed inside
// the equation; a tree is at most kMaxExpressionHeight high, every node's offset lies in
// the text, and unary and binary nodes have one and two operands.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/core/diagnostics.hpp"
#include "engine/model/expr.hpp"
#include "engine/model/parse_expression.hpp"

namespace {

// Recursion is safe: the height is what is being checked, and it is bounded by the parser.
int height_of(const tamnhin::Expr& e, std::size_t text_size) {
  if (e.offset < 0 || static_cast<std::size_t>(e.offset) >= text_size) std::abort();
  if (e.kind == tamnhin::ExprKind::unary && e.args.size() != 1) std::abort();
  if (e.kind == tamnhin::ExprKind::binary && e.args.size() != 2) std::abort();
  int below = 0;
  for (const auto& arg : e.args) {
    if (!arg) std::abort();
    const int h = height_of(*arg, text_size);
    below = h > below ? h : below;
  }
  return below + 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const tamnhin::TextOrigin origin{"fuzz.toml", 3, 7, "vars.x.eq"};
  tamnhin::Diagnostics diagnostics;
  const tamnhin::ExprPtr expr = tamnhin::parse_expression(text, origin, diagnostics);
  if (!expr) {
    if (diagnostics.size() != 1) std::abort();
    const tamnhin::Diagnostic& d = diagnostics.all()[0];
    if (d.where.line < origin.line || d.where.column < 1 || d.message.empty()) std::abort();
    (void)d.to_string();
    return 0;
  }
  if (!diagnostics.empty()) std::abort();
  if (height_of(*expr, text.size()) > tamnhin::kMaxExpressionHeight) std::abort();
  return 0;
}
