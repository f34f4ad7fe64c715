#include "engine/analysis/optimize.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <numeric>

#include <nlopt.hpp>

#include "engine/model/dims.hpp"
#include "engine/model/levers.hpp"
#include "engine/random/philox.hpp"
#include "engine/stats/paired.hpp"

namespace tamnhin::analysis {

std::uint64_t reevaluation_seed(std::uint64_t seed) {
  // A different 64-bit seed, derived by the same hash that keys every random site.
  return random::site_key(seed, "optimize/reevaluate") >> 1;
}

namespace {

struct Lever {
  std::string name;
  double lo = 0, hi = 0;
  double current = 0;  // in the first projected year, as written
};

// Per-draw score and objective of one candidate in every scenario.
struct Scored {
  bool feasible = true;
  double objective = -std::numeric_limits<double>::infinity();
  double objective_se = 0;
  std::size_t worst = 0;                    // scenario index attaining the objective
  std::vector<std::vector<double>> scores;  // per scenario, per draw
};

class Problem {
 public:
  Problem(Evaluator& evaluator, const std::vector<Variant>& bases, const OptimizeRequest& r)
      : bases_(bases) {
    const Model& model = evaluator.applied(bases.front()).model;
    for (const auto& name : r.over) {
      // NAME, or NAME[ELEMENT] for one element of a dimensioned lever.
      const auto split = split_element_suffix(name);
      const std::string family = split ? split->first : name;
      const std::string element = split ? split->second : "";
      const VarSpec* v = model.find_var(family);
      const SourceLocation where{"--over " + name, 0, 0};
      if (v == nullptr || !v->lever) {
        std::vector<std::string> names;
        for (const auto* l : levers_of(model)) names.push_back(l->name);
        const std::string hint = did_you_mean(family, names);
        throw InputError(
            Diagnostic{where, name,
                       v == nullptr ? "the model has no lever '" + family + "'"
                                    : "'" + family + "' is not a lever",
                       hint.empty() ? "`tamnhin levers FILE` lists the levers" : hint});
      }
      if (!element.empty()) {
        if (v->dims.empty()) {
          throw InputError(Diagnostic{where, name, "'" + family + "' has no dimensions",
                                      "write " + family + " without [" + element + "]"});
        }
        Diagnostics d;
        check_element_of(model, element, where, v->dims, name, d);
        d.throw_if_any();
      }
      // A whole dimensioned lever with a range per element has no one range to search.
      const auto* range = element.empty() && !v->range_by.empty() ? nullptr : range_of(*v, element);
      if (range == nullptr) {
        throw InputError(
            Diagnostic{where, name,
                       v->range_by.empty() ? "lever '" + family + "' declares no range"
                                           : "lever '" + family + "' has a range per element",
                       v->range_by.empty()
                           ? "optimize searches within each lever's range: add "
                             "range = [lo, hi] to vars." +
                                 family + " in the model"
                           : "optimize over its elements: --over " + family + "[ELEMENT],..."});
      }
      if (std::count(r.over.begin(), r.over.end(), name) > 1) {
        throw InputError(Diagnostic{where, name, "'" + name + "' is listed twice in --over", {}});
      }
      // The value as written, of the element when one is named.
      const VarSpec one = element.empty() ? *v : element_var(*v, element);
      const double current =
          one.eq ? one.base.value_or(range->first) : path_value(one.path, model.base_year + 1);
      levers_.push_back({name, range->first, range->second, current});
      families_.push_back(family);
      elements_.push_back(element);
    }
    if (levers_.empty()) {
      throw InputError(Diagnostic{{"--over", 0, 0},
                                  "--over",
                                  "no lever to optimise",
                                  "e.g. --over share_health,share_education"});
    }
    // A shares group given whole keeps its total; --sum names one explicitly.
    sum_ = r.sum;
    // Of a dimensioned group, the members of one element given whole keep its total.
    const bool one_element = std::all_of(elements_.begin(), elements_.end(),
                                         [&](const auto& e) { return e == elements_.front(); });
    if (!sum_ && one_element) {
      for (const auto& g : model.shares) {
        std::vector<std::string> a = g.members, b = families_;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        if (a == b) sum_ = g.total;
      }
    }
    if (sum_) {
      double lo = 0, hi = 0;
      for (const auto& l : levers_) {
        lo += l.lo;
        hi += l.hi;
      }
      if (*sum_ < lo || *sum_ > hi || levers_.size() < 2) {
        throw InputError(Diagnostic{
            r.sum_where.file.empty() ? SourceLocation{"--sum", 0, 0} : r.sum_where, "--sum",
            levers_.size() < 2 ? "a sum needs at least two levers"
                               : "the levers cannot sum to " + show_number(*sum_) +
                                     " within their ranges (they reach " + show_number(lo) +
                                     " to " + show_number(hi) + ")",
            "change --sum, or widen the levers' ranges in the model"});
      }
    }
    // Targets and weights, per scenario.
    for (std::size_t s = 0; s < bases_.size(); ++s) {
      const Program& p = evaluator.program(bases_[s]);
      if (p.targets.empty()) {
        throw InputError(Diagnostic{{bases_[s].name, 0, 0},
                                    bases_[s].name,
                                    "scenario '" + bases_[s].name + "' has no targets to meet",
                                    "optimize maximises the chance of meeting targets"});
      }
      std::vector<double> w(p.targets.size(), r.objective == Objective::targets_met ? 1.0 : 0.0);
      if (r.objective == Objective::weighted) {
        for (const auto& tw : r.weights) {
          bool found = false;
          std::vector<std::string> names;
          for (std::size_t t = 0; t < p.targets.size(); ++t) {
            const std::string& name = p.recorded[p.targets[t].variable].name;
            names.push_back(name + "@" + std::to_string(p.targets[t].year));
            if (name == tw.variable && p.targets[t].year == tw.year) {
              w[t] = tw.weight;
              found = true;
            }
          }
          if (!found) {
            const std::string wanted = tw.variable + "@" + std::to_string(tw.year);
            std::string hint = did_you_mean(wanted, names);
            throw InputError(
                Diagnostic{{"--weights " + wanted, 0, 0},
                           wanted,
                           "scenario '" + bases_[s].name + "' has no target on " + tw.variable +
                               " in " + std::to_string(tw.year),
                           hint.empty() ? "weights name targets as VAR@YEAR=W" : hint});
          }
        }
      }
      weights_.push_back(std::move(w));
    }
  }

