// One JSON object on one line, built field by field: the shape of the CLI's
// jsonl output and of the servers' structured log lines.
//
//   JsonLine line;
//   line.Add("indicator", "败诉率").Add("value", 21.6);
//   std::cout << line.str() << "\n";   // {"indicator":"败诉率","value":21.6}
#ifndef REPORTPIPE_LIB_JSON_JSON_LINE_H_
#define REPORTPIPE_LIB_JSON_JSON_LINE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace reportpipe::json {

// Appends `s` as a JSON string literal, quotes included. UTF-8 passes
// through; control characters are escaped.
void AppendQuoted(std::string_view s, std::string* out);

// A number as JSON writes it: integers without a fraction, others with the
// fewest digits that read back the same; NaN and infinities as null.
std::string FormatNumber(double value);

class JsonLine {
 public:
  JsonLine& Add(std::string_view key, std::string_view value);
  JsonLine& Add(std::string_view key, const char* value) {
    return Add(key, std::string_view(value));
  }
  JsonLine& Add(std::string_view key, const std::string& value) {
    return Add(key, std::string_view(value));
  }
  JsonLine& Add(std::string_view key, int64_t value);
  JsonLine& Add(std::string_view key, int value) {
    return Add(key, static_cast<int64_t>(value));
  }
  JsonLine& Add(std::string_view key, uint32_t value) {
    return Add(key, static_cast<int64_t>(value));
  }
  JsonLine& Add(std::string_view key, double value);
  JsonLine& Add(std::string_view key, bool value);
  // Adds a value that is JSON already (an array or a nested object).
  JsonLine& AddRaw(std::string_view key, std::string_view json);
  JsonLine& AddNull(std::string_view key);

  // The object, closed.
  std::string str() const { return body_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string body_ = "{";
};

}  // namespace reportpipe::json

#endif  // REPORTPIPE_LIB_JSON_JSON_LINE_H_
