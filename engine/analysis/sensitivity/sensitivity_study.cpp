#include "engine/analysis/sensitivity/sensitivity_study.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/analysis/sensitivity/factors.hpp"
#include "engine/analysis/sensitivity/morris.hpp"
#include "engine/analysis/sensitivity/saltelli.hpp"
#include "engine/core/check.hpp"
#include "engine/random/philox.hpp"
#include "engine/sim/rank_split.hpp"
#include "engine/sim/ranks.hpp"

namespace tamnhin::analysis {

namespace {

[[noreturn]] void bad(const std::string& option, const std::string& subject,
                      const std::string& message, const std::string& hint) {
  throw InputError(Diagnostic{{option, 0, 0}, subject, message, hint});
}

std::optional<double> finite(double x) {
  if (std::isnan(x)) return std::nullopt;
  return x;
}

// The per-draw values of every output in one variant's result.
struct OutputColumns {
  std::vector<std::vector<double>> values;  // per output
};

struct Plan {
  std::vector<Capture> captures;
  std::vector<std::size_t> capture_of;  // per output: index into captures (not target)
  std::vector<std::size_t> target_of;   // per output: index into Program::targets (target)
};

Plan plan_outputs(const Program& program, const std::vector<OutputSpec>& outputs) {
  Plan plan;
  for (const OutputSpec& o : outputs) {
    const std::string option = "--output " + o.text;
    if (o.target) {
      plan.target_of.push_back(find_target(program, o.variable, o.year, option));
      plan.capture_of.push_back(0);
      continue;
    }
    // Validates name and year (the evaluator does too, but before any simulation here).
    recorded_index(program, o.variable, {option, 0, 0}, o.variable);
    if (o.year < program.base_year || o.year >= program.base_year + program.years)
      bad(option, o.variable,
          "year " + std::to_string(o.year) + " is outside the simulated years " +
              std::to_string(program.base_year) + ".." +
              std::to_string(program.base_year + program.years - 1),
          "choose a year of the run");
    plan.target_of.push_back(0);
    plan.capture_of.push_back(plan.captures.size());
    plan.captures.push_back({o.variable, o.year});
  }
  return plan;
}

// What every design asks of the evaluator: the planned captures, target indicators when
// an output is a target, and no summaries.
Request request_for(const Plan& plan, const std::vector<OutputSpec>& outputs) {
  Request request;
  request.summaries = false;
  request.captures = plan.captures;
  request.target_indicators =
      std::any_of(outputs.begin(), outputs.end(), [](const OutputSpec& o) { return o.target; });
  // Only the targets asked about: the evaluator then simulates only what they need.
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (!outputs[k].target) continue;
    const std::size_t t = plan.target_of[k];
    if (std::find(request.only_targets.begin(), request.only_targets.end(), t) ==
        request.only_targets.end())
      request.only_targets.push_back(t);
  }
  return request;
}

std::vector<std::vector<double>> output_columns(const VariantResult& r,
                                                const std::vector<OutputSpec>& outputs,
                                                const Plan& plan) {
  std::vector<std::vector<double>> out;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (outputs[k].target) {
      const auto& met = r.target_met[plan.target_of[k]];
      out.emplace_back(met.begin(), met.end());
    } else {
      out.push_back(r.captured[plan.capture_of[k]]);
    }
  }
  return out;
}

Variant variant_with(std::string name, const std::vector<Override>& overrides, const FactorSet& set,
                     const std::vector<std::shared_ptr<const std::vector<double>>>& columns,
                     std::uint64_t stream_offset) {
  Variant v;
  v.name = std::move(name);
  v.base = 0;
  v.overrides = overrides;
  for (std::size_t c = 0; c < set.names.size(); ++c)
    v.param_columns.emplace_back(set.names[c], columns[c]);
  v.stream_offset = stream_offset;
  return v;
}

