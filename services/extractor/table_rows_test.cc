// Tests of the table reader (table_rows.h) on folded text. Every row here
// is SYNTHETIC.
#include "services/extractor/table_rows.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/text/normalized_text.h"

namespace reportpipe::extractor {
namespace {

std::string Folded(std::string_view s) {
  return text::NormalizedText::Fold(s).text();
}

TEST(TableRowTest, CellsBetweenBarsWithTheirSpans) {
  const std::string t = Folded("| 败诉率（%） | 9.2 | 6.8 |");
  const auto row = TableRow(t, 0, t.size());
  ASSERT_TRUE(row.has_value());
  ASSERT_EQ(row->size(), 3u);
  EXPECT_EQ((*row)[0].text, "败诉率(%)");
  EXPECT_EQ((*row)[1].text, "9.2");
  EXPECT_EQ(
      t.substr((*row)[2].span.start, (*row)[2].span.end - (*row)[2].span.start),
      "6.8");
}

TEST(TableRowTest, NoRowWithoutBarsAtBothEndsOrTwoInside) {
  for (const char* line :
       {"败诉率 | 9.2", "| 9.2", "||", "全年办结36件。", "| 败诉率 | 9.2",
        "败诉率 | 9.2 |", " | 9.2 | 6.8"}) {
    const std::string t = Folded(line);
    EXPECT_FALSE(TableRow(t, 0, t.size()).has_value()) << line;
  }
}

// An appendix typed with bars between the cells only.
TEST(TableRowTest, CellsBetweenInnerBars) {
  const std::string t = Folded("罚没款 | 2316.8 | 万元 | －12.6％");
  const auto row = TableRow(t, 0, t.size());
  ASSERT_TRUE(row.has_value());
  ASSERT_EQ(row->size(), 4u);
  EXPECT_EQ((*row)[0].text, "罚没款");
  EXPECT_EQ((*row)[2].text, "万元");
  EXPECT_EQ((*row)[3].text, "-12.6%");
  EXPECT_EQ(
      t.substr((*row)[0].span.start, (*row)[0].span.end - (*row)[0].span.start),
      "罚没款");
  EXPECT_EQ(
      t.substr((*row)[3].span.start, (*row)[3].span.end - (*row)[3].span.start),
      "-12.6%");
}

// A header that names what its columns hold, not years; or years and such
// words together. Every cell after the first must name one.
TEST(TableRowTest, AHeaderNamesWhatItsColumnsHold) {
  using Holds = TableColumn::Holds;
  const auto columns = [](const char* line) {
    const std::string t = Folded(line);
    const auto cells = TableRow(t, 0, t.size());
    EXPECT_TRUE(cells.has_value()) << line;
    return cells ? HeaderColumns(*cells) : std::nullopt;
  };
  const auto roles = columns("指标名称 | 数值 | 单位 | 同比");
  ASSERT_TRUE(roles.has_value());
  ASSERT_EQ(roles->size(), 4u);
  EXPECT_EQ((*roles)[0].holds, Holds::kNothing);
  EXPECT_EQ((*roles)[1].holds, Holds::kValue);
  EXPECT_EQ((*roles)[2].holds, Holds::kUnit);
  EXPECT_EQ((*roles)[3].holds, Holds::kChange);
  const auto mixed = columns("| 指标 | 上年 | 2023年 | 目标 |");
  ASSERT_TRUE(mixed.has_value());
  EXPECT_EQ((*mixed)[1].holds, Holds::kPrior);
  EXPECT_EQ((*mixed)[2].holds, Holds::kYear);
  EXPECT_EQ((*mixed)[2].year, 2023);
  EXPECT_EQ((*mixed)[3].holds, Holds::kTarget);
  // A row of figures, a header with a column it cannot name, and one that
  // names no figure's column are none.
  EXPECT_FALSE(columns("行政处罚案件 | 6,238 | 件 | +17.4%").has_value());
  EXPECT_FALSE(columns("指标 | 数值 | 排序依据").has_value());
  // A column of remarks holds no figure, and does not stop the header.
  const auto remarks = columns("指标 | 数值 | 备注");
  ASSERT_TRUE(remarks.has_value());
  EXPECT_EQ((*remarks)[2].holds, Holds::kNothing);
  EXPECT_FALSE(columns("指标 | 单位 | 同比").has_value());
  // The year header as before.
  const auto years = columns("| 指标 | 2022 | 2023 |");
  ASSERT_TRUE(years.has_value());
  EXPECT_EQ((*years)[1].holds, Holds::kYear);
  EXPECT_EQ((*years)[2].year, 2023);
}

TEST(TableRowTest, ChangesUnderTongbi) {
  const auto change = [](const char* cell) {
    const std::string t = Folded(cell);
    std::optional<CellChange> c = ReadCellChange({{0, t.size()}, t});
    return c;
  };
  ASSERT_TRUE(change("+17.4%").has_value());
  EXPECT_EQ(change("+17.4%")->value, 17.4);
  EXPECT_TRUE(change("+17.4%")->up);
  EXPECT_EQ(change("+17.4%")->unit, "%");
  ASSERT_TRUE(change("-1.2个百分点").has_value());
  EXPECT_FALSE(change("-1.2个百分点")->up);
  EXPECT_EQ(change("-1.2个百分点")->unit, "pp");
  ASSERT_TRUE(change("下降6.5%").has_value());
  EXPECT_FALSE(change("下降6.5%")->up);
  ASSERT_TRUE(change("8.3%").has_value());
  EXPECT_TRUE(change("8.3%")->up);
  ASSERT_TRUE(change("减少1,204件").has_value());
  EXPECT_EQ(change("减少1,204件")->value, 1204);
  EXPECT_EQ(change("减少1,204件")->unit, "件");
  EXPECT_FALSE(change("—").has_value());
  EXPECT_FALSE(change("持平").has_value());
}

TEST(TableRowTest, HeaderYearsAndSeparatorRows) {
  const std::string header = Folded("| 指标 | 2022年 | 2023年度 |");
  const auto cells = TableRow(header, 0, header.size());
  ASSERT_TRUE(cells.has_value());
  const auto years = YearColumns(*cells);
  ASSERT_TRUE(years.has_value());
  EXPECT_THAT(*years, ::testing::ElementsAre(0, 2022, 2023));
  const std::string rule = Folded("|---|---|---|");
  const auto separator = TableRow(rule, 0, rule.size());
  ASSERT_TRUE(separator.has_value());
  EXPECT_FALSE(YearColumns(*separator).has_value());
}

// A row of figures may hold a number like a year; a header names a year in
// every cell after the first, or holds bare years that run upward.
TEST(TableRowTest, AHeaderIsARunOfYears) {
  const auto years = [](const char* line) {
    const std::string t = Folded(line);
    const auto cells = TableRow(t, 0, t.size());
    EXPECT_TRUE(cells.has_value()) << line;
    return cells ? YearColumns(*cells) : std::nullopt;
  };
  EXPECT_FALSE(years("| 行政许可事项（项） | 1862 | 2046 |").has_value());
  EXPECT_FALSE(years("| 指标 | 2023年 | 备注 |").has_value());
  EXPECT_FALSE(years("| 指标 | 2023 | 2022 |").has_value());
  const auto bare = years("| 指标 | 2022 | 2023 |");
  ASSERT_TRUE(bare.has_value());
  EXPECT_THAT(*bare, ::testing::ElementsAre(0, 2022, 2023));
}

TEST(TableRowTest, FiguresAndLabels) {
  const auto figure = [](const char* cell) {
    return ReadCellFigure({{0, 0}, cell});
  };
  ASSERT_TRUE(figure("7,636").has_value());
  EXPECT_EQ(figure("7,636")->value, 7636);
  ASSERT_TRUE(figure("9.2%").has_value());
  EXPECT_EQ(figure("9.2%")->unit, "%");
  ASSERT_TRUE(figure("612件").has_value());
  EXPECT_EQ(figure("612件")->unit, "件");
  EXPECT_FALSE(figure("—").has_value());
  EXPECT_FALSE(figure("2023年3月").has_value());
  EXPECT_EQ(ReadRowLabel("行政复议申请(件)").label, "行政复议申请");
  EXPECT_EQ(ReadRowLabel("行政复议申请(件)").unit, "件");
  EXPECT_EQ(ReadRowLabel("全程网办率").unit, "");
}

}  // namespace
}  // namespace reportpipe::extractor
