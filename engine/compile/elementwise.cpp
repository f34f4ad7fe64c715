#include "engine/compile/elementwise.hpp"

#include <algorithm>

#include "engine/compile/builtins.hpp"

namespace tamnhin::compile_detail {

namespace {

using Context = std::vector<std::pair<std::string, std::string>>;  // (dimension, element)

ExprPtr leaf_copy(const Expr& e) {
  auto out = std::make_unique<Expr>();
  out->kind = e.kind;
  out->offset = e.offset;
  out->number = e.number;
  out->name = e.name;
  out->unary_op = e.unary_op;
  out->binary_op = e.binary_op;
  return out;
}

ExprPtr binary(BinaryOp op, ExprPtr l, ExprPtr r, int offset) {
  auto out = std::make_unique<Expr>();
  out->kind = ExprKind::binary;
  out->binary_op = op;
  out->offset = offset;
  out->args.push_back(std::move(l));
  out->args.push_back(std::move(r));
  return out;
}

const std::string* element_in(const Context& context, const std::string& dim) {
  for (const auto& [d, e] : context) {
    if (d == dim) return &e;
  }
  return nullptr;
}

class Instantiator {
 public:
  Instantiator(const ElementContext& context, const Model& model,
               const std::map<std::string, std::vector<std::string>>& family_dims,
               const ElementError& error)
      : family_(context.family), model_(model), family_dims_(family_dims), error_(error) {}

  ExprPtr rewrite(const Expr& e, const Context& context) {
    if (failed_) return nullptr;
    switch (e.kind) {
      case ExprKind::number:
        return leaf_copy(e);
      case ExprKind::name:
        return name(e, context);
      case ExprKind::call:
        if (is_reduction(e)) return reduction(e, context);
        [[fallthrough]];
      case ExprKind::unary:
      case ExprKind::binary: {
        ExprPtr out = leaf_copy(e);
        for (const auto& arg : e.args) {
          out->args.push_back(rewrite(*arg, context));
          if (failed_) return nullptr;
        }
        return out;
      }
    }
    return nullptr;
  }

 private:
  void fail(int offset, const std::string& message, const std::string& hint = {}) {
    if (!failed_) error_(offset, message, hint);
    failed_ = true;
  }

  const std::vector<std::string>* dims_of(const std::string& name) const {
    auto it = family_dims_.find(name);
    return it == family_dims_.end() ? nullptr : &it->second;
  }

  // The element each subscript of `e` picks, by dimension of e's item; empty where none.
  std::vector<std::string> picked(const Expr& e, const std::vector<std::string>& dims) {
    std::vector<std::string> elements(dims.size());
    for (std::size_t s = 0; s < e.subscripts.size(); ++s) {
      const std::string& wanted = e.subscripts[s];
      std::vector<std::size_t> matches;
      std::vector<std::string> all;
      for (std::size_t i = 0; i < dims.size(); ++i) {
        const Dimension* dim = model_.find_dim(dims[i]);
        if (dim == nullptr) continue;
        all.insert(all.end(), dim->elements.begin(), dim->elements.end());
        if (std::find(dim->elements.begin(), dim->elements.end(), wanted) != dim->elements.end())
          matches.push_back(i);
      }
      const int at = e.subscript_offsets[s];
      if (matches.empty()) {
        std::string hint = did_you_mean(wanted, all);
        fail(at,
             "'" + wanted + "' is not an element of " + e.name + "'s dimensions (" +
                 element_key(dims) + ")",
             hint.empty() ? "its elements: " + element_key(all) : hint);
        return {};
      }
      if (matches.size() > 1) {
        fail(at, "'" + wanted + "' is an element of several dimensions of '" + e.name + "'",
             "give elements in the order of its dims: " + element_key(dims));
        return {};
      }
      if (!elements[matches[0]].empty()) {
        fail(at, "two elements of dimension '" + dims[matches[0]] + "' for '" + e.name + "'");
        return {};
      }
      elements[matches[0]] = wanted;
    }
    return elements;
  }

