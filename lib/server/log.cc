#include "lib/server/log.h"

#include <unistd.h>

#include <cerrno>

#include "absl/time/clock.h"
#include "lib/json/json_line.h"

namespace reportpipe::server {
namespace {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
    case Severity::kInfo:
      break;
  }
  return "info";
}

}  // namespace

std::string FormatLogLine(absl::Time time, Severity severity,
                          std::string_view event,
                          std::initializer_list<LogField> fields) {
  json::JsonLine line;
  // RFC 3339 in UTC with milliseconds: sorts as text and parses everywhere.
  line.Add("time",
           absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone()))
      .Add("level", SeverityName(severity))
      .Add("event", event);
  for (const LogField& field : fields) {
    if (const auto* text = std::get_if<std::string_view>(&field.value)) {
      line.Add(field.key, *text);
    } else {
      line.Add(field.key, std::get<int64_t>(field.value));
    }
  }
  return line.str();
}

void LogEvent(Severity severity, std::string_view event,
              std::initializer_list<LogField> fields) {
  std::string line = FormatLogLine(absl::Now(), severity, event, fields);
  line += '\n';
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // Nowhere else to report a broken stderr.
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace reportpipe::server
