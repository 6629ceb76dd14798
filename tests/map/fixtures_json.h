// Loads the JSON fixtures written by tests/map/make_fixtures.py (scikit-learn references).
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace photomap::map::testing {

inline nlohmann::json LoadFixture(const std::string& name) {
  std::ifstream in(std::string(PHOTOMAP_SOURCE_DIR) + "/tests/map/fixtures/" + name);
  return nlohmann::json::parse(in);
}

// The float32 coordinates of a case (stored as exact decimals of float32 values).
inline std::vector<float> Coordinates(const nlohmann::json& c) {
  std::vector<float> xy;
  for (double v : c.at("xy")) xy.push_back(static_cast<float>(v));
  return xy;
}

}  // namespace photomap::map::testing
