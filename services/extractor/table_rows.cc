#include "services/extractor/table_rows.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "re2/re2.h"
#include "services/extractor/sentence_reader.h"

namespace reportpipe::extractor {
namespace {

re2::StringPiece Piece(std::string_view s) { return {s.data(), s.size()}; }

std::string_view Trim(std::string_view s, size_t* offset) {
  while (!s.empty() && s.front() == ' ') {
    s.remove_prefix(1);
    ++*offset;
  }
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::vector<TableCell>> TableRow(std::string_view folded,
                                               size_t begin, size_t end) {
  // Asked of every sentence: nearly all open with no bar.
  size_t open = begin;
  while (open < end && folded[open] == ' ') ++open;
  if (open >= end || folded[open] != '|') return std::nullopt;
  size_t first = 0;
  const std::string_view line = Trim(folded.substr(begin, end - begin), &first);
  if (line.size() < 3 || line.front() != '|' || line.back() != '|') {
    return std::nullopt;
  }
  std::vector<TableCell> cells;
  size_t cell_start = 1;
  for (size_t p = 1; p < line.size(); ++p) {
    if (line[p] != '|') continue;
    size_t offset = 0;
    const std::string_view text =
        Trim(line.substr(cell_start, p - cell_start), &offset);
    const size_t at = begin + first + cell_start + offset;
    cells.push_back({{at, at + text.size()}, text});
    cell_start = p + 1;
  }
  if (cells.size() < 2) return std::nullopt;
  return cells;
}

std::optional<std::vector<int>> YearColumns(const std::vector<TableCell>& row) {
  // Every cell after the first names a year (2022年, 2023年度), or every one
  // is a bare year, each later than the one before (2022 2023): a row of
  // figures may hold a number like a year (| 许可事项 | 1862 | 2046 |), not
  // a run of years.
  static const RE2 named(R"(((?:19|20)\d{2})年(?:度)?)");
  static const RE2 bare(R"(((?:19|20)\d{2}))");
  std::vector<int> years = {0};
  bool all_named = true, all_bare = true;
  for (size_t i = 1; i < row.size(); ++i) {
    std::string digits;
    int y = 0;
    const bool is_named = RE2::FullMatch(Piece(row[i].text), named, &digits);
    const bool is_bare =
        !is_named && RE2::FullMatch(Piece(row[i].text), bare, &digits);
    all_named = all_named && is_named;
    all_bare =
        all_bare && is_bare && absl::SimpleAtoi(digits, &y) && y > years.back();
    if (!absl::SimpleAtoi(digits, &y)) y = 0;
    years.push_back(y);
  }
  if (row.size() < 2 || !(all_named || all_bare)) return std::nullopt;
  return years;
}

std::optional<CellFigure> ReadCellFigure(const TableCell& cell) {
  // The figure opens the cell and a measure of a few characters may follow.
  static const RE2 figure(
      R"(((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)[ ]*(%|[^\x00-\x7F\d]{1,3})?)");
  std::string number, unit;
  if (!RE2::FullMatch(Piece(cell.text), figure, &number, &unit)) {
    return std::nullopt;
  }
  std::string digits;
  for (const char c : number) {
    if (c != ',') digits.push_back(c);
  }
  CellFigure out;
  if (!absl::SimpleAtod(digits, &out.value)) return std::nullopt;
  out.unit = unit;
  out.span = cell.span;
  return out;
}

RowLabel ReadRowLabel(std::string_view first_cell) {
  // 行政复议申请(件), 败诉率(%): the brackets are folded to ( ).
  static const RE2 bracketed(R"((.+?)[ ]*\(([^()]{1,6})\))");
  std::string label, unit;
  if (RE2::FullMatch(Piece(first_cell), bracketed, &label, &unit)) {
    if (unit == "个") unit.clear();
    return {label, unit};
  }
  return {std::string(first_cell), ""};
}

std::vector<FoundSpan> SentenceReader::ReadTableRow(
    const std::vector<TableCell>& row, const std::vector<int>& years,
    const SentenceContext& context,
    google::protobuf::RepeatedPtrField<v1::Metric>* metrics) const {
  std::vector<FoundSpan> out;
  if (row.size() != years.size() || row.empty()) return out;
  const RowLabel label = ReadRowLabel(row[0].text);
  // A bracket that holds no measure the pack knows (重大行政决策（含听证）)
  // is part of the name.
  const bool measure = label.unit == "%" || grammar_->Unit(label.unit);
  const std::string indicator =
      measure ? label.label : std::string(row[0].text);
  const std::string label_unit = measure ? label.unit : "";
  if (indicator.empty()) return out;
  // The report's year, or (unknown) the latest the header names.
  int current = context.report_year;
  if (current == 0) current = *std::max_element(years.begin(), years.end());
  for (size_t i = 1; i < row.size(); ++i) {
    if (years[i] == 0) continue;
    const std::optional<CellFigure> figure = ReadCellFigure(row[i]);
    if (!figure) continue;
    // The measure written in the cell, else the one in the label's
    // brackets, to the pack's canonical unit (万元 → 元 × 10,000).
    const std::string& written =
        !figure->unit.empty() ? figure->unit : label_unit;
    std::string unit = written;
    double factor = 1;
    if (const auto known = grammar_->Unit(written)) {
      unit = known->first;
      factor = known->second;
    }
    v1::Metric& m = *metrics->Add();
    m.set_indicator(indicator);
    m.set_value(std::round(figure->value * factor * 1e6) / 1e6);
    m.set_unit(unit);
    m.set_qualifier(v1::QUALIFIER_EXACT);
    m.set_kind(years[i] == current  ? v1::METRIC_KIND_VALUE
               : years[i] < current ? v1::METRIC_KIND_PRIOR
                                    : v1::METRIC_KIND_TARGET);
    m.mutable_period()->set_kind(v1::PERIOD_KIND_YEAR);
    m.mutable_period()->set_year(years[i]);
    if (years[i] != context.report_year) {
      m.mutable_period()->set_text(absl::StrCat(years[i], "年"));
    }
    m.set_pattern("table.cell");
    if (std::string id = CanonicalId(indicator, "", unit); !id.empty()) {
      m.set_canonical_id(std::move(id));
    }
    out.push_back({figure->span.start, figure->span.end});
  }
  return out;
}

}  // namespace reportpipe::extractor
