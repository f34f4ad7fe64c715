// Randomness as a pure function (ARCHITECTURE.md, decision 2): the uniform for
// (key, draw, year) is computed by Philox4x32-10 (Random123), never drawn from a shared
// stream. Keys come from the run seed and a *site* name ("param/okun",
// "eq/growth_shock/0", "shock/macro/growth_z"), so adding a site never moves another's
// numbers, and draw i sees the same numbers in every scenario.
//
// Counter layout: one Philox call yields 128 bits = two 53-bit uniforms, used by the
// draw pair (2m, 2m+1): ctr = {m_lo, m_hi, year, 0}, key = {key_lo, key_hi}, and draw
// 2m takes words 0-1, draw 2m+1 words 2-3. A uniform is ((w_hi:w_lo) >> 11 + 0.5) * 2^-53,
// strictly inside (0,1): in double arithmetic the top cell's value rounds to exactly 1, so
// it is clamped to 1 - 2^-53 (no other value is affected).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tamnhin::random {

// 64-bit key for a named site under a run seed (stable hash of the name, mixed with the
// seed). The same (seed, site) gives the same key on every platform.
std::uint64_t site_key(std::uint64_t seed, std::string_view site);

// The uniform in (0,1) for one (key, draw, year).
double uniform(std::uint64_t key, std::uint64_t draw, std::uint32_t year);

// out[i] = uniform(key, draw0 + i, year) for i < n, computed two draws per Philox call.
void uniforms(std::uint64_t key, std::uint32_t year, std::uint64_t draw0, std::size_t n,
              double* out);

// out[i] = inverse_normal_cdf(uniform(key, draw0 + i, year)).
void standard_normals(std::uint64_t key, std::uint32_t year, std::uint64_t draw0, std::size_t n,
                      double* out);

// Standard normal quantile, Wichura's AS 241 (PPND16, relative error ~1e-16), in plain
// arithmetic so it vectorises and gives the same bits on every x86-64 build.
double inverse_normal_cdf(double u);

}  // namespace tamnhin::random
