// Tests of DecodeReportText: what is accepted as a report's text and what is
// refused, and why. Every text here is SYNTHETIC.
#include "services/segmenter/report_text.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reportpipe::segmenter {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr size_t kLimit = 1 << 20;

absl::StatusOr<std::string> Decode(
    std::string bytes, v1::Encoding encoding = v1::ENCODING_UNSPECIFIED,
    size_t limit = kLimit) {
  v1::Report report;
  report.set_text(std::move(bytes));
  report.set_encoding(encoding);
  return DecodeReportText(report, limit);
}

// "青禾县2023年度报告" in GB18030 (GBK) bytes, from
// `printf 青禾县2023年度报告 | iconv -f UTF-8 -t GB18030 | xxd`.
const char kGbTitle[] =
    "\xC7\xE0\xBA\xCC\xCF\xD8" "2023" "\xC4\xEA\xB6\xC8\xB1\xA8\xB8\xE6";

TEST(DecodeReportTextTest, Utf8PassesThroughUnchanged) {
  const std::string text = "青禾县２０２３年度法治政府建设情况报告\r\n正文。";
  for (v1::Encoding e : {v1::ENCODING_UNSPECIFIED, v1::ENCODING_UTF8}) {
    absl::StatusOr<std::string> got = Decode(text, e);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, text);  // not folded: spans index the original
  }
}

TEST(DecodeReportTextTest, Gb18030IsConvertedToUtf8) {
  absl::StatusOr<std::string> got = Decode(kGbTitle, v1::ENCODING_GB18030);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, "青禾县2023年度报告");
}

TEST(DecodeReportTextTest, Gb18030SentAsUtf8IsRefusedWithItsOffset) {
  const absl::Status s = Decode(kGbTitle).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("byte offset 0"));
  EXPECT_THAT(s.message(), HasSubstr("GB18030"));
}

TEST(DecodeReportTextTest, InvalidUtf8NamesTheOffset) {
  // A truncated three-byte sequence after 12 valid bytes.
  const absl::Status s = Decode("法治政府\xE5\xBB").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("byte offset 12"));
}

TEST(DecodeReportTextTest, OverlongAndSurrogateAreInvalid) {
  EXPECT_EQ(Decode("ab\xC0\xAF").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Decode("ab\xED\xA0\x80").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DecodeReportTextTest, InvalidGb18030IsRefused) {
  // 0xFF is no GB18030 lead byte.
  const absl::Status s =
      Decode(std::string(kGbTitle) + "\xFF", v1::ENCODING_GB18030).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("offset"));
}

TEST(DecodeReportTextTest, SizeLimitComesFirst) {
  const std::string text = "青禾县2023年度法治政府建设情况报告";
  EXPECT_TRUE(Decode(text, v1::ENCODING_UNSPECIFIED, text.size()).ok());
  const absl::Status s =
      Decode(text, v1::ENCODING_UNSPECIFIED, text.size() - 1).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("limit"));
  // Even invalid bytes: the size is what is wrong first.
  EXPECT_EQ(Decode(std::string(100, '\xFF'), v1::ENCODING_UNSPECIFIED, 10)
                .status()
                .code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(DecodeReportTextTest, EmptyIsRefused) {
  const absl::Status s = Decode("").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("empty"));
}

TEST(DecodeReportTextTest, BlankIsRefused) {
  for (const char* text :
       {" ", "\n\n", "\t \r\n", "\u3000", " \u3000\n\u3000\u00a0"}) {
    const absl::Status s = Decode(text).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(s.message(), HasSubstr("white space"));
  }
}

TEST(DecodeReportTextTest, ControlCharactersAreRefusedWithTheOffset) {
  const absl::Status nul = Decode(std::string("报告\0\0\0", 9)).status();
  EXPECT_EQ(nul.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(nul.message(), HasSubstr("0x00"));
  EXPECT_THAT(nul.message(), HasSubstr("byte offset 6"));
  EXPECT_EQ(Decode("报告\x1B[0m").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Decode("报告\x7F").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Tabs, form feeds and CRLF are ordinary white space.
  EXPECT_TRUE(Decode("报告\t正文\f\r\n").ok());
}

// The check reads eight bytes at a time: every control byte is still found,
// at every offset in and around a word, and white space in a word is passed.
TEST(DecodeReportTextTest, EveryControlByteIsFoundAtEveryOffset) {
  const std::string text =
      "报告\n2023年, 共办理案件12件。\t审查\r\n文件 3 件\f";
  ASSERT_TRUE(Decode(text).ok());
  for (int c = 0; c < 0x80; ++c) {
    const bool control =
        (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ||
        c == 0x7F;
    if (!control) continue;
    for (size_t at = 0; at <= text.size(); ++at) {
      // Only between characters: a control byte is valid UTF-8 there.
      if (at < text.size() &&
          (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) {
        continue;
      }
      std::string bad = text;
      bad.insert(at, 1, static_cast<char>(c));
      const absl::Status status = Decode(bad).status();
      ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
          << c << " at " << at;
      EXPECT_THAT(status.message(),
                  HasSubstr(absl::StrCat("at byte offset ", at, ":")))
          << c << " at " << at;
    }
  }
}

// Random bytes are binary data, whatever their first invalid UTF-8 byte:
// the answer must not send the caller off to try GB18030.
TEST(DecodeReportTextTest, BinaryDataIsCalledBinaryNotAnotherEncoding) {
  const std::string binary("\xCA\xFE\xBA\xBE\x00\x01\x02\xFF", 8);
  const absl::Status s = Decode(binary).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("binary data"));
  EXPECT_THAT(s.message(), HasSubstr("byte offset 4"));
  EXPECT_THAT(s.message(), Not(HasSubstr("GB18030")));
}

TEST(DecodeReportTextTest, HtmlIsRefused) {
  for (const char* html : {
           "<!DOCTYPE html><html><body>报告</body></html>",
           "\xEF\xBB\xBF<html>\n<head></head><body>报告</body></html>",
           "\n  <HTML><BODY>报告</BODY></HTML>",
           "<div class=\"content\">青禾县2023年度法治政府建设情况报告</div>",
           "<p>青禾县2023年度法治政府建设情况报告</p><p>一、主要工作情况</p>",
           "<span>报告</span>",
       }) {
    const absl::Status s = Decode(html).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << html;
    EXPECT_THAT(s.message(), HasSubstr("HTML")) << html;
  }
}

TEST(DecodeReportTextTest, AngleBracketsInTextAreNoHtml) {
  // A report may quote a comparison; it does not open with a tag.
  EXPECT_TRUE(Decode("青禾县报告\n办结率<100%的单位3个。</p>").ok());
  EXPECT_TRUE(Decode("<5件的单位不予通报。").ok());
}

TEST(DecodeReportTextTest, JsonIsRefused) {
  for (const char* json : {"{\"text\":\"报告\"}", "  [\"报告\"]  \n",
                           "{\n  \"id\": 1,\n  \"text\": \"一、主要工作\"\n}"}) {
    const absl::Status s = Decode(json).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << json;
    EXPECT_THAT(s.message(), HasSubstr("JSON")) << json;
  }
}

TEST(DecodeReportTextTest, BracketedTextIsNoJson) {
  // Opens with a bracket but does not close like a document.
  EXPECT_TRUE(Decode("[青禾县] 2023年度法治政府建设情况报告\n正文。").ok());
}

}  // namespace
}  // namespace reportpipe::segmenter