  ExprPtr name(const Expr& e, const Context& context) {
    const std::vector<std::string>* dims = dims_of(e.name);
    if (dims == nullptr) {
      if (!e.subscripts.empty()) {
        fail(e.subscript_offsets[0], "'" + e.name + "' has no dimensions, so no elements",
             "write " + e.name + " without '[...]'");
        return nullptr;
      }
      return leaf_copy(e);
    }
    std::vector<std::string> elements = picked(e, *dims);
    if (failed_) return nullptr;
    for (std::size_t i = 0; i < dims->size(); ++i) {
      if (!elements[i].empty()) continue;
      const std::string* from_context = element_in(context, (*dims)[i]);
      if (from_context == nullptr) {
        // An undeclared dimension is reported by validation; the hint needs no example then.
        const Dimension* dim = model_.find_dim((*dims)[i]);
        const std::string example = dim == nullptr || dim->elements.empty() ? std::string("element")
                                                                            : dim->elements.front();
        fail(e.offset,
             "'" + e.name + "' has dimension '" + (*dims)[i] + "', which '" + family_ +
                 "' does not have",
             "pick an element, as in " + e.name + "[" + example + "], or reduce it: sum(" + e.name +
                 ")" + (context.empty() ? "" : ", sum(" + e.name + ", " + (*dims)[i] + ")"));
        return nullptr;
      }
      elements[i] = *from_context;
    }
    ExprPtr out = leaf_copy(e);
    out->name = element_name(e.name, elements);
    return out;
  }

  bool is_dimension_name(const Expr& e) const {
    return e.kind == ExprKind::name && e.subscripts.empty() && model_.find_dim(e.name) != nullptr;
  }

  // sum and mean with one or two arguments; min and max with one, or with a dimension
  // second (min(a, b) of two values stays a call).
  bool is_reduction(const Expr& e) const {
    const std::size_t n = e.args.size();
    if (e.name == "sum" || e.name == "mean") return n == 1 || n == 2;
    if (e.name == "min" || e.name == "max")
      return n == 1 || (n == 2 && is_dimension_name(*e.args[1]));
    return false;
  }

