#include "services/aggregator/store_rows.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace reportpipe::aggregator {
namespace {

SqlValue OrNull(bool present, int64_t value) {
  if (!present) return std::monostate();
  return value;
}

SqlValue OrNull(bool present, const std::string& value) {
  if (!present) return std::monostate();
  return std::string_view(value);
}

}  // namespace

const char kMetricInsertColumns[] =
    "indicator, canonical_id, value, value_bits, unit, qualifier, kind, "
    "direction, period_kind, period_year, period_end_year, period_text, "
    "section, sentence_ordinal, topic, pattern, span_start, span_end, "
    "sentence_start, sentence_end";

const char kMetricSelectColumns[] =
    "m.indicator, m.canonical_id, m.value, m.value_bits, m.unit, "
    "m.qualifier, m.kind, m.direction, m.period_kind, m.period_year, "
    "m.period_end_year, m.period_text, m.section, s.sentence, m.topic, "
    "m.pattern, m.span_start, m.span_end, m.sentence_start, m.sentence_end";

void AppendMetricValues(const v1::Metric& metric, int64_t sentence_ordinal,
                        std::vector<SqlValue>* row) {
  // SQLite would store a NaN as NULL; PostgreSQL is told the same, so that
  // the value column means the same on both.
  const double exact = metric.value();
  int64_t bits;
  std::memcpy(&bits, &exact, sizeof(bits));
  const bool period = metric.has_period();
  const bool span = metric.has_span();
  const bool sentence_span = metric.has_sentence_span();
  row->insert(
      row->end(),
      {std::string_view(metric.indicator()),
       std::string_view(metric.canonical_id()),
       std::isnan(exact) ? SqlValue() : SqlValue(exact), bits,
       std::string_view(metric.unit()), int64_t{metric.qualifier()},
       int64_t{metric.kind()}, int64_t{metric.direction()},
       OrNull(period, metric.period().kind()),
       OrNull(period, metric.period().year()),
       OrNull(period, metric.period().end_year()),
       OrNull(period, metric.period().text()),
       std::string_view(metric.section()), sentence_ordinal,
       std::string_view(metric.topic()), std::string_view(metric.pattern()),
       OrNull(span, metric.span().start()), OrNull(span, metric.span().end()),
       OrNull(sentence_span, metric.sentence_span().start()),
       OrNull(sentence_span, metric.sentence_span().end())});
}

v1::Metric ReadMetric(const SqlRow& row, int first) {
  int c = first;
  v1::Metric metric;
  metric.set_indicator(row.Text(c++));
  metric.set_canonical_id(row.Text(c++));
  // The bits, not the value column: see migrations/001_initial.sql.
  const int64_t bits = row.Int(c + 1);
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  metric.set_value(value);
  c += 2;
  metric.set_unit(row.Text(c++));
  metric.set_qualifier(static_cast<v1::Qualifier>(row.Int(c++)));
  metric.set_kind(static_cast<v1::MetricKind>(row.Int(c++)));
  metric.set_direction(static_cast<v1::Direction>(row.Int(c++)));
  if (!row.IsNull(c)) {
    v1::Period* period = metric.mutable_period();
    period->set_kind(static_cast<v1::PeriodKind>(row.Int(c)));
    period->set_year(static_cast<int32_t>(row.Int(c + 1)));
    period->set_end_year(static_cast<int32_t>(row.Int(c + 2)));
    period->set_text(row.Text(c + 3));
  }
  c += 4;
  metric.set_section(row.Text(c++));
  metric.set_sentence(row.Text(c++));
  metric.set_topic(row.Text(c++));
  metric.set_pattern(row.Text(c++));
  if (!row.IsNull(c)) {
    metric.mutable_span()->set_start(static_cast<uint32_t>(row.Int(c)));
    metric.mutable_span()->set_end(static_cast<uint32_t>(row.Int(c + 1)));
  }
  c += 2;
  if (!row.IsNull(c)) {
    metric.mutable_sentence_span()->set_start(
        static_cast<uint32_t>(row.Int(c)));
    metric.mutable_sentence_span()->set_end(
        static_cast<uint32_t>(row.Int(c + 1)));
  }
  return metric;
}

MultiRowInsert::MultiRowInsert(std::string_view head, int width)
    : width_(width), sql_(kRowsPerStatement + 1) {
  std::string sql(head);
  sql += " VALUES ";
  for (int rows = 1; rows <= kRowsPerStatement; ++rows) {
    absl::StrAppend(&sql, rows > 1 ? ", (" : "(");
    for (int column = 1; column <= width; ++column) {
      absl::StrAppend(&sql, column > 1 ? ", $" : "$",
                      (rows - 1) * width + column);
    }
    absl::StrAppend(&sql, ")");
    sql_[rows] = sql;
  }
}

RowWriter::RowWriter(Database& db, const MultiRowInsert& insert)
    : db_(db), insert_(insert) {
  values_.reserve(MultiRowInsert::kRowsPerStatement * insert.width());
}

absl::Status RowWriter::EndRow() {
  if (values_.size() != static_cast<size_t>((rows_ + 1) * insert_.width())) {
    return absl::InternalError(absl::StrCat(
        "a row of ", insert_.width(), " values was given ",
        values_.size() - static_cast<size_t>(rows_ * insert_.width())));
  }
  if (++rows_ < MultiRowInsert::kRowsPerStatement) return absl::OkStatus();
  return Flush();
}

absl::Status RowWriter::Flush() {
  if (rows_ == 0) return absl::OkStatus();
  absl::Status status = db_.Execute(insert_.sql(rows_), values_);
  values_.clear();
  rows_ = 0;
  return status;
}

}  // namespace reportpipe::aggregator
