#include "engine/analysis/sensitivity/prim.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

#include "engine/core/check.hpp"

namespace tamnhin::analysis {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Search {
  const std::vector<std::span<const double>>& x;
  std::span<const unsigned char> y;
  std::vector<std::vector<std::size_t>> sorted;  // per input: point indices by value
  std::size_t total_points = 0, total_interesting = 0;
};

struct Box {
  std::vector<double> lower, upper;
};

bool inside(const Search& s, const Box& b, std::size_t j) {
  for (std::size_t i = 0; i < s.x.size(); ++i)
    if (s.x[i][j] < b.lower[i] || s.x[i][j] > b.upper[i]) return false;
  return true;
}

// Points (among `live`) inside the box, and the cases of interest among them.
std::pair<std::size_t, std::size_t> count(const Search& s, const Box& b,
                                          const std::vector<unsigned char>& live) {
  std::size_t n = 0, m = 0;
  for (std::size_t j = 0; j < live.size(); ++j)
    if (live[j] && inside(s, b, j)) {
      ++n;
      m += s.y[j];
    }
  return {n, m};
}

PrimStats stats_of(const Search& s, std::size_t n, std::size_t m) {
  PrimStats st;
  st.coverage = s.total_interesting > 0
                    ? static_cast<double>(m) / static_cast<double>(s.total_interesting)
                    : 0;
  st.density = n > 0 ? static_cast<double>(m) / static_cast<double>(n) : 0;
  st.mass = static_cast<double>(n) / static_cast<double>(s.total_points);
  return st;
}

// Inputs with a limit inside the range of the live points.
std::size_t restricted(const Box& b) {
  std::size_t r = 0;
  for (std::size_t i = 0; i < b.lower.size(); ++i)
    if (b.lower[i] > -kInf || b.upper[i] < kInf) ++r;
  return r;
}

struct Candidate {
  std::size_t input = 0;
  bool upper = false;
  double limit = 0;
  std::size_t n = 0, m = 0;
  bool valid = false;
};

// Whether candidate c beats the best so far: higher density, compared exactly as
// m_c * n_b > m_b * n_c in 64-bit integers (points are at most 10^8, so no overflow);
// the first candidate wins ties.
bool denser(const Candidate& c, const Candidate& best) {
  if (!best.valid) return true;
  return static_cast<std::uint64_t>(c.m) * best.n > static_cast<std::uint64_t>(best.m) * c.n;
}

// The best peel of box b (holding n points, m of interest), or an invalid candidate.
Candidate best_peel(const Search& s, const std::vector<unsigned char>& in_box, std::size_t n,
                    std::size_t m, double alpha, std::size_t min_points) {
  Candidate best;
  std::vector<std::size_t> pts;
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    pts.clear();
    for (std::size_t j : s.sorted[i])
      if (in_box[j]) pts.push_back(j);
    if (pts.empty()) continue;
    const std::span<const double> xi = s.x[i];
    const std::size_t want = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::ceil(alpha * static_cast<double>(n))));
    if (want >= pts.size()) continue;
    // Lower side: remove values below the value at position `want` (ties stay).
    {
      const double limit = xi[pts[want]];
      std::size_t removed = 0, removed_m = 0;
      while (removed < pts.size() && xi[pts[removed]] < limit) removed_m += s.y[pts[removed++]];
      Candidate c{i, false, limit, n - removed, m - removed_m, true};
      if (removed > 0 && c.n >= min_points && denser(c, best)) best = c;
    }
    {
      const double limit = xi[pts[pts.size() - 1 - want]];
      std::size_t removed = 0, removed_m = 0;
      while (removed < pts.size() && xi[pts[pts.size() - 1 - removed]] > limit)
        removed_m += s.y[pts[pts.size() - 1 - removed++]];
      Candidate c{i, true, limit, n - removed, m - removed_m, true};
      if (removed > 0 && c.n >= min_points && denser(c, best)) best = c;
    }
  }
  return best;
}

// The best paste of box b, or an invalid candidate: per input and side, the points outside
// the box only on that input, nearest first, alpha * n of them (ties included).
Candidate best_paste(const Search& s, const Box& b, const std::vector<unsigned char>& live,
                     std::size_t n, std::size_t m, double alpha) {
  const std::size_t inputs = s.x.size();
  // For each live point outside the box on exactly one input: which input.
  std::vector<std::size_t> only(live.size(), inputs);
  for (std::size_t j = 0; j < live.size(); ++j) {
    if (!live[j]) continue;
    std::size_t outside = 0, which = inputs;
    for (std::size_t i = 0; i < inputs && outside < 2; ++i)
      if (s.x[i][j] < b.lower[i] || s.x[i][j] > b.upper[i]) {
        ++outside;
        which = i;
      }
    if (outside == 1) only[j] = which;
  }
  const std::size_t want =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(alpha * static_cast<double>(n))));
  Candidate best;
  std::vector<std::size_t> below, above;
  for (std::size_t i = 0; i < inputs; ++i) {
    below.clear();
    above.clear();
    for (std::size_t j : s.sorted[i]) {
      if (only[j] != i) continue;
      (s.x[i][j] < b.lower[i] ? below : above).push_back(j);
    }
    const std::span<const double> xi = s.x[i];
    if (!below.empty()) {  // nearest first: from the end of `below`
      const std::size_t take = std::min(want, below.size());
      const double limit = xi[below[below.size() - take]];
      std::size_t added = 0, added_m = 0;
      for (std::size_t q = below.size(); q-- > 0 && xi[below[q]] >= limit;) {
        ++added;
        added_m += s.y[below[q]];
      }
      Candidate c{i, false, limit, n + added, m + added_m, true};
      if (added_m > 0 && denser(c, best)) best = c;
    }
    if (!above.empty()) {
      const std::size_t take = std::min(want, above.size());
      const double limit = xi[above[take - 1]];
      std::size_t added = 0, added_m = 0;
      for (std::size_t q = 0; q < above.size() && xi[above[q]] <= limit; ++q) {
        ++added;
        added_m += s.y[above[q]];
      }
      Candidate c{i, true, limit, n + added, m + added_m, true};
      if (added_m > 0 && denser(c, best)) best = c;
    }
  }
  return best;
}

