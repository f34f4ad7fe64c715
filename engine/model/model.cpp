#include "engine/model/model.hpp"

#include <algorithm>
#include <iterator>

namespace tamnhin {

namespace {
template <typename Range>
auto find_named(Range& items, std::string_view name) -> decltype(&*std::begin(items)) {
  auto it = std::find_if(std::begin(items), std::end(items),
                         [&](const auto& item) { return item.name == name; });
  return it == std::end(items) ? nullptr : &*it;
}
}  // namespace

const VarSpec* Model::find_var(std::string_view n) const {
  return find_named(vars, n);
}
VarSpec* Model::find_var(std::string_view n) {
  return find_named(vars, n);
}
const ParamSpec* Model::find_param(std::string_view n) const {
  return find_named(params, n);
}
ParamSpec* Model::find_param(std::string_view n) {
  return find_named(params, n);
}
TableSpec* Model::find_table(std::string_view n) {
  return find_named(tables, n);
}

const Dimension* Model::find_dim(std::string_view n) const {
  return find_named(dims, n);
}

const ShareGroup* Model::share_group_of(std::string_view var) const {
  for (const auto& g : shares) {
    if (std::find(g.members.begin(), g.members.end(), var) != g.members.end()) return &g;
  }
  return nullptr;
}

std::vector<std::string> Model::all_names() const {
  std::vector<std::string> names;
  for (const auto& p : params) names.push_back(p.name);
  for (const auto& t : tables) names.push_back(t.name);
  for (const auto& g : shocks) names.insert(names.end(), g.names.begin(), g.names.end());
  for (const auto& v : vars) names.push_back(v.name);
  return names;
}

double path_value(const std::map<int, double>& path, int year) {
  if (path.empty()) return 0.0;
  auto upper = path.lower_bound(year);
  if (upper == path.end()) return std::prev(upper)->second;
  if (upper->first == year || upper == path.begin()) return upper->second;
  auto lower = std::prev(upper);
  // Differences in double: years are ints from the file, and {-2000000000 = 0,
  // 2000000000 = 1} would overflow an int difference. Exact, so the same bits as before.
  const double w = (static_cast<double>(year) - static_cast<double>(lower->first)) /
                   (static_cast<double>(upper->first) - static_cast<double>(lower->first));
  return lower->second + w * (upper->second - lower->second);
}

}  // namespace tamnhin
