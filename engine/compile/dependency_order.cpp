#include "engine/compile/dependency_order.hpp"

#include <algorithm>
#include <map>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>

namespace tamnhin {

OrderResult dependency_order(const DependencyGraph& graph) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  // Edge v -> u when v reads u: a reverse topological order then lists u before v.
  Graph g(graph.nodes);
  std::vector<bool> reads_itself(graph.nodes, false);
  for (std::size_t v = 0; v < graph.nodes; ++v) {
    for (std::size_t u : graph.reads[v]) {
      boost::add_edge(v, u, g);
      if (u == v) reads_itself[v] = true;
    }
  }

  OrderResult result;
  std::vector<int> component(graph.nodes);
  boost::strong_components(g, component.data());
  std::map<int, std::vector<std::size_t>> members;
  for (std::size_t v = 0; v < graph.nodes; ++v) members[component[v]].push_back(v);
  for (auto& [id, nodes] : members) {
    if (nodes.size() > 1 || reads_itself[nodes.front()]) result.cycles.push_back(nodes);
  }
  std::sort(result.cycles.begin(), result.cycles.end());
  if (!result.cycles.empty()) return result;

  // topological_sort writes vertices in reverse topological order of the edges, i.e.
  // every node after the nodes it reads.
  boost::topological_sort(g, std::back_inserter(result.order));
  return result;
}

}  // namespace tamnhin
