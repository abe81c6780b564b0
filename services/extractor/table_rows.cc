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

// A number written with its thousands grouped (7,636) or not, into *value.
bool ParseGrouped(std::string_view number, double* value) {
  std::string digits;
  for (const char c : number) {
    if (c != ',') digits.push_back(c);
  }
  return absl::SimpleAtod(digits, value);
}

}  // namespace

std::optional<std::vector<TableCell>> TableRow(std::string_view folded,
                                               size_t begin, size_t end) {
  // Asked of every sentence: nearly all open with no bar.
  size_t open = begin;
  while (open < end && folded[open] == ' ') ++open;
  const std::string_view rest = folded.substr(open, end - open);
  const size_t bar = rest.find('|');
  if (bar == std::string_view::npos) return std::nullopt;
  size_t first = 0;
  const std::string_view line = Trim(folded.substr(begin, end - begin), &first);
  // With the outer bars, or (指标名称 | 数值 | 单位) with two inside.
  const bool outer =
      line.size() >= 3 && line.front() == '|' && line.back() == '|';
  if (!outer &&
      (line.front() == '|' || line.back() == '|' ||
       line.find('|', line.find('|') + 1) == std::string_view::npos)) {
    return std::nullopt;
  }
  std::vector<TableCell> cells;
  size_t cell_start = outer ? 1 : 0;
  const size_t stop = outer ? line.size() : line.size() + 1;
  for (size_t p = cell_start; p < stop; ++p) {
    if (p < line.size() && line[p] != '|') continue;
    size_t offset = 0;
    const std::string_view text =
        Trim(line.substr(cell_start, p - cell_start), &offset);
    const size_t at = begin + first + cell_start + offset;
    cells.push_back({{at, at + text.size()}, text});
    cell_start = p + 1;
  }
  if (cells.size() < 2 || (!outer && cells.front().text.empty())) {
    return std::nullopt;
  }
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

std::optional<std::vector<TableColumn>> HeaderColumns(
    const std::vector<TableCell>& row) {
  using Holds = TableColumn::Holds;
  if (std::optional<std::vector<int>> years = YearColumns(row)) {
    std::vector<TableColumn> columns;
    for (const int y : *years) {
      columns.push_back({y == 0 ? Holds::kNothing : Holds::kYear, y});
    }
    return columns;
  }
  // The words a header names each column with; the first cell (指标名称,
  // 项目) names the indicators.
  static constexpr std::pair<std::string_view, Holds> kWords[] = {
      {"数值", Holds::kValue},        {"数量", Holds::kValue},
      {"数据", Holds::kValue},        {"完成值", Holds::kValue},
      {"完成数", Holds::kValue},      {"完成情况", Holds::kValue},
      {"实际完成", Holds::kValue},    {"本年", Holds::kValue},
      {"本年度", Holds::kValue},      {"当年", Holds::kValue},
      {"本期", Holds::kValue},        {"上年", Holds::kPrior},
      {"上年度", Holds::kPrior},      {"去年", Holds::kPrior},
      {"上年同期", Holds::kPrior},    {"目标", Holds::kTarget},
      {"目标值", Holds::kTarget},     {"计划", Holds::kTarget},
      {"单位", Holds::kUnit},         {"计量单位", Holds::kUnit},
      {"同比", Holds::kChange},       {"同比增减", Holds::kChange},
      {"同比增长", Holds::kChange},   {"较上年", Holds::kChange},
      {"比上年", Holds::kChange},     {"增减", Holds::kChange},
      {"增减幅度", Holds::kChange},   {"同比变化", Holds::kChange},
      {"较上年增减", Holds::kChange}, {"备注", Holds::kNothing},
      {"说明", Holds::kNothing}};
  static const RE2 named(R"(((?:19|20)\d{2})年(?:度)?)");
  if (row.size() < 2) return std::nullopt;
  std::vector<TableColumn> columns = {{}};
  bool figures = false;
  for (size_t i = 1; i < row.size(); ++i) {
    TableColumn column;
    std::string digits;
    if (RE2::FullMatch(Piece(row[i].text), named, &digits) &&
        absl::SimpleAtoi(digits, &column.year)) {
      column.holds = Holds::kYear;
    }
    bool named = column.holds == Holds::kYear;
    for (const auto& [word, holds] : kWords) {
      if (row[i].text == word) {
        column.holds = holds;
        named = true;
      }
    }
    if (!named) return std::nullopt;
    figures = figures ||
              (column.holds != Holds::kUnit && column.holds != Holds::kChange);
    columns.push_back(column);
  }
  if (!figures) return std::nullopt;
  return columns;
}

std::optional<CellChange> ReadCellChange(const TableCell& cell) {
  static const RE2 change(
      R"(([+\-]|−|增长|增加|上升|提高|提升|下降|减少|降低)?[ ]*)"
      R"(((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)[ ]*(%|个百分点|百分点|[^\x00-\x7F\d]{1,3})?)");
  std::string sign, number, unit;
  if (!RE2::FullMatch(Piece(cell.text), change, &sign, &number, &unit)) {
    return std::nullopt;
  }
  CellChange out;
  if (!ParseGrouped(number, &out.value)) return std::nullopt;
  out.up = !(sign == "-" || sign == "−" || sign == "下降" || sign == "减少" ||
             sign == "降低");
  out.unit = unit == "个百分点" || unit == "百分点" ? "pp" : unit;
  out.span = cell.span;
  return out;
}

std::optional<CellFigure> ReadCellFigure(const TableCell& cell) {
  // The figure opens the cell and a measure of a few characters may follow.
  static const RE2 figure(
      R"(((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)[ ]*(%|[^\x00-\x7F\d]{1,3})?)");
  std::string number, unit;
  if (!RE2::FullMatch(Piece(cell.text), figure, &number, &unit)) {
    return std::nullopt;
  }
  CellFigure out;
  if (!ParseGrouped(number, &out.value)) return std::nullopt;
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
    const std::vector<TableCell>& row, const std::vector<TableColumn>& columns,
    const SentenceContext& context,
    google::protobuf::RepeatedPtrField<v1::Metric>* metrics) const {
  using Holds = TableColumn::Holds;
  std::vector<FoundSpan> out;
  if (row.size() != columns.size() || row.empty()) return out;
  const RowLabel label = ReadRowLabel(row[0].text);
  // A bracket that holds no measure the pack knows (重大行政决策（含听证）)
  // is part of the name.
  const bool measure = label.unit == "%" || grammar_->Unit(label.unit);
  const std::string indicator =
      measure ? label.label : std::string(row[0].text);
  if (indicator.empty()) return out;
  // The row's measure: its 单位 cell's, else the label's brackets'.
  std::string row_unit = measure ? label.unit : "";
  for (size_t i = 1; i < row.size(); ++i) {
    const std::string unit(row[i].text);
    if (columns[i].holds == Holds::kUnit &&
        (unit == "%" || grammar_->Unit(unit))) {
      row_unit = unit;
    }
  }
  // The report's year, or (unknown) the latest the header names.
  int current = context.report_year;
  for (const TableColumn& c : columns) {
    if (context.report_year == 0 && c.holds == Holds::kYear) {
      current = std::max(current, c.year);
    }
  }
  // A measure as written, to the pack's canonical unit (万元 → 元 × 10,000).
  auto canonical = [&](const std::string& written, double* factor) {
    *factor = 1;
    if (const auto known = grammar_->Unit(written)) {
      *factor = known->second;
      return known->first;
    }
    return written;
  };
  auto add = [&](double value, const std::string& unit, v1::MetricKind kind,
                 int year, const text::ByteSpan& span) -> v1::Metric& {
    v1::Metric& m = *metrics->Add();
    m.set_indicator(indicator);
    m.set_value(RoundFigure(value));
    m.set_unit(unit);
    m.set_qualifier(v1::QUALIFIER_EXACT);
    m.set_kind(kind);
    if (year != 0) {
      m.mutable_period()->set_kind(v1::PERIOD_KIND_YEAR);
      m.mutable_period()->set_year(year);
      if (year != context.report_year) {
        m.mutable_period()->set_text(absl::StrCat(year, "年"));
      }
    }
    m.set_pattern("table.cell");
    if (std::string id = CanonicalId(indicator, "", unit); !id.empty()) {
      m.set_canonical_id(std::move(id));
    }
    out.push_back({span.start, span.end});
    return m;
  };
  for (size_t i = 1; i < row.size(); ++i) {
    const Holds holds = columns[i].holds;
    if (holds == Holds::kNothing || holds == Holds::kUnit) continue;
    if (holds == Holds::kChange) {
      const std::optional<CellChange> change = ReadCellChange(row[i]);
      if (!change) continue;
      double factor = 1;
      // A change with no measure of its own is in the row's; a rate's
      // (败诉率(%) | 3.2 | -1.2) in percentage points.
      const std::string& row_change_unit = row_unit == "%" ? "pp" : row_unit;
      const std::string unit = canonical(
          change->unit.empty() ? row_change_unit : change->unit, &factor);
      v1::Metric& m = add(change->value * factor, unit, v1::METRIC_KIND_CHANGE,
                          current, change->span);
      m.set_direction(change->up ? v1::DIRECTION_UP : v1::DIRECTION_DOWN);
      continue;
    }
    const std::optional<CellFigure> figure = ReadCellFigure(row[i]);
    if (!figure) continue;
    double factor = 1;
    const std::string unit =
        canonical(!figure->unit.empty() ? figure->unit : row_unit, &factor);
    v1::MetricKind kind = v1::METRIC_KIND_VALUE;
    int year = current;
    if (holds == Holds::kYear) {
      year = columns[i].year;
      kind = year == current  ? v1::METRIC_KIND_VALUE
             : year < current ? v1::METRIC_KIND_PRIOR
                              : v1::METRIC_KIND_TARGET;
    } else if (holds == Holds::kPrior) {
      kind = v1::METRIC_KIND_PRIOR;
      year = current == 0 ? 0 : current - 1;
    } else if (holds == Holds::kTarget) {
      kind = v1::METRIC_KIND_TARGET;
      year = 0;
    }
    add(figure->value * factor, unit, kind, year, figure->span);
  }
  return out;
}

}  // namespace reportpipe::extractor
