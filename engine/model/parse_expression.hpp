// Parser for equations: text -> Expr. Precedence, loosest first:
//   or < and < not < comparisons (< <= > >= == !=, non-associative) < + - < * /
//   < unary - < ^ (right-associative, so -x^2 = -(x^2) and 2^3^2 = 2^9).
// Numbers: 12, 0.5, .5, 1e-3, 2.5E+4. Names: [a-z][a-z0-9_]* (keywords and/or/not are
// not names). Calls: name(arg, ...), with any number of arguments (arity is checked when
// names are resolved, not here). Nesting deeper than kMaxExpressionDepth is an error, never a
// stack overflow.
#pragma once

#include <string_view>

#include "engine/core/diagnostics.hpp"
#include "engine/model/expr.hpp"

namespace tamnhin {

// Where an equation's text starts in its file, to turn offsets into file:line:column.
struct TextOrigin {
  std::string file;
  int line = 0;         // of the first character of the text
  int column = 0;       // of the first character of the text
  std::string subject;  // key path reported with errors, e.g. "vars.gdp.eq"
};

// The location of byte `offset` of `text` (counting lines inside multi-line text).
SourceLocation location_of(const TextOrigin& origin, std::string_view text, int offset);

// Counts open parentheses, calls and unary operators ('-', 'not'): the nesting a reader sees.
inline constexpr int kMaxExpressionDepth = 256;
// Bounds the height of the returned tree, which also grows by one per operator of a chain
// like "a + b + c": a deeper tree would overflow the stack of any recursive pass over it
// (even its destructor), so such an equation is an error, not a crash.
inline constexpr int kMaxExpressionHeight = 1000;

// Returns the tree, or nullptr after adding one diagnostic (the first syntax error, with
// what was expected and what was found, e.g. "expected ')' to close '(' at column 7, found
// end of equation").
ExprPtr parse_expression(std::string_view text, const TextOrigin& origin, Diagnostics& diagnostics);

}  // namespace tamnhin
