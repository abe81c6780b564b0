// Structured logs: one JSON object a line on stderr, so that a log collector
// can parse every line without knowing the service.
//
//   LogEvent("server_started", {{"service", "segmenter"}, {"port", 50051}});
//   // {"time":"2024-05-01T08:00:00.123Z","level":"info",
//   //  "event":"server_started","service":"segmenter","port":50051}
//
// Each line goes out in one write(2), so lines from different threads never
// interleave.
#ifndef REPORTPIPE_LIB_SERVER_LOG_H_
#define REPORTPIPE_LIB_SERVER_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "absl/time/time.h"

namespace reportpipe::server {

enum class Severity { kInfo, kWarning, kError };

// One key and its value. Holds views: build it in the LogEvent call, where
// the strings it points to outlive it.
struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v)
      : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, const std::string& v)
      : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, int64_t v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(int64_t{v}) {}

  std::string_view key;
  std::variant<std::string_view, int64_t> value;
};

// The line LogEvent writes, without the newline. Split out for tests.
std::string FormatLogLine(absl::Time time, Severity severity,
                          std::string_view event,
                          std::initializer_list<LogField> fields);

// Writes one line to stderr.
void LogEvent(Severity severity, std::string_view event,
              std::initializer_list<LogField> fields = {});
inline void LogEvent(std::string_view event,
                     std::initializer_list<LogField> fields = {}) {
  LogEvent(Severity::kInfo, event, fields);
}

}  // namespace reportpipe::server

#endif  // REPORTPIPE_LIB_SERVER_LOG_H_