SensitivityResult run_sobol(Evaluator& ev, const Program& program, const FactorSet& set,
                            const std::vector<OutputSpec>& outputs, const Plan& plan,
                            const SensitivityOptions& options) {
  const std::size_t n = options.samples;
  const std::uint64_t seed = ev.seed(0);
  const SaltelliDesign d = saltelli_design(set.names, ev.design(0), seed, n);
  const auto a_cols = parameter_columns(program, set, d.a, n);
  const auto b_cols = parameter_columns(program, set, d.b, n);
  std::vector<Variant> variants;
  variants.push_back(variant_with("A", options.overrides, set, a_cols, 0));
  variants.push_back(variant_with("B", options.overrides, set, b_cols, n));
  for (std::size_t i = 0; i < set.factors.size(); ++i) {
    auto cols = a_cols;
    for (std::size_t c = 0; c < set.params.size(); ++c)
      if (set.factor_of[c] == i) cols[c] = b_cols[c];
    variants.push_back(variant_with("AB " + set.factors[i].name, options.overrides, set, cols, 0));
  }
  if (set.yearly_draws)
    variants.push_back(variant_with("AB yearly_draws", options.overrides, set, a_cols, n));

  const Request request = request_for(plan, outputs);
  const std::vector<VariantResult> results = ev.evaluate(variants, request);
  std::vector<std::vector<std::vector<double>>> y;  // per variant, per output
  for (const auto& r : results) y.push_back(output_columns(r, outputs, plan));

  SensitivityResult out;
  out.factors = set.factors.size() + (set.yearly_draws ? 1 : 0);
  out.model_runs = variants.size() * n;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    SobolOutputs so{y[0][k], y[1][k], {}};
    for (std::size_t v = 2; v < variants.size(); ++v) so.ab.emplace_back(y[v][k]);
    SobolOptions so_opt;
    so_opt.resamples = options.resamples;
    so_opt.bootstrap_key = random::site_key(seed, "bootstrap/" + outputs[k].text);
    // Under MPI each rank computes a block of the resamples (one rank: all, no exchange).
    const std::vector<std::size_t> bounds = rank_item_bounds(so_opt.resamples);
    if (bounds.size() > 2) {
      const auto me = static_cast<std::size_t>(ranks::rank());
      so_opt.first_resample = bounds[me];
      so_opt.last_resample = bounds[me + 1];
      so_opt.share = [&](std::span<double> values, std::size_t width) {
        share_items(values, width, bounds);
      };
    }
    const SobolResult r = sobol_indices(so, so_opt);
    out.convergence.push_back({outputs[k].text, r.variance, r.max_change, r.settled});
    std::vector<SensitivityRow> rows;
    for (std::size_t i = 0; i < r.factors.size(); ++i) {
      const SobolIndex& f = r.factors[i];
      SensitivityRow row;
      row.output = outputs[k].text;
      row.factor = i < set.factors.size() ? set.factors[i].name : kYearlyDrawsFactor;
      row.method = "sobol";
      row.s1 = finite(f.s1);
      row.s1_low = finite(f.s1_low);
      row.s1_high = finite(f.s1_high);
      row.st = finite(f.st);
      row.st_low = finite(f.st_low);
      row.st_high = finite(f.st_high);
      rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const SensitivityRow& a, const SensitivityRow& b) {
                       return a.st.value_or(-1) > b.st.value_or(-1);
                     });
    out.rows.insert(out.rows.end(), rows.begin(), rows.end());
  }
  return out;
}

SensitivityResult run_morris(Evaluator& ev, const Program& program, const FactorSet& set,
                             const std::vector<OutputSpec>& outputs, const Plan& plan,
                             const SensitivityOptions& options) {
  const std::size_t r = options.samples, k = set.factors.size();
  const MorrisDesign d =
      morris_design(set.factor_of, k, r, options.levels, random::site_key(ev.seed(0), "morris"));
  std::vector<Variant> variants;
  for (std::size_t j = 0; j <= k; ++j)
    variants.push_back(variant_with("point " + std::to_string(j), options.overrides, set,
                                    parameter_columns(program, set, d.points[j], r), 0));
  const Request request = request_for(plan, outputs);
  const std::vector<VariantResult> results = ev.evaluate(variants, request);
  std::vector<std::vector<std::vector<double>>> y;
  for (const auto& res : results) y.push_back(output_columns(res, outputs, plan));

  SensitivityResult out;
  out.factors = k;
  out.model_runs = variants.size() * r;
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    std::vector<std::span<const double>> spans;
    for (std::size_t j = 0; j <= k; ++j) spans.emplace_back(y[j][o]);
    const std::vector<MorrisIndex> m = morris_indices(d, spans);
    std::vector<SensitivityRow> rows;
    for (std::size_t i = 0; i < k; ++i) {
      SensitivityRow row;
      row.output = outputs[o].text;
      row.factor = set.factors[i].name;
      row.method = "morris";
      row.mu_star = m[i].mu_star;
      row.sigma = m[i].sigma;
      rows.push_back(std::move(row));
    }
    std::stable_sort(
        rows.begin(), rows.end(),
        [](const SensitivityRow& a, const SensitivityRow& b) { return *a.mu_star > *b.mu_star; });
    out.rows.insert(out.rows.end(), rows.begin(), rows.end());
  }
  return out;
}

}  // namespace

