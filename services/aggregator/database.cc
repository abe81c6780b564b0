#include "services/aggregator/database.h"

#include <cstdlib>
#include <string>
#include <string_view>

#include "services/aggregator/postgres_database.h"
#include "services/aggregator/sqlite_database.h"

namespace reportpipe::aggregator {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool SqlRow::IsNull(int column) const {
  return std::holds_alternative<std::monostate>(values_[column]);
}

int64_t SqlRow::Int(int column) const {
  const SqlValue& value = values_[column];
  if (const auto* i = std::get_if<int64_t>(&value)) return *i;
  if (const auto* d = std::get_if<double>(&value)) {
    return static_cast<int64_t>(*d);
  }
  if (const auto* s = std::get_if<std::string>(&value)) {
    return std::strtoll(s->c_str(), nullptr, 10);
  }
  return 0;
}

double SqlRow::Double(int column) const {
  const SqlValue& value = values_[column];
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* i = std::get_if<int64_t>(&value)) {
    return static_cast<double>(*i);
  }
  if (const auto* s = std::get_if<std::string>(&value)) {
    // PostgreSQL prints float8 shortest-exact (extra_float_digits > 0), and
    // strtod reads that back to the same double, "Infinity" included.
    return std::strtod(s->c_str(), nullptr);
  }
  return 0;
}

std::string SqlRow::Text(int column) const {
  const SqlValue& value = values_[column];
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* v = std::get_if<std::string_view>(&value)) {
    return std::string(*v);
  }
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  return "";
}

bool IsPostgresUrl(std::string_view url) {
  return StartsWith(url, "postgresql://") || StartsWith(url, "postgres://") ||
         StartsWith(url, "host=");
}

absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(const std::string& url) {
  if (IsPostgresUrl(url)) return PostgresDatabase::Connect(url);
  std::string path = url;
  if (StartsWith(path, "sqlite://")) path = path.substr(9);
  if (path.empty()) {
    return absl::InvalidArgumentError(
        "no store given: pass a SQLite file path or a postgresql:// URL");
  }
  return SqliteDatabase::Open(path);
}

}  // namespace reportpipe::aggregator
