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

TEST(TableRowTest, NoRowWithoutBarsAtBothEnds) {
  for (const char* line :
       {"败诉率 | 9.2 | 6.8", "| 9.2", "||", "全年办结36件。"}) {
    const std::string t = Folded(line);
    EXPECT_FALSE(TableRow(t, 0, t.size()).has_value()) << line;
  }
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
