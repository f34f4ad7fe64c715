#include "engine/model/parse_expression.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "engine/core/check.hpp"
#include "engine/model/model.hpp"

namespace tamnhin {

SourceLocation location_of(const TextOrigin& origin, std::string_view text, int offset) {
  const std::size_t end = std::min(static_cast<std::size_t>(std::max(offset, 0)), text.size());
  const std::string_view before = text.substr(0, end);
  const auto newlines = std::count(before.begin(), before.end(), '\n');
  const std::size_t last_newline = before.rfind('\n');
  const int column = last_newline == std::string_view::npos
                         ? origin.column + static_cast<int>(end)
                         : static_cast<int>(end - last_newline);  // 1 + bytes after the '\n'
  return {origin.file, origin.line + static_cast<int>(newlines), column};
}

namespace {

enum class Tok { end, number, name, op, kw_not, lparen, rparen, comma, lbracket, invalid };

struct Token {
  Tok kind = Tok::end;
  int offset = 0;
  std::string_view text;        // as written; empty at the end
  BinaryOp op = BinaryOp::add;  // Tok::op, which includes '-' (also unary), '^', 'and', 'or'
  double number = 0;            // Tok::number
};

// Binding strength, loosest first. 'not' sits between 'and' and the comparisons; unary '-'
// and '^' bind tighter than every binary level and are parsed apart, in parse_unary.
enum Precedence { kNone = 0, kOr, kAnd, kNot, kComparison, kAdditive, kMultiplicative };

int precedence(const Token& token) {
  if (token.kind != Tok::op || token.op == BinaryOp::pow) return kNone;
  if (token.op == BinaryOp::logical_or) return kOr;
  if (token.op == BinaryOp::logical_and) return kAnd;
  if (token.op == BinaryOp::add || token.op == BinaryOp::sub) return kAdditive;
  if (token.op == BinaryOp::mul || token.op == BinaryOp::div) return kMultiplicative;
  return kComparison;
}

// Operators are spelled as to_string(BinaryOp) says, so messages and tokenizer cannot drift.
constexpr BinaryOp kBinaryOps[] = {
    BinaryOp::add, BinaryOp::sub,         BinaryOp::mul,       BinaryOp::div, BinaryOp::pow,
    BinaryOp::lt,  BinaryOp::le,          BinaryOp::gt,        BinaryOp::ge,  BinaryOp::eq,
    BinaryOp::ne,  BinaryOp::logical_and, BinaryOp::logical_or};

// Operators of other languages (two-character ones first), with what to write instead.
struct Misuse {
  std::string_view text;
  const char* hint;
};
constexpr Misuse kMisused[] = {{"**", "use '^' for powers, as in 'x ^ 2'"},
                               {"<>", "use '!=' for 'not equal'"},
                               {"=<", "write '<='"},
                               {"=>", "write '>='"},
                               {"&&", "use 'and'"},
                               {"||", "use 'or'"},
                               {"=", "use '==' to compare (an equation assigns nothing)"},
                               {"!", "use 'not'"},
                               {"&", "use 'and'"},
                               {"|", "use 'or'"}};

constexpr auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
constexpr auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
constexpr auto is_name_char = [](char c) { return is_lower(c) || is_digit(c) || c == '_'; };
constexpr auto is_word_char = [](char c) { return is_name_char(c) || (c >= 'A' && c <= 'Z'); };
constexpr auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
constexpr auto is_continuation = [](char c) { return (c & 0xC0) == 0x80; };  // UTF-8

// Quotes user text in a message, shortened so that a megabyte-long token cannot flood the
// terminal; the cut never splits a UTF-8 sequence. (Appends rather than "'" + std::string:
// GCC 12 warns falsely on that, PR 105651.)
std::string quote(std::string_view s) {
  std::size_t cut = std::min<std::size_t>(s.size(), 40);
  while (cut < s.size() && cut > 0 && is_continuation(s[cut])) --cut;
  std::string out = "'";
  out.append(s.substr(0, cut)).append(cut < s.size() ? "...'" : "'");
  return out;
}

// A parsed operand. `start` is where its text begins, an enclosing '(' included, so that a
// binary node can take its left operand's start as its own offset.
struct Parsed {
  ExprPtr expr;  // null after an error
  int start = 0;
  int height = 0;  // levels in the tree, kept <= kMaxExpressionHeight
};

// A tokenizer feeding a precedence-climbing parser, one token of lookahead. Tokens are made
// on demand, so the first problem in the text is reported whether it is lexical or not; a
// lexical one is reported as soon as it is lexed, since the parser must then stop at it.
// Chains ("a + b + ... + z", "2^2^...^2", "- - x") are loops, not recursion; only
// parentheses, calls and the few precedence levels recurse, and parentheses, calls and
// unary operators count against kMaxExpressionDepth.
class Parser {
 public:
  Parser(std::string_view text, const TextOrigin& origin, Diagnostics& diagnostics)
      : text_(text), origin_(origin), diagnostics_(diagnostics) {}

