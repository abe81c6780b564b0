#include "services/extractor/table_rows.h"

#include <algorithm>

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
  static const RE2 year(R"(((?:19|20)\d{2})年?(?:度)?)");
  std::vector<int> years;
  bool any = false;
  for (const TableCell& cell : row) {
    std::string digits;
    int y = 0;
    if (RE2::FullMatch(Piece(cell.text), year, &digits) &&
        absl::SimpleAtoi(digits, &y)) {
      any = true;
    }
    years.push_back(y);
  }
  if (!any) return std::nullopt;
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
  if (label.label.empty()) return out;
  // The report's year, or (unknown) the latest the header names.
  int current = context.report_year;
  if (current == 0) current = *std::max_element(years.begin(), years.end());
  for (size_t i = 1; i < row.size(); ++i) {
    if (years[i] == 0) continue;
    const std::optional<CellFigure> figure = ReadCellFigure(row[i]);
    if (!figure) continue;
    const std::string unit = !figure->unit.empty() ? figure->unit : label.unit;
    v1::Metric& m = *metrics->Add();
    m.set_indicator(label.label);
    m.set_value(figure->value);
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
    m.set_canonical_id(CanonicalId(label.label, "", unit));
    out.push_back({figure->span.start, figure->span.end});
  }
  return out;
}

}  // namespace reportpipe::extractor
