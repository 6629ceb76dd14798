#include "config/validation.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace photomap::config {
namespace {

nlohmann::ordered_json ToOrdered(const nlohmann::json& j) {
  return nlohmann::ordered_json::parse(j.dump());
}

bool ParseDouble(const std::string& text, double* out) {
  std::string t = text;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  size_t start = 0;
  while (start < t.size() && std::isspace(static_cast<unsigned char>(t[start]))) ++start;
  t = t.substr(start);
  if (t.empty()) return false;
  std::string lower;
  for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "nan" || lower == "+nan" || lower == "-nan") {
    *out = std::nan("");
    return true;
  }
  if (lower == "inf" || lower == "infinity" || lower == "+inf" || lower == "+infinity") {
    *out = INFINITY;
    return true;
  }
  if (lower == "-inf" || lower == "-infinity") {
    *out = -INFINITY;
    return true;
  }
  char* end = nullptr;
  *out = std::strtod(t.c_str(), &end);
  return end != nullptr && *end == '\0';
}

}  // namespace

nlohmann::ordered_json FieldIssue::ToJson() const {
  nlohmann::ordered_json j;
  j["type"] = type;
  j["loc"] = loc;
  j["msg"] = msg;
  j["input"] = input;
  if (!ctx.is_null()) j["ctx"] = ctx;
  return j;
}

