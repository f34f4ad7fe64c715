// Equations of dimensioned variables made scalar, one element at a time (internal to
// engine/compile). In the equation of element (region = long_an) of a variable:
//   x            -> x[long_an] when x has dimension region (broadcasting: x may have fewer
//                   dimensions than the variable, not more); a scalar stays as it is
//   x[tay_ninh]  -> that element, whatever the context
//   sum(x), mean(x), min(x), max(x)  -> over every element of x's dimensions
//   sum(x, age) ...                  -> over dimension age only, the others from the context
// The result names flat items ("x[long_an]") only, so the rest of the compiler never sees a
// dimension.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/dims.hpp"
#include "engine/model/expr.hpp"
#include "engine/model/model.hpp"

namespace tamnhin::compile_detail {

using ElementError =
    std::function<void(int offset, const std::string& message, const std::string& hint)>;

// The scalar equation of element `context` of a variable, or nullptr after reporting an
// error through `error`. `family_dims` maps every dimensioned name to its dimensions.
ExprPtr instantiate(const Expr& equation, const ElementContext& context, const Model& model,
                    const std::map<std::string, std::vector<std::string>>& family_dims,
                    const ElementError& error);

}  // namespace tamnhin::compile_detail