  // The dimensions of `e` that no element is picked for, in order of appearance, except
  // those a reduction inside `e` takes.
  void free_dims(const Expr& e, std::vector<std::string>& out) {
    if (e.kind == ExprKind::name) {
      const std::vector<std::string>* dims = dims_of(e.name);
      if (dims == nullptr) return;
      const std::vector<std::string> elements = picked(e, *dims);
      for (std::size_t i = 0; i < dims->size() && !failed_; ++i) {
        if (elements[i].empty() && std::find(out.begin(), out.end(), (*dims)[i]) == out.end())
          out.push_back((*dims)[i]);
      }
      return;
    }
    if (e.kind == ExprKind::call && is_reduction(e)) {
      std::vector<std::string> inner;
      free_dims(*e.args[0], inner);
      for (const auto& d : inner) {
        const bool reduced = e.args.size() == 1 || e.args[1]->name == d;
        if (!reduced && std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
      }
      return;
    }
    for (const auto& arg : e.args) free_dims(*arg, out);
  }

  const Expr* random_call(const Expr& e) const {
    if (e.kind == ExprKind::call) {
      const Builtin* f = find_builtin(e.name);
      if (f != nullptr && (f->random || f->stateful)) return &e;
    }
    for (const auto& arg : e.args) {
      if (const Expr* found = random_call(*arg)) return found;
    }
    return nullptr;
  }

  ExprPtr reduction(const Expr& e, const Context& context) {
    const Expr& body = *e.args[0];
    std::vector<std::string> body_dims;
    free_dims(body, body_dims);
    if (failed_) return nullptr;
    std::vector<std::string> over;
    if (e.args.size() == 2) {
      const Expr& dim = *e.args[1];
      if (!is_dimension_name(dim)) {
        std::vector<std::string> names;
        for (const auto& d : model_.dims) names.push_back(d.name);
        std::string hint = dim.kind == ExprKind::name ? did_you_mean(dim.name, names) : "";
        fail(dim.offset, "the second argument of " + e.name + "() must be a dimension",
             hint.empty() ? "the dimensions: " + element_key(names) : hint);
        return nullptr;
      }
      if (std::find(body_dims.begin(), body_dims.end(), dim.name) == body_dims.end()) {
        fail(dim.offset,
             e.name + "() over '" + dim.name + "', a dimension its argument does not have",
             body_dims.empty() ? "its argument has no dimensions"
                               : "its dimensions: " + element_key(body_dims));
        return nullptr;
      }
      over = {dim.name};
    } else {
      over = body_dims;
      if (over.empty()) {
        // min(x) and max(x) of a scalar are calls with one argument too few: say so.
        if (e.name == "min" || e.name == "max") {
          ExprPtr out = leaf_copy(e);
          out->args.push_back(rewrite(body, context));
          return failed_ ? nullptr : std::move(out);
        }
        fail(e.offset, e.name + "() of something without dimensions",
             e.name + "(x) reduces over the elements of a variable with dims");
        return nullptr;
      }
    }
    if (const Expr* r = random_call(body)) {
      fail(r->offset, r->name + "() inside " + e.name + "() is not supported",
           "compute it in a dimensioned variable of its own and reduce that variable");
      return nullptr;
    }
    std::vector<ExprPtr> parts;
    for (const auto& combination : element_combinations(model_, over)) {
      Context inner = context;
      for (std::size_t i = 0; i < over.size(); ++i) {
        auto it = std::find_if(inner.begin(), inner.end(),
                               [&](const auto& p) { return p.first == over[i]; });
        if (it != inner.end()) {
          it->second = combination[i];
        } else {
          inner.emplace_back(over[i], combination[i]);
        }
      }
      parts.push_back(rewrite(body, inner));
      if (failed_) return nullptr;
    }
    if (parts.size() == 1 && (e.name == "min" || e.name == "max")) return std::move(parts[0]);
    if (e.name == "min" || e.name == "max") {
      auto call = std::make_unique<Expr>();
      call->kind = ExprKind::call;
      call->name = e.name;
      call->offset = e.offset;
      call->args = std::move(parts);
      return call;
    }
    if (parts.empty()) {
      // A dimension of the body is undeclared or has no elements. Validation reports that
      // too, but `check` compiles such a model all the same, so say why this fails here.
      std::string bad;
      for (const auto& name : over) {
        const Dimension* dim = model_.find_dim(name);
        if (dim == nullptr || dim->elements.empty()) bad = name;
      }
      fail(e.offset, e.name + "() over dimension '" + bad + "', which has no elements",
           "declare it under [dims] with its elements, e.g. " + bad + " = [\"a\", \"b\"]");
      return nullptr;
    }
    const std::size_t n = parts.size();
    ExprPtr total = std::move(parts[0]);
    for (std::size_t i = 1; i < n; ++i)
      total = binary(BinaryOp::add, std::move(total), std::move(parts[i]), e.offset);
    if (e.name == "mean" && n > 1) {
      auto count = std::make_unique<Expr>();
      count->offset = e.offset;
      count->number = static_cast<double>(n);
      total = binary(BinaryOp::div, std::move(total), std::move(count), e.offset);
    }
    return total;
  }

  const std::string& family_;
  const Model& model_;
  const std::map<std::string, std::vector<std::string>>& family_dims_;
  const ElementError& error_;
  bool failed_ = false;
};

}  // namespace

ExprPtr instantiate(const Expr& equation, const ElementContext& context, const Model& model,
                    const std::map<std::string, std::vector<std::string>>& family_dims,
                    const ElementError& error) {
  Instantiator instantiator(context, model, family_dims, error);
  return instantiator.rewrite(equation, context.elements);
}

}  // namespace tamnhin::compile_detail