  std::size_t dimensions() const { return sum_ ? levers_.size() - 1 : levers_.size(); }
  const std::vector<Lever>& levers() const { return levers_; }
  const std::optional<double>& sum() const { return sum_; }

  // Lever values from the optimiser's coordinates (the last lever closes the sum).
  std::vector<double> values(const std::vector<double>& z) const {
    std::vector<double> x(z.begin(), z.end());
    if (sum_) x.push_back(*sum_ - std::accumulate(z.begin(), z.end(), 0.0));
    return x;
  }
  bool within_ranges(const std::vector<double>& x) const {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double slack = 1e-12 * std::max(1.0, std::abs(levers_[i].hi));
      if (x[i] < levers_[i].lo - slack || x[i] > levers_[i].hi + slack) return false;
    }
    return true;
  }

  // Rounding may push the closing lever a hair outside its range (within_ranges allows
  // that slack): the values applied, scored and reported are clamped into the ranges.
  std::vector<double> clamped(std::vector<double> x) const {
    for (std::size_t i = 0; i < x.size(); ++i)
      x[i] = std::clamp(x[i], levers_[i].lo, levers_[i].hi);
    return x;
  }

  std::vector<Variant> variants_for(const std::vector<double>* x) const {
    std::vector<Variant> out;
    const std::vector<double> values = x != nullptr ? clamped(*x) : std::vector<double>{};
    for (const auto& b : bases_) {
      Variant v = b;
      for (std::size_t i = 0; i < values.size(); ++i)
        v.overrides.push_back({levers_[i].name, std::nullopt, values[i], {"--over", 0, 0}});
      out.push_back(std::move(v));
    }
    return out;
  }

  // Scores candidates (nullptr: the scenarios as written), all in one parallel run.
  std::vector<Scored> score(Evaluator& evaluator,
                            const std::vector<const std::vector<double>*>& xs) {
    std::vector<Scored> out(xs.size());
    std::vector<Variant> variants;
    std::vector<std::size_t> owner;
    for (std::size_t c = 0; c < xs.size(); ++c) {
      if (xs[c] != nullptr && !within_ranges(*xs[c])) {
        out[c].feasible = false;
        continue;
      }
      auto vs = variants_for(xs[c]);
      bool ok = true;
      for (const auto& v : vs) {
        try {
          evaluator.check(v);
        } catch (const InputError&) {
          ok = false;  // e.g. another share of the group pushed out of its range
        }
      }
      if (!ok) {
        out[c].feasible = false;
        continue;
      }
      for (auto& v : vs) {
        variants.push_back(std::move(v));
        owner.push_back(c);
      }
    }
    if (variants.empty()) return out;
    Request request;
    request.summaries = false;
    request.target_indicators = true;
    const auto results = evaluator.evaluate(variants, request);
    for (std::size_t k = 0; k < results.size(); ++k) {
      const std::size_t s = k % bases_.size();
      Scored& sc = out[owner[k]];
      const auto& met = results[k].target_met;
      std::vector<double> score(met.front().size(), 0.0);
      for (std::size_t t = 0; t < met.size(); ++t) {
        if (weights_[s][t] == 0) continue;
        for (std::size_t d = 0; d < score.size(); ++d) score[d] += weights_[s][t] * met[t][d];
      }
      // The worst case over the scenarios (the only one without --robust).
      const auto me = stats::mean_and_error(score);
      if (s == 0 || me.mean < sc.objective) {
        sc.objective = me.mean;
        sc.objective_se = me.se;
        sc.worst = s;
      }
      sc.scores.push_back(std::move(score));
    }
    return out;
  }

