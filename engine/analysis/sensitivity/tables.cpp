#include "engine/analysis/sensitivity/tables.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "engine/io/number_format.hpp"
#include "engine/io/tables.hpp"

namespace tamnhin::analysis {

namespace {

std::string cell(const std::optional<double>& x) {
  return x ? io::format_number(*x) : std::string();
}

std::string fixed(const std::optional<double>& x, int digits = 3) {
  if (!x) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, *x);
  return buf;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

std::string render_sensitivity_csv(const SensitivityResult& result) {
  std::string out = "output,factor,method,S1,S1_low,S1_high,ST,ST_low,ST_high,mu_star,sigma\n";
  for (const auto& r : result.rows) {
    out += io::csv_field(r.output) + ',' + io::csv_field(r.factor) + ',' + r.method + ',' +
           cell(r.s1) + ',' + cell(r.s1_low) + ',' + cell(r.s1_high) + ',' + cell(r.st) + ',' +
           cell(r.st_low) + ',' + cell(r.st_high) + ',' + cell(r.mu_star) + ',' + cell(r.sigma) +
           '\n';
  }
  return out;
}

std::string render_sensitivity_table(const SensitivityResult& result) {
  std::ostringstream out;
  std::size_t width = 6;
  for (const auto& r : result.rows) width = std::max(width, r.factor.size() + 2);
  std::string current;
  std::size_t inert = 0;  // factors of the current output with ST (or mu*) exactly 0
  const auto flush_inert = [&] {
    if (inert > 0)
      out << "  (" << inert << (inert == 1 ? " factor" : " factors")
          << " with no effect at all: 0 in every sample; see sensitivity.csv)\n";
    inert = 0;
  };
  for (const auto& r : result.rows) {
    if (r.output != current) {
      flush_inert();
      current = r.output;
      out << '\n' << current << '\n';
      if (r.method == "sobol")
        out << "  " << pad("factor", width) << "    S1 [95% interval]          ST [95% interval]\n";
      else
        out << "  " << pad("factor", width) << "       mu*      sigma\n";
    }
    if ((r.st && *r.st == 0 && r.s1 && *r.s1 == 0) || (r.mu_star && *r.mu_star == 0)) {
      ++inert;
      continue;
    }
    if (r.method == "sobol") {
      out << "  " << pad(r.factor, width) << fixed(r.s1) << " [" << fixed(r.s1_low) << ", "
          << fixed(r.s1_high) << "]   " << fixed(r.st) << " [" << fixed(r.st_low) << ", "
          << fixed(r.st_high) << "]\n";
    } else {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%10.4g %10.4g", *r.mu_star, *r.sigma);
      out << "  " << pad(r.factor, width) << buf << '\n';
    }
  }
  flush_inert();
  for (const auto& c : result.convergence) {
    out << '\n' << c.output << ": ";
    if (!(c.variance > 0)) {
      out << "the output does not vary across the samples; its indices are undefined\n";
      continue;
    }
    char buf[160];
    std::snprintf(buf, sizeof buf, "indices from N/2 and N samples differ by at most %.3f: %s\n",
                  c.max_change,
                  c.settled ? "settled" : "NOT settled (over 0.05): rerun with more --samples");
    out << buf;
  }
  out << "\n" << result.factors << " factors, " << result.model_runs << " model runs\n";
  return out.str();
}

std::string render_discover_csv(const DiscoverResult& result) {
  std::string out = "box,parameter,lower,upper,coverage,density,mass\n";
  for (std::size_t b = 0; b < result.boxes.size(); ++b) {
    const PrimBox& box = result.boxes[b];
    for (std::size_t i = 0; i < result.parameters.size(); ++i) {
      if (!box.restricts(i)) continue;
      const double lower = std::isfinite(box.lower[i]) ? box.lower[i] : box.sample_min[i];
      const double upper = std::isfinite(box.upper[i]) ? box.upper[i] : box.sample_max[i];
      out += std::to_string(b + 1) + ',' + io::csv_field(result.parameters[i]) + ',' +
             io::format_number(lower) + ',' + io::format_number(upper) + ',' +
             io::format_number(box.stats.coverage) + ',' + io::format_number(box.stats.density) +
             ',' + io::format_number(box.stats.mass) + '\n';
    }
  }
  return out;
}

std::string render_discover_trajectory_csv(const DiscoverResult& result) {
  std::string out = "box,step,phase,coverage,density,mass,restricted,chosen\n";
  for (std::size_t b = 0; b < result.boxes.size(); ++b) {
    const auto& t = result.boxes[b].trajectory;
    for (std::size_t s = 0; s < t.size(); ++s) {
      out += std::to_string(b + 1) + ',' + std::to_string(s) + ',' +
             (t[s].paste ? "paste" : (s == 0 ? "start" : "peel")) + ',' +
             io::format_number(t[s].stats.coverage) + ',' + io::format_number(t[s].stats.density) +
             ',' + io::format_number(t[s].stats.mass) + ',' + std::to_string(t[s].restricted) +
             ',' + (t[s].chosen ? "1" : "0") + '\n';
    }
  }
  return out;
}

std::string render_discover_table(const DiscoverResult& result) {
  std::ostringstream out;
  out << result.target << ": missed in " << result.missed << " of " << result.draws << " draws\n";
  if (result.boxes.empty()) {
    out << "no box: " << (result.missed == 0 ? "the target is never missed" : "no region found")
        << '\n';
    return out.str();
  }
  for (std::size_t b = 0; b < result.boxes.size(); ++b) {
    const PrimBox& box = result.boxes[b];
    out << "\nbox " << b + 1 << (b == 0 ? " (chosen)" : "") << ": coverage "
        << fixed(box.stats.coverage, 2) << ", density " << fixed(box.stats.density, 2) << ", mass "
        << fixed(box.stats.mass, 2) << '\n';
    for (std::size_t i = 0; i < result.parameters.size(); ++i) {
      if (!box.restricts(i)) continue;
      out << "  " << result.parameters[i];
      if (std::isfinite(box.lower[i]) && std::isfinite(box.upper[i]))
        out << " in [" << io::format_number(box.lower[i]) << ", " << io::format_number(box.upper[i])
            << "]\n";
      else if (std::isfinite(box.lower[i]))
        out << " >= " << io::format_number(box.lower[i]) << '\n';
      else
        out << " <= " << io::format_number(box.upper[i]) << '\n';
    }
  }
  return out.str();
}

}  // namespace tamnhin::analysis
