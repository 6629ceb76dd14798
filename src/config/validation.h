// Field-level validation in the shape PhotoMapAI's clients expect from FastAPI/pydantic v2:
// each issue is {"type","loc","msg","input"[, "ctx"]}, reported with HTTP 422.
//
// FieldReader coerces JSON values the way pydantic's lax mode does (numeric strings for numbers,
// "yes"/"off"/1/0 for booleans) and collects every issue instead of stopping at the first.
// Not thread-safe; use one reader per request.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace photomap::config {

struct FieldIssue {
  std::string type;              // pydantic error type, e.g. "missing", "greater_than_equal"
  nlohmann::ordered_json loc;    // e.g. ["body","eps"]
  std::string msg;               // e.g. "Field required"
  nlohmann::ordered_json input;  // the offending value (or the whole body for "missing")
  nlohmann::ordered_json ctx;    // null when the error type has no context

  nlohmann::ordered_json ToJson() const;
};

// A value that passed validation, or the issues that stopped it.
template <typename T>
struct Validated {
  std::optional<T> value;
  std::vector<FieldIssue> issues;
  bool ok() const { return value.has_value() && issues.empty(); }
};

// Reads typed fields from a JSON object body, recording issues with loc ["body", name].
class FieldReader {
 public:
  explicit FieldReader(const nlohmann::json& body);

  bool has(const std::string& name) const;
  bool is_null(const std::string& name) const;
  // Each getter returns nullopt when the field is absent or null (recording "missing" if
  // `required`), or when it fails to coerce (recording the issue).
  std::optional<std::string> String(const std::string& name, bool required = false);
  std::optional<double> Float(const std::string& name, bool required = false);
  std::optional<int64_t> Int(const std::string& name, bool required = false);
  std::optional<bool> Bool(const std::string& name, bool required = false);
  std::optional<std::vector<std::string>> StringList(const std::string& name,
                                                     bool required = false);

  // Records a constraint failure for a field that was read successfully.
  void GreaterEqual(const std::string& name, double value, double bound);
  void Finite(const std::string& name, double value);
  void MinItems(const std::string& name, size_t actual, size_t min_items);
  void ValueError(const std::string& name, const std::string& message);
  void Add(FieldIssue issue) { issues_.push_back(std::move(issue)); }

  bool ok() const { return issues_.empty(); }
  std::vector<FieldIssue>& issues() { return issues_; }
  const nlohmann::json& body() const { return body_; }

 private:
  void Issue(const std::string& name, std::string type, std::string msg,
             nlohmann::ordered_json ctx = nullptr);
  const nlohmann::json* Get(const std::string& name, bool required);

  const nlohmann::json& body_;
  std::vector<FieldIssue> issues_;
};

// The 422 body for a request whose JSON could not be parsed at all.
FieldIssue JsonInvalidIssue(const std::string& parser_message, size_t byte_offset);
// The 422 issue for a body that parsed but is not a JSON object.
FieldIssue ModelTypeIssue(const nlohmann::json& body);

// Formats a double like Python's repr/str would in a message ("0.01", "1e-05", "inf").
std::string PythonFloatText(double value);

}  // namespace photomap::config
