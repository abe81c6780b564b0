#include "cli/files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/text/utf8.h"

namespace reportpipe::cli {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

absl::StatusOr<std::vector<std::string>> ExpandReportPaths(
    const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<std::string> inside;
      for (const auto& entry : fs::directory_iterator(arg, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".txt") {
          inside.push_back(entry.path().string());
        }
      }
      std::sort(inside.begin(), inside.end());
      out.insert(out.end(), inside.begin(), inside.end());
    } else if (fs::exists(arg, ec)) {
      out.push_back(arg);
    } else {
      return absl::NotFoundError(absl::StrCat("no such file or directory: ", arg));
    }
  }
  return out;
}

absl::StatusOr<v1::Report> LoadReport(const std::string& path,
                                      const std::string& encoding) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  v1::Report report;
  report.set_id(path);
  report.set_source(path);
  report.set_text(*std::move(bytes));
  const std::string name = absl::AsciiStrToLower(encoding);
  if (name == "gb18030" || name == "gbk") {
    report.set_encoding(v1::ENCODING_GB18030);
  } else if (name == "utf-8" || name == "utf8") {
    report.set_encoding(v1::ENCODING_UTF8);
  } else if (name == "auto" || name.empty()) {
    report.set_encoding(text::ValidateUtf8(report.text()).ok()
                            ? v1::ENCODING_UTF8
                            : v1::ENCODING_GB18030);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown encoding '", encoding,
                     "': give auto, utf-8 or gb18030 (gbk)"));
  }
  return report;
}

}  // namespace reportpipe::cli
