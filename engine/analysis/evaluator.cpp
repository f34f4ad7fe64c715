#include "engine/analysis/evaluator.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <map>
#include <unordered_set>

#include "engine/compile/compile.hpp"
#include "engine/compile/prune.hpp"
#include "engine/core/check.hpp"

namespace tamnhin::analysis {

struct Evaluator::Compiled {
  AppliedVariant applied;
  Program program;
  std::size_t used = 0;  // the generation that last asked for it
  // The program cut down to a set of recorded variables (prune.hpp), per set, for
  // evaluations that read only those (a map: the programs of a round must stay put).
  std::map<std::vector<std::size_t>, Program> pruned;
};

Evaluator::Evaluator(std::vector<const Scenario*> bases, EvaluationSettings settings)
    : bases_(std::move(bases)), settings_(settings) {}

Evaluator::~Evaluator() = default;

std::size_t Evaluator::draws(std::size_t base) const {
  return settings_.draws.value_or(bases_[base]->draws.value_or(kDefaultDraws));
}
std::uint64_t Evaluator::seed(std::size_t base) const {
  return settings_.seed.value_or(bases_[base]->seed.value_or(kDefaultSeed));
}
random::SamplingDesign Evaluator::design(std::size_t base) const {
  return settings_.design.value_or(bases_[base]->sampling.value_or(random::SamplingDesign::mc));
}

namespace {
std::string cache_key(const Variant& variant) {
  return std::to_string(variant.base) + " " + describe(variant.overrides);
}
}  // namespace

std::unique_ptr<Evaluator::Compiled> Evaluator::compile_variant(const Variant& variant) const {
  Diagnostics d;
  auto applied = apply_overrides(bases_[variant.base]->model, variant.overrides, d);
  if (!applied) {
    d.throw_if_any();
    throw InputError(Diagnostic{{}, variant.name, "the settings could not be applied", {}});
  }
  auto program = compile(applied->model, d);
  d.throw_if_any();
  TAMNHIN_CHECK(program.has_value());
  return std::make_unique<Compiled>(
      Compiled{std::move(*applied), std::move(*program), generation_, {}});
}

Evaluator::Compiled& Evaluator::compiled(const Variant& variant) {
  TAMNHIN_CHECK_LT(variant.base, bases_.size());
  const std::string key = cache_key(variant);
  auto it = cache_.find(key);
  if (it != cache_.end()) {
    it->second->used = generation_;
    return *it->second;
  }
  return *cache_.emplace(key, compile_variant(variant)).first->second;
}

void Evaluator::prepare(const std::vector<Variant>& variants) {
  std::vector<std::string> keys;
  std::vector<const Variant*> todo;
  std::unordered_set<std::string> seen;  // a search's round may hold thousands of variants
  for (const Variant& v : variants) {
    TAMNHIN_CHECK_LT(v.base, bases_.size());
    std::string key = cache_key(v);
    if (cache_.count(key) != 0 || !seen.insert(key).second) continue;
    keys.push_back(std::move(key));
    todo.push_back(&v);
  }
  if (todo.size() < 2) return;  // compiled() does one as well
  std::vector<std::unique_ptr<Compiled>> out(todo.size());
  oneapi::tbb::task_arena arena(arena_concurrency(settings_.threads));
  arena.execute([&] {
    oneapi::tbb::parallel_for(std::size_t{0}, todo.size(), [&](std::size_t i) {
      try {
        out[i] = compile_variant(*todo[i]);
      } catch (const InputError&) {
        // Left for compiled() to throw when the caller reaches this variant.
      }
    });
  });
  for (std::size_t i = 0; i < todo.size(); ++i)
    if (out[i] != nullptr) cache_.emplace(std::move(keys[i]), std::move(out[i]));
}

void Evaluator::check(const Variant& variant) const {
  TAMNHIN_CHECK_LT(variant.base, bases_.size());
  Diagnostics d;
  if (!apply_overrides(bases_[variant.base]->model, variant.overrides, d)) d.throw_if_any();
}

const Program& Evaluator::program(const Variant& variant) {
  return compiled(variant).program;
}
const AppliedVariant& Evaluator::applied(const Variant& variant) {
  return compiled(variant).applied;
}

std::size_t recorded_index(const Program& program, const std::string& variable,
                           const SourceLocation& where, const std::string& subject) {
  for (std::size_t i = 0; i < program.recorded.size(); ++i)
    if (program.recorded[i].name == variable) return i;
  std::vector<std::string> names;
  for (const auto& r : program.recorded) names.push_back(r.name);
  const bool exists = std::any_of(program.vars.begin(), program.vars.end(),
                                  [&](const CompiledVar& v) { return v.name == variable; });
  std::string hint = did_you_mean(variable, names);
  if (exists && hint.empty())
    hint = "only variables with a unit or a target are recorded; give '" + variable +
           "' a unit in the model";
  throw InputError(Diagnostic{where, subject,
                              exists ? "'" + variable + "' is not a recorded variable"
                                     : "the model has no variable '" + variable + "'",
                              hint});
}

namespace {

struct ResolvedCapture {
  std::size_t variable;  // recorded index
  std::size_t year_index;
};

std::vector<ResolvedCapture> resolve_captures(const Program& p,
                                              const std::vector<Capture>& wanted) {
  std::vector<ResolvedCapture> out;
  for (const auto& c : wanted) {
    const SourceLocation where{"--output " + c.variable + "@" + std::to_string(c.year), 0, 0};
    const std::size_t v = recorded_index(p, c.variable, where, c.variable);
    if (c.year < p.base_year || c.year >= p.base_year + p.years) {
      throw InputError(Diagnostic{
          where,
          c.variable,
          "year " + std::to_string(c.year) + " is outside the simulated years " +
              std::to_string(p.base_year) + ".." + std::to_string(p.base_year + p.years - 1),
          {}});
    }
    out.push_back({v, static_cast<std::size_t>(c.year - p.base_year)});
  }
  return out;
}

}  // namespace

std::vector<VariantResult> Evaluator::evaluate(const std::vector<Variant>& variants,
                                               const Request& request) {
  prepare(variants);
  std::vector<StudyScenario> study;
  std::vector<std::vector<ResolvedCapture>> captures;
  std::vector<VariantResult> results(variants.size());
  const bool per_draw = request.target_indicators || !request.captures.empty() ||
                        request.parameters || static_cast<bool>(request.on_cube);
  // Only the target years, the captured columns and what the caller's on_cube names are
  // read: the program is cut down to their variables, and under MPI the ranks exchange
  // those columns alone (StudySettings::cube_reads).
  const bool reads_some =
      per_draw && !request.summaries && (!request.on_cube || request.on_cube_reads);
  std::vector<std::vector<std::size_t>> reads(variants.size());
  const auto wanted_targets = [&](const Program& p) {
    std::vector<std::size_t> out;
    if (!request.target_indicators) return out;
    if (!request.only_targets.empty()) {
      for (const std::size_t t : request.only_targets) TAMNHIN_CHECK_LT(t, p.targets.size());
      return request.only_targets;
    }
    for (std::size_t t = 0; t < p.targets.size(); ++t) out.push_back(t);
    return out;
  };
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const Variant& v = variants[i];
    Compiled& c = compiled(v);
    captures.push_back(resolve_captures(c.program, request.captures));
    StudyScenario sc;
    sc.name = v.name;
    sc.program = &c.program;
    if (reads_some) {
      const Program& p = c.program;
      const auto years = static_cast<std::size_t>(p.years);
      std::vector<std::size_t>& columns = reads[i];
      for (const std::size_t t : wanted_targets(p)) {
        const TargetSpec& spec = p.targets[t];
        columns.push_back(spec.variable * years +
                          static_cast<std::size_t>(spec.year - p.base_year));
      }
      for (const auto& capture : captures[i])
        columns.push_back(capture.variable * years + capture.year_index);
      if (request.on_cube_reads) {
        const std::vector<std::size_t> more = request.on_cube_reads(i);
        columns.insert(columns.end(), more.begin(), more.end());
      }
      std::vector<std::size_t> variables;
      for (const std::size_t column : columns) variables.push_back(column / years);
      std::sort(variables.begin(), variables.end());
      variables.erase(std::unique(variables.begin(), variables.end()), variables.end());
      auto it = c.pruned.find(variables);
      if (it == c.pruned.end()) {
        Program pruned = prune_to_recorded(p, variables);
        it = c.pruned.emplace(std::move(variables), std::move(pruned)).first;
      }
      sc.program = &it->second;
    }
    sc.draws = draws(v.base);
    sc.seed = seed(v.base);
    sc.design = design(v.base);
    sc.stream_offset = v.stream_offset;
    sc.description = bases_[v.base]->description;
    for (const auto& entry : v.param_columns) {
      // Not a structured binding: clang before 16 cannot capture one in a lambda.
      const std::string& name = entry.first;
      const Column& column = entry.second;
      const auto& params = c.program.params;
      if (std::none_of(params.begin(), params.end(),
                       [&](const CompiledParam& p) { return p.name == name; })) {
        throw InputError(Diagnostic{
            {}, "params." + name, "'" + name + "' is not an uncertain parameter of " + v.name, {}});
      }
      TAMNHIN_CHECK_EQ(column->size(), sc.draws);
      sc.param_columns.emplace_back(name, column);
    }
    study.push_back(std::move(sc));
    results[i].name = v.name;
    results[i].adjustments = c.applied.adjustments;
    if (request.target_indicators) results[i].target_met.resize(c.program.targets.size());
    results[i].captured.resize(request.captures.size());
  }

