// JSON files as people read them: two-space indentation, keys in the order given, and
// doubles in the tables' shortest exact form (never "1.5E0").
#pragma once

#include <string>

#include <boost/json.hpp>

namespace tamnhin::io {

// The document, pretty-printed, with a final newline.
std::string pretty_json(const boost::json::value& value);

}  // namespace tamnhin::io