  ExprPtr parse() {
    advance();
    if (current_.kind == Tok::end) {
      fail(0, "empty equation", "write an expression, as in 'prev(x) * 1.02'");
      return nullptr;
    }
    Parsed result = parse_binary(kOr);
    if (result.expr && current_.kind != Tok::end) {
      std::string hint = "is an operator missing before " + quote(current_.text) + "?";
      if (current_.kind == Tok::rparen) hint = "no '(' is open here";
      if (current_.kind == Tok::comma) hint = "',' separates the arguments of a call";
      fail(current_.offset,
           "unexpected " + quote(current_.text) + " after the end of the expression",
           std::move(hint));
    }
    return failed_ ? nullptr : std::move(result.expr);
  }

 private:
  void advance() {
    previous_text_ = current_.text;
    current_ = lex();
  }

  bool at_op(BinaryOp op) const { return current_.kind == Tok::op && current_.op == op; }

  Token lex() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    const std::size_t at = pos_;
    const std::string_view rest = text_.substr(at);
    if (rest.empty()) return make(Tok::end, at, 0);
    if (is_digit(rest[0]) || (rest[0] == '.' && rest.size() > 1 && is_digit(rest[1]))) {
      return lex_number(at);
    }
    if (is_word_char(rest[0])) return lex_word(at);
    if (rest[0] == '(') return make(Tok::lparen, at, 1);
    if (rest[0] == ')') return make(Tok::rparen, at, 1);
    if (rest[0] == ',') return make(Tok::comma, at, 1);
    if (rest[0] == '[') return make(Tok::lbracket, at, 1);
    // The longest spelling wins: "<=" is one token, and "**" is a mistake, not "*" "*".
    Token token = make(Tok::invalid, at, 0);
    for (const BinaryOp op : kBinaryOps) {
      const std::string_view spelling = to_string(op);
      if (!is_lower(spelling[0]) && spelling.size() > token.text.size() &&
          rest.starts_with(spelling)) {
        token = make(Tok::op, at, spelling.size(), op);
      }
    }
    for (const Misuse& misuse : kMisused) {
      if (misuse.text.size() > token.text.size() && rest.starts_with(misuse.text)) {
        return invalid(at, misuse.text.size(), "unexpected " + quote(misuse.text), misuse.hint);
      }
    }
    if (token.kind == Tok::op) return token;
    std::size_t length = 1;  // quote a whole UTF-8 sequence, e.g. 'é', not half of it
    while (length < rest.size() && is_continuation(rest[length])) ++length;
    const auto byte = static_cast<unsigned char>(rest[0]);
    if (byte < 0x20 || byte == 0x7f) {
      return invalid(at, 1, "unexpected control character (byte " + std::to_string(byte) + ")", "");
    }
    const char* hint = byte >= 0x80  ? "equations are ASCII: names use a-z, 0-9 and '_'"
                       : byte == '.' ? "names cannot contain '.'; use '_', as in 'gdp_growth'"
                       : byte == '#' ? "'#' starts a comment only outside the quoted equation"
                                     : "";
    return invalid(at, length, "unexpected character " + quote(rest.substr(0, length)), hint);
  }

  Token make(Tok kind, std::size_t at, std::size_t length, BinaryOp op = BinaryOp::add) {
    pos_ = at + length;
    return Token{kind, static_cast<int>(at), text_.substr(at, length), op, 0};
  }

  Token invalid(std::size_t at, std::size_t length, std::string message, std::string hint) {
    fail(static_cast<int>(at), std::move(message), std::move(hint));
    return make(Tok::invalid, at, length);
  }

  // Takes the whole run of letters, digits and '_' so that "GDP" or "_x" is reported as
  // one bad name rather than as a puzzling sequence of tokens.
  Token lex_word(std::size_t at) {
    std::size_t end = at;
    while (end < text_.size() && is_word_char(text_[end])) ++end;
    const std::string_view word = text_.substr(at, end - at);
    if (is_lower(word[0]) && std::all_of(word.begin(), word.end(), is_name_char)) {
      if (word.size() > kMaxNameLength) {
        return invalid(at, word.size(),
                       "name " + quote(word) + " is " + std::to_string(word.size()) +
                           " characters long; the limit is " + std::to_string(kMaxNameLength),
                       "no model can define it; use a short name");
      }
      if (word == "and") return make(Tok::op, at, word.size(), BinaryOp::logical_and);
      if (word == "or") return make(Tok::op, at, word.size(), BinaryOp::logical_or);
      return make(word == "not" ? Tok::kw_not : Tok::name, at, word.size());
    }
    std::string lower(word);
    for (char& c : lower) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    const bool underscore = word[0] == '_';
    return invalid(
        at, word.size(),
        "name " + quote(word) + (underscore ? " starts with '_'" : " has uppercase letters"),
        underscore ? "a name starts with a lowercase letter a-z"
                   : "names are lowercase: write " + quote(lower));
  }

