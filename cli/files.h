// Reading the reports named on the command line.
#ifndef REPORTPIPE_CLI_FILES_H_
#define REPORTPIPE_CLI_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reportpipe/v1/report.pb.h"

namespace reportpipe::cli {

// The whole content of a file.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// The report files named: files as given, directories expanded to the *.txt
// files inside them (sorted, not recursive).
absl::StatusOr<std::vector<std::string>> ExpandReportPaths(
    const std::vector<std::string>& args);

// A report read from a file: id and source are the path. `encoding` is
// utf-8, gb18030 (or gbk), or auto: UTF-8 when the bytes are valid UTF-8,
// else GB18030, the other encoding Chinese government sites publish in (the
// segmenter still refuses bytes valid in neither). INVALID_ARGUMENT for any
// other name.
absl::StatusOr<v1::Report> LoadReport(const std::string& path,
                                      const std::string& encoding);

}  // namespace reportpipe::cli

#endif  // REPORTPIPE_CLI_FILES_H_
