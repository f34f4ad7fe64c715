// The expression language of MODEL_FORMAT.md as a syntax tree. Every node keeps the byte
// offset of its first character in the equation text, so later stages (name resolution,
// arity checks, cycle reports) can point at file:line:column.
// Offsets, precisely: a number or name (with or without elements): its first character; a call: its
// function name; a unary node: its operator ('-' or 'not'); a binary node (including '^'): the
// start of its left operand's text, counting any '(' that encloses that operand. Parentheses make
// no node, so the '+' of "(a + b)" has the offset of 'a', and the '*' of "(a + b) * c" has 0. A
// tree from parse_expression is at most kMaxExpressionHeight levels high, so passes over it may
// recurse.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace tamnhin {

enum class ExprKind { number, name, unary, binary, call };
enum class UnaryOp { negate, logical_not };
enum class BinaryOp { add, sub, mul, div, pow, lt, le, gt, ge, eq, ne, logical_and, logical_or };

struct Expr {
  ExprKind kind = ExprKind::number;
  int offset = 0;     // byte offset in the equation text
  double number = 0;  // ExprKind::number
  std::string name;   // ExprKind::name: the name; ExprKind::call: the function
  // ExprKind::name written with elements, x[long_an] or x[long_an, 0-14]: the elements as
  // written, and the offset of each.
  std::vector<std::string> subscripts;
  std::vector<int> subscript_offsets;
  UnaryOp unary_op = UnaryOp::negate;
  BinaryOp binary_op = BinaryOp::add;
  std::vector<std::unique_ptr<Expr>> args;  // operands (unary: 1, binary: 2) or call args
};

using ExprPtr = std::unique_ptr<Expr>;

// Spelling of an operator as written in equations ("+", "<=", "and", ...).
const char* to_string(BinaryOp op);
const char* to_string(UnaryOp op);

}  // namespace tamnhin
