// LoadReport's encodings: auto reads valid UTF-8 as UTF-8 and anything else
// as GB18030; a name it does not know is refused. Texts are SYNTHETIC.
#include "cli/files.h"

#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace reportpipe::cli {
namespace {

std::string WriteTemp(const std::string& name, const std::string& bytes) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// "青禾县2023年度报告" in UTF-8, and in GB18030 (GBK) bytes, from
// `printf 青禾县2023年度报告 | iconv -f UTF-8 -t GB18030 | xxd`.
const std::string kUtf8 = "青禾县2023年度报告";
const std::string kGb18030 =
    "\xC7\xE0\xBA\xCC\xCF\xD8"
    "2023"
    "\xC4\xEA\xB6\xC8\xB1\xA8\xB8\xE6";

TEST(LoadReportTest, AutoTellsUtf8FromGb18030) {
  const std::string utf8 = WriteTemp("utf8.txt", kUtf8);
  const std::string gbk = WriteTemp("gbk.txt", kGb18030);
  absl::StatusOr<v1::Report> a = LoadReport(utf8, "auto");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->encoding(), v1::ENCODING_UTF8);
  EXPECT_EQ(a->text(), kUtf8);
  absl::StatusOr<v1::Report> b = LoadReport(gbk, "auto");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->encoding(), v1::ENCODING_GB18030);
  EXPECT_EQ(b->text(), kGb18030);
  EXPECT_EQ(b->id(), gbk);
}

TEST(LoadReportTest, NamedEncodingsAreTakenAsGiven) {
  const std::string gbk = WriteTemp("gbk2.txt", kGb18030);
  for (const char* name : {"gbk", "GBK", "gb18030", "GB18030"}) {
    absl::StatusOr<v1::Report> r = LoadReport(gbk, name);
    ASSERT_TRUE(r.ok()) << name;
    EXPECT_EQ(r->encoding(), v1::ENCODING_GB18030) << name;
  }
  // Said to be UTF-8, the GB18030 bytes go as UTF-8 (the segmenter refuses
  // them, naming the byte).
  absl::StatusOr<v1::Report> r = LoadReport(gbk, "utf-8");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->encoding(), v1::ENCODING_UTF8);
}

TEST(LoadReportTest, UnknownEncodingIsRefused) {
  const std::string utf8 = WriteTemp("utf8b.txt", kUtf8);
  absl::StatusOr<v1::Report> r = LoadReport(utf8, "latin-1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("latin-1"), std::string::npos);
}

}  // namespace
}  // namespace reportpipe::cli
