#include "engine/model/parse_expression.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <string>
#include <vector>

#include "engine/model/model.hpp"

namespace tamnhin {
namespace {

const TextOrigin kOrigin{"model.toml", 1, 1, "vars.x.eq"};

// Tree shapes as s-expressions: "(+ a (* b c))", "(- x)", "(call f a b)".
std::string sexpr(const Expr& e) {
  switch (e.kind) {
    case ExprKind::number: {
      char buffer[32];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, e.number);
      return std::string(buffer, result.ptr);
    }
    case ExprKind::name:
      return e.name;
    case ExprKind::unary:
    case ExprKind::binary:
    case ExprKind::call: {
      // Built with += only: GCC 12 warns falsely on " " + std::string (PR 105651).
      std::string out = "(";
      if (e.kind == ExprKind::unary) out += to_string(e.unary_op);
      if (e.kind == ExprKind::binary) out += to_string(e.binary_op);
      if (e.kind == ExprKind::call) out += "call " + e.name;
      for (const auto& arg : e.args) {
        out += ' ';
        out += sexpr(*arg);
      }
      out += ')';
      return out;
    }
  }
  return "?";
}

ExprPtr parse_ok(std::string_view text) {
  Diagnostics diagnostics;
  ExprPtr expr = parse_expression(text, kOrigin, diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << (diagnostics.empty() ? "" : diagnostics.all()[0].to_string());
  return expr;
}

std::string shape(std::string_view text) {
  ExprPtr expr = parse_ok(text);
  return expr ? sexpr(*expr) : "<error>";
}

// The one diagnostic of a failed parse (an empty one, after a test failure, if there is none).
Diagnostic parse_error(std::string_view text, const TextOrigin& origin = kOrigin) {
  Diagnostics diagnostics;
  ExprPtr expr = parse_expression(text, origin, diagnostics);
  EXPECT_EQ(expr, nullptr);
  EXPECT_EQ(diagnostics.size(), 1u);
  return diagnostics.empty() ? Diagnostic{} : diagnostics.all()[0];
}

TEST(ParseExpression, PrecedenceAndAssociativity) {
  EXPECT_EQ(shape("a + b * c"), "(+ a (* b c))");
  EXPECT_EQ(shape("a * b + c"), "(+ (* a b) c)");
  EXPECT_EQ(shape("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(shape("a / b / c"), "(/ (/ a b) c)");
  EXPECT_EQ(shape("a / b * c"), "(* (/ a b) c)");
  EXPECT_EQ(shape("(a + b) * c"), "(* (+ a b) c)");
  EXPECT_EQ(shape("2 ^ 3 ^ 2"), "(^ 2 (^ 3 2))");
  EXPECT_EQ(shape("-x ^ 2"), "(- (^ x 2))");
  EXPECT_EQ(shape("2 ^ -x ^ 2"), "(^ 2 (- (^ x 2)))");
  EXPECT_EQ(shape("-a * b"), "(* (- a) b)");
  EXPECT_EQ(shape("a * -b"), "(* a (- b))");
  EXPECT_EQ(shape("a - -b"), "(- a (- b))");
  EXPECT_EQ(shape("- - -x"), "(- (- (- x)))");
  EXPECT_EQ(shape("(-x) ^ 2"), "(^ (- x) 2)");
  EXPECT_EQ(shape("a + b < c * d"), "(< (+ a b) (* c d))");
  EXPECT_EQ(shape("a < b and c >= d or e != f"), "(or (and (< a b) (>= c d)) (!= e f))");
  EXPECT_EQ(shape("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(shape("a and b and c"), "(and (and a b) c)");
  EXPECT_EQ(shape("not a and b"), "(and (not a) b)");
  EXPECT_EQ(shape("not a < b"), "(not (< a b))");
  EXPECT_EQ(shape("a and not b or c"), "(or (and a (not b)) c)");
  EXPECT_EQ(shape("not not a"), "(not (not a))");
  EXPECT_EQ(shape("(a < b) == (c > d)"), "(== (< a b) (> c d))");
  EXPECT_EQ(shape("a <= b"), "(<= a b)");
  EXPECT_EQ(shape("a == b"), "(== a b)");
}

TEST(ParseExpression, Numbers) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"12", 12.0}, {"0.5", 0.5}, {".5", 0.5},     {"1e-3", 1e-3}, {"2.5E+4", 2.5e4},
      {"1.", 1.0},  {"007", 7.0}, {"1e3", 1000.0}, {"0.1", 0.1},   {"1.5e-320", 1.5e-320}};
  for (const auto& [text, value] : cases) {
    SCOPED_TRACE(text);
    ExprPtr expr = parse_ok(text);
    ASSERT_NE(expr, nullptr);
    EXPECT_EQ(expr->kind, ExprKind::number);
    EXPECT_EQ(expr->number, value);  // from_chars rounds correctly: exact equality holds
  }
  EXPECT_EQ(shape("-1"), "(- 1)");  // a literal is never negative; negation is a node
}

TEST(ParseExpression, NamesAndKeywords) {
  EXPECT_EQ(shape("gdp_growth_2030 + x1"), "(+ gdp_growth_2030 x1)");
  EXPECT_EQ(shape("a_"), "a_");
  EXPECT_EQ(shape("android or order or nothing"), "(or (or android order) nothing)");
}

TEST(ParseExpression, Calls) {
  EXPECT_EQ(shape("f()"), "(call f)");
  EXPECT_EQ(shape("prev(x)"), "(call prev x)");
  EXPECT_EQ(shape("ramp(2025, 0.1, 2030, a + b)"), "(call ramp 2025 0.1 2030 (+ a b))");
  EXPECT_EQ(shape("max(min(a, b), prev(c, 2)) * 2"),
            "(* (call max (call min a b) (call prev c 2)) 2)");
  EXPECT_EQ(shape("if(a < b and not c, -x, f())"),
            "(call if (and (< a b) (not c)) (- x) (call f))");
  EXPECT_EQ(shape("f (x)"), "(call f x)");
  EXPECT_EQ(shape("-f(x)^2"), "(- (^ (call f x) 2))");
}

TEST(ParseExpression, WhitespaceOfAnyKind) {
  EXPECT_EQ(shape(" \t a\n+\r\n b \n"), "(+ a b)");
}

TEST(ParseExpression, NodeOffsets) {
  ExprPtr e = parse_ok("a + b * c");
  EXPECT_EQ(e->offset, 0);
  EXPECT_EQ(e->args[1]->offset, 4);  // b * c starts at b
  EXPECT_EQ(e->args[1]->args[1]->offset, 8);

  e = parse_ok("(a + b) * c");
  EXPECT_EQ(e->offset, 0);  // its left operand's text starts with '('
  EXPECT_EQ(e->args[0]->offset, 1);
  EXPECT_EQ(e->args[1]->offset, 10);

  e = parse_ok("  -x^2");
  EXPECT_EQ(e->offset, 2);
  EXPECT_EQ(e->args[0]->offset, 3);  // x^2
  EXPECT_EQ(e->args[0]->args[1]->offset, 5);

  e = parse_ok("  f(x, (y))");
  EXPECT_EQ(e->offset, 2);
  EXPECT_EQ(e->args[0]->offset, 4);
  EXPECT_EQ(e->args[1]->offset, 8);

  e = parse_ok("not a and b");
  EXPECT_EQ(e->offset, 0);
  EXPECT_EQ(e->args[0]->offset, 0);
  EXPECT_EQ(e->args[0]->args[0]->offset, 4);
  EXPECT_EQ(e->args[1]->offset, 10);

  e = parse_ok("x +\n  ((y))");
  EXPECT_EQ(e->args[1]->offset, 8);
}

TEST(LocationOf, CountsLinesAndColumnsInsideMultiLineText) {
  const TextOrigin origin{"m.toml", 14, 9, "vars.x.eq"};
  const std::string text = "a +\n  b\n\tc";
  EXPECT_EQ(location_of(origin, text, 0).line, 14);
  EXPECT_EQ(location_of(origin, text, 0).column, 9);
  EXPECT_EQ(location_of(origin, text, 2).column, 11);
  EXPECT_EQ(location_of(origin, text, 3).line, 14);  // the '\n' itself
  EXPECT_EQ(location_of(origin, text, 6).line, 15);
  EXPECT_EQ(location_of(origin, text, 6).column, 3);
  EXPECT_EQ(location_of(origin, text, 9).line, 16);
  EXPECT_EQ(location_of(origin, text, 9).column, 2);
  EXPECT_EQ(location_of(origin, text, 10).column, 3);  // end of text
  EXPECT_EQ(location_of(origin, text, 0).file, "m.toml");
}

TEST(ParseExpression, ErrorsCarryFileLineColumnAndSubjectInMultiLineText) {
  const TextOrigin origin{"m.toml", 14, 9, "vars.gdp.eq"};
  const Diagnostic d = parse_error("(a +\n  b *\n\tc", origin);
  EXPECT_EQ(d.where.file, "m.toml");
  EXPECT_EQ(d.where.line, 16);
  EXPECT_EQ(d.where.column, 3);
  EXPECT_EQ(d.subject, "vars.gdp.eq");
  EXPECT_EQ(d.message, "expected ')' to close '(' at line 14, column 9, found end of equation");
  EXPECT_EQ(parse_error("a +\n  b c", origin).to_string(),
            "m.toml:15:5: vars.gdp.eq: unexpected 'c' after the end of the expression\n"
            "  hint: is an operator missing before 'c'?");
}

struct BadCase {
  std::string text;
  int column;
  std::vector<std::string> message_words;
  std::string hint_words;
};

TEST(ParseExpression, MalformedEquationsSayWhatWasExpectedAndWhere) {
  const std::vector<BadCase> cases = {
      {"1 +", 4, {"expected a number, name or '(' after '+'", "found end of equation"}, ""},
      {"(1", 3, {"expected ')' to close '(' at column 1", "found end of equation"}, ""},
      {"((a)", 5, {"expected ')' to close '(' at column 1"}, ""},
      {"(1 2)", 4, {"expected ')' to close '(' at column 1", "found '2'"}, ""},
      {"1)", 2, {"unexpected ')' after the end of the expression"}, "no '(' is open"},
      {"1, 2", 2, {"unexpected ','"}, "arguments of a call"},
      {"f(1,", 5, {"after ','", "found end of equation"}, ""},
      {"f(,1)", 3, {"expected an argument of 'f'", "found ','"}, "extra ','"},
      {"f(1,,2)", 5, {"expected an argument of 'f' after ','", "found ','"}, "extra ','"},
      {"prev(x,)", 8, {"expected an argument of 'prev' after ','", "found ')'"}, "trailing ','"},
      {"f(1 2)", 5, {"expected ',' or ')' in the call of 'f' opened at column 2", "found '2'"}, ""},
      {"f(a", 4, {"expected ',' or ')' in the call of 'f'", "end of equation"}, ""},
      {"a b", 3, {"unexpected 'b' after the end of the expression"}, "operator missing"},
      {"2 (x)", 3, {"unexpected '('"}, "operator missing"},
      {"1..2", 1, {"malformed number '1..2'"}, "at most one '.'"},
      {"1.2.3", 1, {"malformed number '1.2.3'"}, "at most one '.'"},
      {"x + 1e", 5, {"malformed number '1e'"}, "exponent needs digits"},
      {"1e+", 1, {"malformed number '1e+'"}, "exponent needs digits"},
      {"2x", 1, {"malformed number '2x'"}, "write '2 * x'"},
      {"1_000", 1, {"malformed number '1_000'"}, "without '_'"},
      {"1e999", 1, {"number '1e999' is out of range"}, ""},
      {"X + 1", 1, {"name 'X' has uppercase letters"}, "write 'x'"},
      {"a * gdP", 5, {"name 'gdP' has uppercase letters"}, "write 'gdp'"},
      {"_x", 1, {"name '_x' starts with '_'"}, "lowercase letter"},
      {"a = b", 3, {"unexpected '='"}, "use '==' to compare"},
      {"a =< b", 3, {"unexpected '=<'"}, "'<='"},
      {"a <> b", 3, {"unexpected '<>'"}, "'!='"},
      {"a && b", 3, {"unexpected '&&'"}, "use 'and'"},
      {"a & b", 3, {"unexpected '&'"}, "use 'and'"},
      {"a || b", 3, {"unexpected '||'"}, "use 'or'"},
      {"!a", 1, {"unexpected '!'"}, "use 'not'"},
      {"a ** 2", 3, {"unexpected '**'"}, "use '^'"},
      {"a < b < c", 7, {"comparisons cannot be chained", "'<' follows 'a < b'"}, "and"},
      {"a == b != c", 8, {"comparisons cannot be chained"}, "'a < b and b < c'"},
      {"not a < b >= c", 11, {"comparisons cannot be chained"}, ""},
      {"", 1, {"empty equation"}, ""},
      {"   ", 1, {"empty equation"}, ""},
      {"\n\t", 1, {"empty equation"}, ""},
      {"#", 1, {"unexpected character '#'"}, "comment"},
      {"a + é", 5, {"unexpected character '\xC3\xA9'"}, "ASCII"},
      {"a.b", 2, {"unexpected character '.'"}, "use '_'"},
      {"a\x01", 2, {"unexpected control character (byte 1)"}, ""},
      {"2 +* 3", 4, {"expected a number, name or '(' after '+'", "found '*'"}, ""},
      {"* 3", 1, {"expected a number, name or '(', found '*'"}, ""},
      {"+3", 1, {"found '+'"}, "no unary '+'"},
      {"()", 2, {"after '('", "found ')'"}, "cannot be empty"},
      {"-", 2, {"after '-'", "end of equation"}, ""},
      {"not", 4, {"after 'not'", "end of equation"}, ""},
      {"and + 1", 1, {"found 'and'"}, "'and' is an operator"},
      {"a + not b", 5, {"found 'not'"}, "(not ...)"},
      {"a < -not b", 6, {"after '-'", "found 'not'"}, "(not ...)"},
      {"(a, b)", 3, {"expected ')' to close '(' at column 1", "found ','"}, ""},
      // Lexical and syntax errors are reported in text order, whichever comes first.
      {"(1 + #)", 6, {"unexpected character '#'"}, ""},
      {"1 # 2", 3, {"unexpected character '#'"}, ""},
      {"1 2 #", 3, {"unexpected '2' after the end of the expression"}, ""},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE("equation: \"" + c.text + "\"");
    const Diagnostic d = parse_error(c.text);
    EXPECT_EQ(d.where.file, "model.toml");
    EXPECT_EQ(d.where.line, 1);
    EXPECT_EQ(d.where.column, c.column) << d.message;
    EXPECT_EQ(d.subject, "vars.x.eq");
    for (const std::string& words : c.message_words) {
      EXPECT_NE(d.message.find(words), std::string::npos) << d.message;
    }
    EXPECT_NE(d.hint.find(c.hint_words), std::string::npos) << d.hint;
  }
}

TEST(ParseExpression, KeepsExistingDiagnosticsAndAddsExactlyOne) {
  Diagnostics diagnostics;
  diagnostics.add({"other.toml", 1, 1}, "", "earlier problem");
  EXPECT_EQ(parse_expression("a +", kOrigin, diagnostics), nullptr);
  EXPECT_EQ(diagnostics.size(), 2u);
  EXPECT_NE(parse_expression("a + 1", kOrigin, diagnostics), nullptr);
  EXPECT_EQ(diagnostics.size(), 2u);
}

// prefix + piece * times.
std::string repeat(std::string_view piece, int times, std::string_view prefix = "") {
  std::string out(prefix);
  out.reserve(prefix.size() + piece.size() * static_cast<std::size_t>(times));
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(ParseExpression, NestingUpToTheLimitParses) {
  const int n = kMaxExpressionDepth;
  EXPECT_NE(parse_ok(repeat("(", n) + "x" + repeat(")", n)), nullptr);
  EXPECT_NE(parse_ok(repeat("-", n) + "x"), nullptr);
  EXPECT_NE(parse_ok(repeat("not ", n) + "x"), nullptr);
  EXPECT_NE(parse_ok(repeat("f(", n) + "x" + repeat(")", n)), nullptr);
  EXPECT_NE(parse_ok(repeat("-(", n / 2) + "x" + repeat(")", n / 2)), nullptr);
  // The most stack per level: every precedence level is open at each of them.
  const std::string level = "a or b and not c < d + e * -f(";
  EXPECT_NE(parse_ok(repeat(level, n / 3) + "x" + repeat(")", n / 3)), nullptr);
  EXPECT_EQ(parse_error(repeat(level, n)).message, "expression nested deeper than 256 levels");
}

TEST(ParseExpression, DeepNestingIsAnErrorNotAStackOverflow) {
  const int n = 100000;
  const std::string too_deep = "expression nested deeper than 256 levels";
  for (const std::string& text :
       {repeat("(", n), repeat("(", n) + "x" + repeat(")", n), repeat("-", n) + "x",
        repeat("f(", n) + "x", repeat("(1+", n) + "x", repeat("2^-", n) + "x"}) {
    const Diagnostic d = parse_error(text);
    EXPECT_EQ(d.message, too_deep);
    EXPECT_LE(d.where.column, 3 * (kMaxExpressionDepth + 1));
  }
  EXPECT_EQ(parse_error(repeat("(", n)).where.column, kMaxExpressionDepth + 1);
  EXPECT_EQ(parse_error(repeat("-", n) + "x").where.column, kMaxExpressionDepth + 1);
  EXPECT_EQ(parse_error(repeat("f(", n)).where.column, 2 * kMaxExpressionDepth + 2);
  const Diagnostic d = parse_error(repeat("not ", n) + "x");
  EXPECT_EQ(d.message, too_deep);
  EXPECT_EQ(d.where.column, 4 * kMaxExpressionDepth + 1);
}

TEST(ParseExpression, LongChainsParseUpToTheHeightLimit) {
  // n terms of a left-associative chain make a tree n levels high.
  const int n = kMaxExpressionHeight;
  ExprPtr sum = parse_ok(repeat("+1", n - 1, "1"));
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ(sum->offset, 0);
  EXPECT_NE(parse_ok(repeat("^2", n - 1, "2")), nullptr);
}

TEST(ParseExpression, VeryLongChainsAreAnErrorNotACrash) {
  const int terms = 200000;
  for (const std::string op : {"+", "*", "^", " and ", "<"}) {
    SCOPED_TRACE(op);
    const std::string text = repeat(op + "1", terms - 1, "1");
    const Diagnostic d = parse_error(text);
    if (op == "<") {
      EXPECT_NE(d.message.find("cannot be chained"), std::string::npos);
      continue;
    }
    EXPECT_NE(d.message.find("expression too deep"), std::string::npos) << d.message;
    // Reported at the operator that makes the tree one level too high: the 1000th.
    std::size_t at = 0;
    for (int k = 0; k < kMaxExpressionHeight; ++k) at = text.find(op, k == 0 ? 0 : at + 1);
    const std::size_t leading_spaces = op.find_first_not_of(' ');
    EXPECT_EQ(d.where.column, static_cast<int>(at + leading_spaces) + 1) << d.message;
  }
}

TEST(ParseExpression, LongFlatInputsParseInLinearTime) {
  // A call with 200,000 arguments is long but flat: the tree is two levels high.
  ExprPtr call = parse_ok("f(1" + repeat(", 1", 199999) + ")");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->args.size(), 200000u);

  // The longest name allowed parses; a megabyte-long one is an error (no model can define
  // it), found in one pass and quoted in a short form.
  const std::string longest(kMaxNameLength, 'a');
  ExprPtr one = parse_ok(longest + " + 1");
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->args[0]->name, longest);
  const std::string name(1 << 20, 'a');
  const Diagnostic too_long = parse_error(name + " + 1");
  EXPECT_EQ(too_long.where.column, 1);
  EXPECT_NE(too_long.message.find("1048576 characters long"), std::string::npos);
  EXPECT_LT(too_long.message.size(), 120u);

  // A bad megabyte-long name is quoted in a short form.
  const Diagnostic d = parse_error("1 + " + name + "B");
  EXPECT_EQ(d.where.column, 5);
  EXPECT_LT(d.message.size(), 120u);
  EXPECT_LT(d.hint.size(), 120u);
  EXPECT_LT(parse_error("x " + std::string(1 << 20, '7')).message.size(), 120u);
}

TEST(ExprToString, SpellsOperatorsAsWritten) {
  EXPECT_STREQ(to_string(BinaryOp::pow), "^");
  EXPECT_STREQ(to_string(BinaryOp::ne), "!=");
  EXPECT_STREQ(to_string(BinaryOp::logical_and), "and");
  EXPECT_STREQ(to_string(BinaryOp::logical_or), "or");
  EXPECT_STREQ(to_string(UnaryOp::negate), "-");
  EXPECT_STREQ(to_string(UnaryOp::logical_not), "not");
}

}  // namespace
}  // namespace tamnhin