  const std::vector<Variant>& bases() const { return bases_; }

 private:
  const std::vector<Variant>& bases_;
  std::vector<Lever> levers_;
  std::vector<std::string> families_, elements_;  // per lever: name without and its element
  std::optional<double> sum_;
  std::vector<std::vector<double>> weights_;  // per scenario, per target
};

// A Latin hypercube over the optimiser's coordinates, keyed by the lever names.
std::vector<std::vector<double>> screen_points(const Problem& problem, std::size_t count,
                                               std::uint64_t seed) {
  const std::size_t k = problem.dimensions();
  std::vector<std::vector<double>> z(count, std::vector<double>(k));
  for (std::size_t j = 0; j < k; ++j) {
    const auto& lever = problem.levers()[j];
    const std::uint64_t key = random::site_key(seed, "optimize/screen/" + lever.name);
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> u(count);
    for (std::size_t i = 0; i < count; ++i) u[i] = random::uniform(key, i, 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return u[a] < u[b]; });
    for (std::size_t i = 0; i < count; ++i) {
      const double v =
          (static_cast<double>(order[i]) + random::uniform(key, i, 1)) / static_cast<double>(count);
      z[i][j] = lever.lo + v * (lever.hi - lever.lo);
    }
  }
  return z;
}

}  // namespace