OutputSpec parse_output_spec(const std::string& text, const std::string& option) {
  OutputSpec spec;
  spec.text = text;
  std::string rest = text;
  const std::string suffix = ":target";
  if (rest.size() > suffix.size() && rest.ends_with(suffix)) {
    spec.target = true;
    rest.resize(rest.size() - suffix.size());
  }
  const auto at = rest.find('@');
  const auto hint = std::string("write VAR@YEAR, e.g. grdp_per_capita@2030") +
                    " (or VAR@YEAR:target for a target's indicator)";
  if (at == std::string::npos || at == 0 || at + 1 == rest.size())
    bad(option + " " + text, text, "expected VAR@YEAR", hint);
  spec.variable = rest.substr(0, at);
  const std::string year = rest.substr(at + 1);
  const auto [ptr, ec] = std::from_chars(year.data(), year.data() + year.size(), spec.year);
  if (ec != std::errc() || ptr != year.data() + year.size())
    bad(option + " " + text, text, "'" + year + "' is not a year", hint);
  return spec;
}

std::size_t find_target(const Program& program, const std::string& variable, int year,
                        const std::string& option) {
  std::vector<std::string> known;
  for (std::size_t t = 0; t < program.targets.size(); ++t) {
    const auto& spec = program.targets[t];
    const std::string& name = program.recorded[spec.variable].name;
    if (name == variable && spec.year == year) return t;
    known.push_back(name + "@" + std::to_string(spec.year));
  }
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  bad(option, variable + "@" + std::to_string(year),
      "the scenario has no target on '" + variable + "' in " + std::to_string(year),
      known.empty() ? std::string("the model defines no targets") : "targets: " + list);
}

SensitivityResult run_sensitivity(Evaluator& evaluator, const std::vector<OutputSpec>& outputs,
                                  const SensitivityOptions& options) {
  TAMNHIN_CHECK_EQ(evaluator.base_count(), std::size_t{1});
  Variant as_written;
  as_written.overrides = options.overrides;
  const Program& program = evaluator.program(as_written);
  const FactorSet set = sensitivity_factors(program);
  const std::string file = evaluator.base(0).file;
  if (set.factors.empty())
    throw InputError(Diagnostic{{file, 0, 0},
                                "params",
                                "the model has no uncertain parameter: there is nothing to "
                                "attribute the output's variance to",
                                "give at least one parameter a distribution (MODEL_FORMAT.md)"});
  if (outputs.empty()) bad("--output", "--output", "no output given", "e.g. --output VAR@YEAR");
  const Plan plan = plan_outputs(program, outputs);
  if (options.method == SensitivityMethod::sobol && options.samples < kMinSobolSamples)
    bad("--samples", "--samples",
        "Sobol' indices need at least " + std::to_string(kMinSobolSamples) +
            " samples for the bootstrap intervals and the N/2 convergence check, got " +
            std::to_string(options.samples),
        "use --samples 1024 or more (a power of two with --sampling sobol)");
  if (options.method == SensitivityMethod::morris && options.samples < 2)
    bad("--samples", "--samples",
        "Morris needs at least 2 trajectories for sigma, got " + std::to_string(options.samples),
        "use --samples 20 or more");
  TAMNHIN_CHECK_EQ(evaluator.draws(0), options.samples);  // the caller's evaluator settings
  return options.method == SensitivityMethod::sobol
             ? run_sobol(evaluator, program, set, outputs, plan, options)
             : run_morris(evaluator, program, set, outputs, plan, options);
}

}  // namespace tamnhin::analysis
