// Reads the rows of a table written as text, one row a line between bars
// (| 指标 | 2022年 | 2023年 |), as a PDF-to-markdown converter or a web page
// leaves a report's table, or with bars between the cells only (指标名称 |
// 数值 | 单位 | 同比), as a report's appendix may be typed: a header row
// names what each column holds, and each row below gives its indicator
// (with its measure in brackets: 败诉率（%）) and its figures. The figure of
// the report's year (or under 数值) is a VALUE, an earlier year's (上年) a
// PRIOR, a later year's (目标) a TARGET, and one under 同比 a CHANGE.
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_TABLE_ROWS_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_TABLE_ROWS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/text/normalized_text.h"

namespace reportpipe::extractor {

// One cell of a row: where it stands in the folded text, and its text
// without the spaces about it.
struct TableCell {
  text::ByteSpan span;
  std::string_view text;
};

// The cells of a row, or nothing when [begin, end) of folded text is no row
// (it must open and close with | and hold at least two cells, or hold two
// bars or more between three cells or more).
std::optional<std::vector<TableCell>> TableRow(std::string_view folded,
                                               size_t begin, size_t end);

// The year each column of a header row names (0 for a column that names
// none: the first, 指标), or nothing when no column names a year.
std::optional<std::vector<int>> YearColumns(const std::vector<TableCell>& row);

// What a column of a table holds, as its header row names it.
struct TableColumn {
  enum class Holds {
    kNothing,  // the indicator's column, or one the header names no figure
    kYear,     // the figures of `year` (2022年)
    kValue,    // the report's year's (数值, 完成值, 本年)
    kPrior,    // the year before's (上年, 去年)
    kTarget,   // a goal's (目标, 计划)
    kUnit,     // each row's measure (单位)
    kChange,   // the change from the year before (同比, 增减, 较上年)
  };
  Holds holds = Holds::kNothing;
  int year = 0;  // for kYear
};

// The columns a header row names: every cell after the first names a year
// (YearColumns), or names a year or one of the words of a column above, at
// least one of them a figure's. Nothing when the row is no such header.
std::optional<std::vector<TableColumn>> HeaderColumns(
    const std::vector<TableCell>& row);

// A figure in a cell: 548, 7,636, 9.2, 9.2%, 612件. Its unit is the one
// written in the cell, or empty.
struct CellFigure {
  double value = 0;
  std::string unit;
  text::ByteSpan span;  // the figure and its unit
};
std::optional<CellFigure> ReadCellFigure(const TableCell& cell);

// A change in a cell under 同比: +17.4%, -1.2个百分点, 下降6.5%, 8.3%
// (a rise). Its unit is as written (个百分点 → pp), or empty; nothing when
// the cell holds no change (—).
struct CellChange {
  double value = 0;
  bool up = true;
  std::string unit;
  text::ByteSpan span;
};
std::optional<CellChange> ReadCellChange(const TableCell& cell);

// The indicator a row's first cell names and the measure in its brackets:
// 行政复议申请（件） → {行政复议申请, 件}; 败诉率(%) → {败诉率, %}.
struct RowLabel {
  std::string label;
  std::string unit;
};
RowLabel ReadRowLabel(std::string_view first_cell);

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_TABLE_ROWS_H_