OptimizeResult optimize(Evaluator& evaluator, Evaluator& reevaluator,
                        const std::vector<Variant>& bases, const OptimizeRequest& request) {
  Problem problem(evaluator, bases, request);
  OptimizeResult result;
  for (const auto& l : problem.levers()) result.levers.push_back(l.name);
  const std::uint64_t seed = evaluator.seed(bases.front().base);

  std::vector<std::vector<double>> xs;  // lever values of every candidate, in order
  std::vector<Scored> scored;
  const auto record = [&](const std::string& phase, const std::vector<double>& x, const Scored& s) {
    result.trace.push_back({result.trace.size() + 1, phase, x, s.feasible,
                            s.feasible ? s.objective : 0.0, s.feasible ? s.objective_se : 0.0,
                            s.feasible ? bases[s.worst].name : ""});
  };

  // The scenarios as written.
  const Scored baseline = problem.score(evaluator, {nullptr}).front();
  std::vector<double> current;
  for (const auto& l : problem.levers()) current.push_back(l.current);
  record("baseline", current, baseline);

  // Screen: the levers as written (when feasible) and a Latin hypercube.
  const std::size_t dims = problem.dimensions();
  const std::size_t screen =
      std::min(request.max_evaluations / 2, std::clamp<std::size_t>(4 * dims + 4, 8, 32));
  {
    std::vector<std::vector<double>> candidates;
    if (problem.within_ranges(current)) candidates.push_back(current);
    for (auto& z : screen_points(problem, screen, seed)) candidates.push_back(problem.values(z));
    std::vector<const std::vector<double>*> pointers;
    for (const auto& c : candidates) pointers.push_back(&c);
    auto s = problem.score(evaluator, pointers);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      record("screen", candidates[i], s[i]);
      xs.push_back(candidates[i]);
      scored.push_back(std::move(s[i]));
    }
  }
  std::size_t best = 0;
  for (std::size_t i = 0; i < scored.size(); ++i)
    if (scored[i].feasible &&
        (!scored[best].feasible || scored[i].objective > scored[best].objective))
      best = i;
  if (!scored[best].feasible) {
    throw InputError(Diagnostic{{"--over", 0, 0},
                                "--over",
                                "no candidate within the levers' ranges keeps every share group "
                                "inside its members' ranges",
                                "optimise over whole share groups, or widen the ranges"});
  }

  // COBYLA from the best screened point.
  const std::size_t budget =
      request.max_evaluations > xs.size() ? request.max_evaluations - xs.size() : 0;
  if (budget > 0 && dims > 0) {
    nlopt::opt opt(nlopt::LN_COBYLA, static_cast<unsigned>(dims));
    std::vector<double> lower, upper, step, z;
    for (std::size_t j = 0; j < dims; ++j) {
      const auto& l = problem.levers()[j];
      lower.push_back(l.lo);
      upper.push_back(l.hi);
      step.push_back(0.1 * (l.hi - l.lo));
      z.push_back(xs[best][j]);
    }
    opt.set_lower_bounds(lower);
    opt.set_upper_bounds(upper);
    opt.set_initial_step(step);
    opt.set_maxeval(static_cast<int>(budget));
    opt.set_xtol_rel(1e-3);
    struct Context {
      Problem* problem;
      Evaluator* evaluator;
      std::vector<std::vector<double>>* xs;
      std::vector<Scored>* scored;
      std::function<void(const std::string&, const std::vector<double>&, const Scored&)> record;
      // An exception cannot cross NLopt's C code: it is kept here, the search is stopped,
      // and it is thrown again once NLopt has returned (a non-finite value, an interrupt).
      std::exception_ptr failure;
    } context{&problem, &evaluator, &xs, &scored, record, nullptr};
    opt.set_max_objective(
        [](const std::vector<double>& zz, std::vector<double>&, void* data) {
          auto& c = *static_cast<Context*>(data);
          if (c.failure) throw nlopt::forced_stop();
          const std::vector<double> x = c.problem->values(zz);
          Scored s;
          try {
            s = c.problem->score(*c.evaluator, {&x}).front();
          } catch (...) {
            c.failure = std::current_exception();
            throw nlopt::forced_stop();
          }
          c.record("cobyla", x, s);
          // Infeasible: worse than any feasible objective (which is >= 0).
          const double value = s.feasible ? s.objective : -1.0;
          c.xs->push_back(x);
          c.scored->push_back(std::move(s));
          return value;
        },
        &context);
    // The closing lever x_k = sum - sum(z) within its range.
    struct Bound {
      double sum, lo, hi;
    } bound{problem.sum().value_or(0), problem.levers().back().lo, problem.levers().back().hi};
    if (problem.sum()) {
      opt.add_inequality_constraint(
          [](const std::vector<double>& zz, std::vector<double>&, void* data) {
            const auto& b = *static_cast<Bound*>(data);
            return b.lo - (b.sum - std::accumulate(zz.begin(), zz.end(), 0.0));
          },
          &bound, 1e-12);
      opt.add_inequality_constraint(
          [](const std::vector<double>& zz, std::vector<double>&, void* data) {
            const auto& b = *static_cast<Bound*>(data);
            return (b.sum - std::accumulate(zz.begin(), zz.end(), 0.0)) - b.hi;
          },
          &bound, 1e-12);
    }
    double value = 0;
    try {
      opt.optimize(z, value);
    } catch (const nlopt::roundoff_limited&) {
      // Converged as far as rounding allows: keep the best seen.
    } catch (const nlopt::forced_stop&) {
    } catch (const std::runtime_error&) {
      if (!context.failure) throw;
    }
    if (context.failure) std::rethrow_exception(context.failure);
    for (std::size_t i = 0; i < scored.size(); ++i)
      if (scored[i].feasible && scored[i].objective > scored[best].objective) best = i;
  }

  const Scored& winner = scored[best];
  // The values scored (clamped, as variants_for applied them): the command applies them
  // to the scenario again, which would refuse a closing lever a hair outside its range.
  result.values = problem.clamped(xs[best]);
  result.objective = winner.objective;
  result.objective_se = winner.objective_se;
  result.worst_scenario = bases[winner.worst].name;
  result.baseline_objective = baseline.objective;
  result.baseline_objective_se = baseline.objective_se;
  result.gain = winner.objective - baseline.objective;
  result.gain_se =
      stats::paired_mean_and_error(winner.scores[winner.worst], baseline.scores[winner.worst]).se;
  result.evaluations = xs.size();

  // The winner's curse: evaluate the winner and the baseline again with another seed.
  result.reevaluation_seed = reevaluator.seed(bases.front().base);
  auto again = problem.score(reevaluator, {nullptr, &result.values});
  result.reevaluated_baseline = again[0].objective;
  result.reevaluated_objective = again[1].objective;
  result.reevaluated_objective_se = again[1].objective_se;
  result.reevaluated_gain = again[1].objective - again[0].objective;
  result.reevaluated_gain_se =
      stats::paired_mean_and_error(again[1].scores[again[1].worst], again[0].scores[again[1].worst])
          .se;
  return result;
}

}  // namespace tamnhin::analysis