std::string PythonFloatText(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

FieldReader::FieldReader(const nlohmann::json& body) : body_(body) {}

bool FieldReader::has(const std::string& name) const {
  return body_.is_object() && body_.contains(name);
}

bool FieldReader::is_null(const std::string& name) const {
  return has(name) && body_.at(name).is_null();
}

void FieldReader::Issue(const std::string& name, std::string type, std::string msg,
                        nlohmann::ordered_json ctx) {
  FieldIssue issue;
  issue.type = std::move(type);
  issue.loc = nlohmann::ordered_json::array({"body", name});
  issue.msg = std::move(msg);
  issue.input = has(name) ? ToOrdered(body_.at(name)) : ToOrdered(body_);
  issue.ctx = std::move(ctx);
  issues_.push_back(std::move(issue));
}

const nlohmann::json* FieldReader::Get(const std::string& name, bool required) {
  if (!has(name) || body_.at(name).is_null()) {
    if (required && !has(name)) Issue(name, "missing", "Field required");
    if (required && has(name)) {
      // pydantic reports an explicit null for a required non-optional field as a type error;
      // the caller decides which type, so record the generic form here.
      Issue(name, "missing", "Field required");
    }
    return nullptr;
  }
  return &body_.at(name);
}

std::optional<std::string> FieldReader::String(const std::string& name, bool required) {
  const nlohmann::json* v = Get(name, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Issue(name, "string_type", "Input should be a valid string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<double> FieldReader::Float(const std::string& name, bool required) {
  const nlohmann::json* v = Get(name, required);
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->get<double>();
  if (v->is_boolean()) return v->get<bool>() ? 1.0 : 0.0;
  if (v->is_string()) {
    double d = 0;
    if (ParseDouble(v->get<std::string>(), &d)) return d;
    Issue(name, "float_parsing",
          "Input should be a valid number, unable to parse string as a number");
    return std::nullopt;
  }
  Issue(name, "float_type", "Input should be a valid number");
  return std::nullopt;
}

std::optional<int64_t> FieldReader::Int(const std::string& name, bool required) {
  const nlohmann::json* v = Get(name, required);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<int64_t>();
  if (v->is_boolean()) return v->get<bool>() ? 1 : 0;
  double d = 0;
  bool parsed = false;
  if (v->is_number_float()) {
    d = v->get<double>();
    parsed = true;
  } else if (v->is_string()) {
    parsed = ParseDouble(v->get<std::string>(), &d);
    if (!parsed || !std::isfinite(d) || d != std::floor(d)) {
      Issue(name, "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer");
      return std::nullopt;
    }
  }
  if (!parsed) {
    Issue(name, "int_type", "Input should be a valid integer");
    return std::nullopt;
  }
  if (!std::isfinite(d)) {
    Issue(name, "finite_number", "Input should be a finite number");
    return std::nullopt;
  }
  if (d != std::floor(d)) {
    Issue(name, "int_from_float",
          "Input should be a valid integer, got a number with a fractional part");
    return std::nullopt;
  }
  if (std::fabs(d) > 9.2e18) {
    Issue(name, "int_parsing_size",
          "Unable to parse input string as an integer, exceeded maximum size");
    return std::nullopt;
  }
  return static_cast<int64_t>(d);
}

std::optional<bool> FieldReader::Bool(const std::string& name, bool required) {
  const nlohmann::json* v = Get(name, required);
  if (v == nullptr) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number_integer()) {
    int64_t i = v->get<int64_t>();
    if (i == 0 || i == 1) return i == 1;
  } else if (v->is_number_float()) {
    double d = v->get<double>();
    if (d == 0.0 || d == 1.0) return d == 1.0;
  } else if (v->is_string()) {
    std::string s;
    for (char c : v->get<std::string>())
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view t : {"1", "on", "t", "true", "y", "yes"})
      if (s == t) return true;
    for (std::string_view f : {"0", "off", "f", "false", "n", "no"})
      if (s == f) return false;
    Issue(name, "bool_parsing", "Input should be a valid boolean, unable to interpret input");
    return std::nullopt;
  }
  Issue(name, "bool_type", "Input should be a valid boolean");
  return std::nullopt;
}

std::optional<std::vector<std::string>> FieldReader::StringList(const std::string& name,
                                                                bool required) {
  const nlohmann::json* v = Get(name, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    Issue(name, "list_type", "Input should be a valid list");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool good = true;
  for (size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_string()) {
      FieldIssue issue;
      issue.type = "string_type";
      issue.loc = nlohmann::ordered_json::array({"body", name, i});
      issue.msg = "Input should be a valid string";
      issue.input = ToOrdered(item);
      issues_.push_back(std::move(issue));
      good = false;
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  if (!good) return std::nullopt;
  return out;
}

void FieldReader::GreaterEqual(const std::string& name, double value, double bound) {
  if (!(value >= bound)) {
    const bool integral = bound == std::floor(bound) && std::fabs(bound) < 1e15;
    const std::string bound_text =
        integral ? std::to_string(static_cast<int64_t>(bound)) : PythonFloatText(bound);
    nlohmann::ordered_json ge = integral ? nlohmann::ordered_json(static_cast<int64_t>(bound))
                                         : nlohmann::ordered_json(bound);
    Issue(name, "greater_than_equal", "Input should be greater than or equal to " + bound_text,
          nlohmann::ordered_json{{"ge", ge}});
    issues_.back().input = std::isfinite(value) ? nlohmann::ordered_json(value)
                                                : nlohmann::ordered_json(PythonFloatText(value));
  }
}

void FieldReader::Finite(const std::string& name, double value) {
  if (!std::isfinite(value)) {
    Issue(name, "finite_number", "Input should be a finite number");
    issues_.back().input = PythonFloatText(value);
  }
}

void FieldReader::MinItems(const std::string& name, size_t actual, size_t min_items) {
  if (actual < min_items) {
    Issue(name, "too_short",
          "List should have at least " + std::to_string(min_items) + " item" +
              (min_items == 1 ? "" : "s") + " after validation, not " + std::to_string(actual),
          nlohmann::ordered_json{
              {"field_type", "List"}, {"min_length", min_items}, {"actual_length", actual}});
  }
}

void FieldReader::ValueError(const std::string& name, const std::string& message) {
  Issue(name, "value_error", "Value error, " + message, nlohmann::ordered_json{{"error", message}});
}

FieldIssue JsonInvalidIssue(const std::string& parser_message, size_t byte_offset) {
  FieldIssue issue;
  issue.type = "json_invalid";
  issue.loc = nlohmann::ordered_json::array({"body", byte_offset});
  issue.msg = "JSON decode error";
  issue.input = nlohmann::ordered_json::object();
  issue.ctx = nlohmann::ordered_json{{"error", parser_message}};
  return issue;
}

FieldIssue ModelTypeIssue(const nlohmann::json& body) {
  FieldIssue issue;
  issue.type = "model_attributes_type";
  issue.loc = nlohmann::ordered_json::array({"body"});
  issue.msg = "Input should be a valid dictionary or object to extract fields from";
  issue.input = ToOrdered(body);
  return issue;
}

}  // namespace photomap::config