void apply(Box& b, const Candidate& c) {
  (c.upper ? b.upper : b.lower)[c.input] = c.limit;
}

// A limit at or beyond the sample's extreme value cuts nothing: it becomes unrestricted.
void unrestrict_extremes(const Search& s, Box& b) {
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    if (s.sorted[i].empty()) continue;
    if (b.lower[i] <= s.x[i][s.sorted[i].front()]) b.lower[i] = -kInf;
    if (b.upper[i] >= s.x[i][s.sorted[i].back()]) b.upper[i] = kInf;
  }
}

}  // namespace

std::vector<PrimBox> prim(const std::vector<std::span<const double>>& inputs,
                          std::span<const unsigned char> interesting, const PrimOptions& options) {
  const std::size_t points = interesting.size();
  for (const auto& x : inputs) TAMNHIN_CHECK_EQ(x.size(), points);
  Search s{inputs, interesting, {}, points, 0};
  for (unsigned char v : interesting) s.total_interesting += v != 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::vector<std::size_t> order(points);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return inputs[i][a] < inputs[i][b]; });
    s.sorted.push_back(std::move(order));
  }
  std::vector<PrimBox> boxes;
  std::vector<unsigned char> live(points, 1);
  const auto min_points =
      static_cast<std::size_t>(std::ceil(options.mass_min * static_cast<double>(points)));
  double first_base_density = 0;  // share of cases of interest in the whole sample
  for (std::size_t round = 0; round < options.max_boxes; ++round) {
    const Box whole{std::vector<double>(inputs.size(), -kInf),
                    std::vector<double>(inputs.size(), kInf)};
    auto [n, m] = count(s, whole, live);
    if (m == 0 || n == 0) break;
    const double base_density = static_cast<double>(m) / static_cast<double>(n);

    // Peeling trajectory.
    std::vector<Box> path{whole};
    std::vector<std::pair<std::size_t, std::size_t>> counts{{n, m}};
    std::vector<unsigned char> in_box = live;
    Box box = whole;
    while (true) {
      const Candidate c =
          best_peel(s, in_box, n, m, options.peel_alpha, std::max<std::size_t>(1, min_points));
      if (!c.valid) break;
      apply(box, c);
      for (std::size_t j = 0; j < points; ++j)
        if (in_box[j] &&
            (inputs[c.input][j] < box.lower[c.input] || inputs[c.input][j] > box.upper[c.input]))
          in_box[j] = 0;
      n = c.n;
      m = c.m;
      path.push_back(box);
      counts.emplace_back(n, m);
    }

    // The stated rule: the box with the largest coverage x density, i.e. m^2 / n (the
    // balance of the two that is largest at the knee of the trajectory); ties to the
    // earlier, larger box. Compared exactly: m_q^2 n_c > m_c^2 n_q, in long double (the
    // products reach 10^24, beyond 64 bits; long double holds them to 1 part in 10^19).
    std::size_t chosen = 0;
    for (std::size_t q = 1; q < path.size(); ++q) {
      const auto [nq, mq] = counts[q];
      const auto [nc, mc] = counts[chosen];
      const auto score = [](std::size_t mm, std::size_t other_n) {
        return static_cast<long double>(mm) * static_cast<long double>(mm) *
               static_cast<long double>(other_n);
      };
      if (score(mq, nc) > score(mc, nq)) chosen = q;
    }

    PrimBox out;
    for (std::size_t q = 0; q < path.size(); ++q)
      out.trajectory.push_back({false, stats_of(s, counts[q].first, counts[q].second),
                                restricted(path[q]), q == chosen});

    // Pasting the chosen box.
    box = path[chosen];
    std::tie(n, m) = counts[chosen];
    while (true) {
      const Candidate c = best_paste(s, box, live, n, m, options.paste_alpha);
      if (!c.valid) break;
      // Raise coverage without lowering density: m'/n' >= m/n.
      if (static_cast<std::uint64_t>(c.m) * n < static_cast<std::uint64_t>(m) * c.n) break;
      apply(box, c);
      unrestrict_extremes(s, box);
      std::tie(n, m) = count(s, box, live);
      out.trajectory.push_back({true, stats_of(s, n, m), restricted(box), false});
    }
    const double density = static_cast<double>(m) / static_cast<double>(n);
    if (round == 0) first_base_density = base_density;
    if (round > 0 && (density < 2 * base_density || density < first_base_density)) break;
    out.lower = box.lower;
    out.upper = box.upper;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      out.sample_min.push_back(points > 0 ? inputs[i][s.sorted[i].front()] : 0.0);
      out.sample_max.push_back(points > 0 ? inputs[i][s.sorted[i].back()] : 0.0);
    }
    out.stats = stats_of(s, n, m);
    boxes.push_back(std::move(out));
    for (std::size_t j = 0; j < points; ++j)
      if (live[j] && inside(s, box, j)) live[j] = 0;
  }
  return boxes;
}

}  // namespace tamnhin::analysis
