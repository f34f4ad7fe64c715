#include "engine/model/expr.hpp"

namespace tamnhin {

// The spellings must match what the tokenizer in parse_expression.cpp accepts, so a
// message that quotes an operator quotes something the user can type.
const char* to_string(BinaryOp op) {
  switch (op) {
    case BinaryOp::add:
      return "+";
    case BinaryOp::sub:
      return "-";
    case BinaryOp::mul:
      return "*";
    case BinaryOp::div:
      return "/";
    case BinaryOp::pow:
      return "^";
    case BinaryOp::lt:
      return "<";
    case BinaryOp::le:
      return "<=";
    case BinaryOp::gt:
      return ">";
    case BinaryOp::ge:
      return ">=";
    case BinaryOp::eq:
      return "==";
    case BinaryOp::ne:
      return "!=";
    case BinaryOp::logical_and:
      return "and";
    case BinaryOp::logical_or:
      return "or";
  }
  return "?";  // unreachable for valid enumerators; keeps -Wreturn-type quiet
}

const char* to_string(UnaryOp op) {
  switch (op) {
    case UnaryOp::negate:
      return "-";
    case UnaryOp::logical_not:
      return "not";
  }
  return "?";
}

}  // namespace tamnhin