  // Takes everything that could plausibly belong to the number ("1..2", "1e+", "2x") and
  // requires std::from_chars to consume all of it, so a malformed number is one error that
  // quotes it whole rather than a valid prefix followed by a confusing second error.
  Token lex_number(std::size_t at) {
    std::size_t end = at;
    while (end < text_.size() && (is_digit(text_[end]) || text_[end] == '.')) ++end;
    if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
      if (++end < text_.size() && (text_[end] == '+' || text_[end] == '-')) ++end;
    }
    while (end < text_.size() && (is_word_char(text_[end]) || text_[end] == '.')) ++end;
    const std::string_view lexeme = text_.substr(at, end - at);
    Token token = make(Tok::number, at, lexeme.size());
    const auto [ptr, ec] =
        std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), token.number);
    const auto used = static_cast<std::size_t>(ptr - lexeme.data());
    if (ec == std::errc() && used == lexeme.size()) return token;
    if (ec == std::errc::result_out_of_range && used == lexeme.size()) {
      return invalid(at, lexeme.size(), "number " + quote(lexeme) + " is out of range",
                     "a double reaches from about 4.9e-324 to 1.8e+308 in magnitude");
    }
    // The lexeme starts with a digit or ".digit", so from_chars used some of it, and what
    // it left starts with one of the characters below.
    const char next = lexeme[used];
    const std::string hint =
        next == 'e' || next == 'E' ? "an exponent needs digits, as in 1e-3 or 2.5E+4"
        : next == '.'              ? "a number has at most one '.'"
        : next == '_'              ? "write numbers without '_' separators"
                      : "to multiply, write " + quote(std::string(lexeme.substr(0, used)) + " * " +
                                                      std::string(lexeme.substr(used)));
    return invalid(at, lexeme.size(), "malformed number " + quote(lexeme), hint);
  }

  Parsed fail(int offset, std::string message, std::string hint = {}) {
    if (!failed_) {  // the contract is exactly one diagnostic per failed parse
      diagnostics_.add(location_of(origin_, text_, offset), origin_.subject, std::move(message),
                       std::move(hint));
    }
    failed_ = true;
    return {};
  }

  Parsed fail_expected(const std::string& expected, std::string hint = {}) {
    const std::string found = current_.kind == Tok::end ? "end of equation" : quote(current_.text);
    return fail(current_.offset, "expected " + expected + ", found " + found, std::move(hint));
  }

  // "column 7", or "line 2, column 7" when the error itself is on another line.
  std::string position_of(int offset) const {
    const SourceLocation at = location_of(origin_, text_, offset);
    const SourceLocation here = location_of(origin_, text_, current_.offset);
    std::string column = "column " + std::to_string(at.column);
    return at.line == here.line ? column : "line " + std::to_string(at.line) + ", " + column;
  }

  bool enter() {  // one more open parenthesis, call or unary operator
    if (depth_ < kMaxExpressionDepth) return ++depth_, true;
    fail(current_.offset,
         "expression nested deeper than " + std::to_string(kMaxExpressionDepth) + " levels",
         "split it into intermediate variables");
    return false;
  }

  bool fits(int height, int blame_offset) {
    if (height <= kMaxExpressionHeight) return true;
    fail(blame_offset,
         "expression too deep: more than " + std::to_string(kMaxExpressionHeight) +
             " operations nested inside one another",
         "a chain such as 'a + b + c + ...' nests one level per operator; split the equation "
         "into intermediate variables");
    return false;
  }

  // Every node is made here, so that no tree grows higher than kMaxExpressionHeight.
  Parsed node(ExprKind kind, int offset, int start, int blame_offset, std::span<Parsed> operands) {
    int height = 1;
    for (const Parsed& operand : operands) height = std::max(height, operand.height + 1);
    if (!fits(height, blame_offset)) return {};
    Parsed made{std::make_unique<Expr>(), start, height};
    made.expr->kind = kind;
    made.expr->offset = offset;
    for (Parsed& operand : operands) made.expr->args.push_back(std::move(operand.expr));
    return made;
  }

  Parsed binary(BinaryOp op, Parsed lhs, Parsed rhs, int op_offset) {
    const int start = lhs.start;
    Parsed operands[] = {std::move(lhs), std::move(rhs)};
    Parsed made = node(ExprKind::binary, start, start, op_offset, operands);
    if (made.expr) made.expr->binary_op = op;
    return made;
  }

  // Consumes a run of 'not' or of '-', each a level of nesting, recording their offsets;
  // apply_prefixes below turns them into nodes around their operand, innermost first.
  bool take_prefixes(bool nots, std::vector<int>& offsets) {
    for (; nots ? current_.kind == Tok::kw_not : at_op(BinaryOp::sub); advance()) {
      if (!enter()) return false;
      offsets.push_back(current_.offset);
    }
    return true;
  }

  Parsed apply_prefixes(UnaryOp op, const std::vector<int>& offsets, Parsed operand) {
    for (auto it = offsets.rbegin(); it != offsets.rend() && operand.expr; ++it) {
      Parsed made = node(ExprKind::unary, *it, *it, *it, std::span(&operand, 1));
      if (made.expr) made.expr->unary_op = op;
      operand = std::move(made);
    }
    depth_ -= static_cast<int>(offsets.size());
    return operand;
  }

  Parsed parse_binary(int min_precedence) {
    Parsed lhs = parse_prefix(min_precedence);
    bool after_comparison = false;  // lhs is a comparison built by this loop
    while (lhs.expr && precedence(current_) >= min_precedence) {
      const int level = precedence(current_);
      const Token op = current_;
      if (level == kComparison && after_comparison) {
        std::string_view left = text_.substr(lhs.start, op.offset - lhs.start);
        while (!left.empty() && is_space(left.back())) left.remove_suffix(1);
        return fail(op.offset,
                    "comparisons cannot be chained: " + quote(op.text) + " follows " + quote(left),
                    "join two comparisons with 'and', as in 'a < b and b < c'");
      }
      advance();
      Parsed rhs = parse_binary(level + 1);  // level + 1: left-associative
      if (!rhs.expr) return {};
      lhs = binary(op.op, std::move(lhs), std::move(rhs), op.offset);
      after_comparison = level == kComparison;
    }
    return lhs;
  }

  // 'not' binds more loosely than comparisons, so it may only start an operand of 'and' or
  // 'or' (or the whole equation).
  Parsed parse_prefix(int min_precedence) {
    if (current_.kind != Tok::kw_not || min_precedence > kNot) return parse_unary();
    std::vector<int> nots;
    if (!take_prefixes(true, nots)) return {};
    return apply_prefixes(UnaryOp::logical_not, nots, parse_binary(kComparison));
  }

  // unary := '-'* primary ('^' unary)?, read as a loop of links "-...- base ^" and folded
  // from the right: '^' is right-associative and binds tighter than a '-' on its left
  // (-x^2 = -(x^2)), while "2^-1" is allowed.
  Parsed parse_unary() {
    struct Link {
      std::vector<int> negations;
      Parsed base;
      int caret = 0;
    };
    std::vector<Link> links;
    do {
      if (!links.empty()) advance();  // the '^'
      Link& link = links.emplace_back();
      if (!take_prefixes(false, link.negations)) return {};
      link.base = parse_primary();
      if (!link.base.expr) return {};
      link.caret = current_.offset;
      // n links make a tree at least n high: stop a long "2^2^...^2" here, left to right.
      if (at_op(BinaryOp::pow) && !fits(static_cast<int>(links.size()) + 1, link.caret)) return {};
    } while (at_op(BinaryOp::pow));
    Parsed result = std::move(links.back().base);
    for (std::size_t i = links.size(); i-- > 0 && result.expr;) {
      if (i + 1 < links.size()) {  // all but the last link: base ^ (what follows)
        result = binary(BinaryOp::pow, std::move(links[i].base), std::move(result), links[i].caret);
      }
      result = apply_prefixes(UnaryOp::negate, links[i].negations, std::move(result));
    }
    return result;
  }

  Parsed parse_primary() {
    const Token token = current_;
    if (token.kind == Tok::number || token.kind == Tok::name) {
      advance();
      if (token.kind == Tok::name && current_.kind == Tok::lparen) return parse_group(&token);
      const bool number = token.kind == Tok::number;
      Parsed leaf = node(number ? ExprKind::number : ExprKind::name, token.offset, token.offset,
                         token.offset, {});
      leaf.expr->number = token.number;
      if (!number) leaf.expr->name = std::string(token.text);
      if (!number && current_.kind == Tok::lbracket && !parse_subscripts(*leaf.expr)) return {};
      return leaf;
    }
    if (token.kind == Tok::lparen) return parse_group(nullptr);
    std::string expected = "a number, name or '('";
    if (!previous_text_.empty()) expected += " after " + quote(previous_text_);
    std::string hint;
    if (at_op(BinaryOp::logical_and) || at_op(BinaryOp::logical_or)) {
      hint = quote(token.text) + " is an operator and cannot be a name";
    }
    if (token.kind == Tok::kw_not) {
      hint = "'not' binds more loosely than comparisons and arithmetic: write '(not ...)'";
    }
    if (at_op(BinaryOp::add)) hint = "there is no unary '+': drop it";
    if (token.kind == Tok::rparen && previous_text_ == "(") hint = "parentheses cannot be empty";
    if (token.kind == Tok::lbracket)
      hint = "'[' picks elements and follows a name, as in 'x[long_an]'";
    return fail_expected(expected, std::move(hint));
  }

  // name[e] or name[e1, e2], current_ being the '['. Elements are taken as written up to
  // ',' or ']' and trimmed: element names such as "0-14" or "60+" are not names.
  bool parse_subscripts(Expr& leaf) {
    const int open = current_.offset;
    std::size_t at = pos_;  // just after the '['
    while (true) {
      std::size_t end = at;
      while (end < text_.size() && text_[end] != ',' && text_[end] != ']' && text_[end] != '(' &&
             text_[end] != ')' && text_[end] != '[') {
        ++end;
      }
      if (end == text_.size() || (text_[end] != ',' && text_[end] != ']')) {
        fail(open, "'[' at " + position_of(open) + " is not closed by ']'",
             "write the elements between '[' and ']', as in 'x[long_an]'");
        return false;
      }
      std::size_t first = at, last = end;
      while (first < last && is_space(text_[first])) ++first;
      while (last > first && is_space(text_[last - 1])) --last;
      if (first == last) {
        fail(static_cast<int>(at), "expected an element name in '[...]'",
             "e.g. x[long_an], or x[long_an, 0-14] for two dimensions");
        return false;
      }
      leaf.subscripts.emplace_back(text_.substr(first, last - first));
      leaf.subscript_offsets.push_back(static_cast<int>(first));
      if (text_[end] == ']') {
        pos_ = end + 1;
        break;
      }
      at = end + 1;
    }
    advance();
    return true;
  }

  // A parenthesized expression when `name` is null, else the call name(arguments...).
  Parsed parse_group(const Token* name) {
    const int open = current_.offset;
    if (!enter()) return {};
    advance();
    std::vector<Parsed> items;
    bool done = name != nullptr && current_.kind == Tok::rparen;  // f(): arity is checked later
    if (done) advance();
    while (!done) {
      if (name != nullptr && (current_.kind == Tok::comma || current_.kind == Tok::rparen)) {
        return fail_expected(
            "an argument of " + quote(name->text) + (items.empty() ? "" : " after ','"),
            current_.kind == Tok::rparen ? "remove the trailing ','" : "remove the extra ','");
      }
      items.push_back(parse_binary(kOr));
      if (!items.back().expr) return {};
      done = current_.kind == Tok::rparen;
      if (!done && (name == nullptr || current_.kind != Tok::comma)) {
        return fail_expected(name == nullptr ? "')' to close '(' at " + position_of(open)
                                             : "',' or ')' in the call of " + quote(name->text) +
                                                   " opened at " + position_of(open));
      }
      advance();
    }
    --depth_;
    if (name == nullptr) {
      items[0].start = open;  // parentheses make no node but belong to the operand's text
      return std::move(items[0]);
    }
    Parsed call = node(ExprKind::call, name->offset, name->offset, name->offset, items);
    if (call.expr) call.expr->name = std::string(name->text);
    return call;
  }

  std::string_view text_;
  const TextOrigin& origin_;
  Diagnostics& diagnostics_;
  std::size_t pos_ = 0;  // where the tokenizer resumes
  Token current_;
  std::string_view previous_text_;  // the token before current_, for "after '+'"
  int depth_ = 0;                   // open parentheses, calls and unary operators
  bool failed_ = false;
};

}  // namespace

ExprPtr parse_expression(std::string_view text, const TextOrigin& origin,
                         Diagnostics& diagnostics) {
  // Offsets are ints; the TOML reader caps input files far below this.
  TAMNHIN_CHECK_LE(text.size(), static_cast<std::size_t>(INT_MAX));
  return Parser(text, origin, diagnostics).parse();
}

}  // namespace tamnhin
