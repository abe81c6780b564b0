// Reads the rows of a table written as text, one row a line between bars
// (| 指标 | 2022年 | 2023年 |), as a PDF-to-markdown converter or a web page
// leaves a report's table: a header row names each column's year, and each
// row below gives its indicator (with its measure in brackets: 败诉率（%）)
// and a figure a year. The figure of the report's year is a VALUE, an
// earlier year's a PRIOR, a later year's a TARGET.
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
// (it must open and close with |, and hold at least two cells).
std::optional<std::vector<TableCell>> TableRow(std::string_view folded,
                                               size_t begin, size_t end);

// The year each column of a header row names (0 for a column that names
// none: the first, 指标), or nothing when no column names a year.
std::optional<std::vector<int>> YearColumns(const std::vector<TableCell>& row);

// A figure in a cell: 548, 7,636, 9.2, 9.2%, 612件. Its unit is the one
// written in the cell, or empty.
struct CellFigure {
  double value = 0;
  std::string unit;
  text::ByteSpan span;  // the figure and its unit
};
std::optional<CellFigure> ReadCellFigure(const TableCell& cell);

// The indicator a row's first cell names and the measure in its brackets:
// 行政复议申请（件） → {行政复议申请, 件}; 败诉率(%) → {败诉率, %}.
struct RowLabel {
  std::string label;
  std::string unit;
};
RowLabel ReadRowLabel(std::string_view first_cell);

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_TABLE_ROWS_H_
