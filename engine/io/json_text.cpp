#include "engine/io/json_text.hpp"

#include <cmath>

#include "engine/io/number_format.hpp"

namespace tamnhin::io {

namespace json = boost::json;

namespace {

// The pretty printer of the Boost.JSON examples, with doubles in the tables' form.
void pretty_print(const json::value& v, std::string& out, std::string& indent) {
  switch (v.kind()) {
    case json::kind::object: {
      const auto& object = v.get_object();
      if (object.empty()) {
        out += "{}";
        break;
      }
      out += "{\n";
      indent.append(2, ' ');
      for (auto it = object.begin(); it != object.end(); ++it) {
        if (it != object.begin()) out += ",\n";
        out += indent + json::serialize(it->key()) + ": ";
        pretty_print(it->value(), out, indent);
      }
      indent.resize(indent.size() - 2);
      out += '\n' + indent + '}';
      break;
    }
    case json::kind::array: {
      const auto& array = v.get_array();
      if (array.empty()) {
        out += "[]";
        break;
      }
      out += "[\n";
      indent.append(2, ' ');
      for (auto it = array.begin(); it != array.end(); ++it) {
        if (it != array.begin()) out += ",\n";
        out += indent;
        pretty_print(*it, out, indent);
      }
      indent.resize(indent.size() - 2);
      out += '\n' + indent + ']';
      break;
    }
    case json::kind::double_: {
      const double d = v.get_double();
      // JSON has no nan/inf; none is expected here, but the file must stay valid JSON.
      out += std::isfinite(d) ? format_number(d) : "null";
      break;
    }
    default:
      out += json::serialize(v);  // strings (escaped), integers, bools, null
  }
}

}  // namespace

std::string pretty_json(const json::value& value) {
  std::string out, indent;
  pretty_print(value, out, indent);
  out += '\n';
  return out;
}

}  // namespace tamnhin::io