  StudySettings settings;
  settings.batch_size = settings_.batch_size;
  settings.threads = settings_.threads;
  settings.stop = settings_.stop;
  settings.shared = &shared_;
  settings.cube_pool = &cubes_;
  settings.summarise = request.summaries;
  settings.draws_done = draws_done_;
  settings.scenarios_done = scenarios_done_;
  if (per_draw) {
    settings.on_cube = [&](const CubePart& part) {
      const std::size_t s = part.scenario;
      const Program& p = *study[s].program;
      VariantResult& r = results[s];
      const Cube& cube = *part.cube;
      const auto in_part = [&](std::size_t v) {
        return v >= part.var_first && v < part.var_first + cube.variables;
      };
      const auto column = [&](std::size_t v, std::size_t year_index) {
        return cube.column(v - part.var_first, year_index);
      };
      if (request.target_indicators) {
        for (const std::size_t t : wanted_targets(p)) {
          const auto& spec = p.targets[t];
          if (!in_part(spec.variable)) continue;
          const auto x = column(spec.variable, static_cast<std::size_t>(spec.year - p.base_year));
          auto& met = r.target_met[t];
          met.resize(x.size());
          for (std::size_t d = 0; d < x.size(); ++d)
            met[d] = holds(spec.comparator, x[d], spec.threshold) ? 1 : 0;
        }
      }
      for (std::size_t k = 0; k < captures[s].size(); ++k) {
        const auto& c = captures[s][k];
        if (!in_part(c.variable)) continue;
        const auto x = column(c.variable, c.year_index);
        r.captured[k].assign(x.begin(), x.end());
      }
      if (request.parameters && part.var_first == 0) {
        r.parameters.clear();
        for (std::size_t j = 0; j < p.params.size(); ++j) {
          const double* x = part.prepared->param_columns[j];
          r.parameters.emplace_back(p.params[j].name, std::vector<double>(x, x + cube.draws));
        }
      }
      if (request.on_cube) request.on_cube(s, part);
    };
  }
  if (reads_some) settings.cube_reads = [&](std::size_t s) { return reads[s]; };
  // The study's scenarios are the variants, in order: its indices are theirs. Only with the
  // caller's on_cube, which found the columns (run_study checks that on_cube is set).
  if (request.summaries && request.on_cube && request.same_columns) {
    settings.same_columns = [&](const CubePart& part) {
      return request.same_columns(part.scenario, part);
    };
  }
  if (request.summaries && request.on_cube && request.summarised_columns) {
    settings.summarised_columns = [&](const CubePart& part) {
      return request.summarised_columns(part.scenario, part);
    };
  }
  if (request.on_cube && request.held_cube) settings.held_cube = request.held_cube;
  std::vector<ScenarioResult> simulated = run_study(study, settings);
  evaluations_ += variants.size();
  if (cache_.size() > kMaxCached) {
    std::erase_if(cache_, [&](const auto& entry) { return entry.second->used < generation_; });
  }
  ++generation_;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    results[i].report = std::move(simulated[i].report);
    results[i].clamps = std::move(simulated[i].clamps);
  }
  return results;
}

}  // namespace tamnhin::analysis
