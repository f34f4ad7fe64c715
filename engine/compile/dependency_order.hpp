// Orders variables so that each comes after every variable it reads in the same year
// (Boost.Graph topological sort). Cycles are found as strongly connected components and
// reported by naming their members.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace tamnhin {

struct DependencyGraph {
  std::size_t nodes = 0;
  std::vector<std::vector<std::size_t>> reads;  // reads[v]: nodes v reads in the same year
};

struct OrderResult {
  std::vector<std::size_t> order;                // every node, dependencies first
  std::vector<std::vector<std::size_t>> cycles;  // each cycle's members, ascending
};

// Among equal candidates the order is deterministic (it follows node numbering).
OrderResult dependency_order(const DependencyGraph& graph);

}  // namespace tamnhin
