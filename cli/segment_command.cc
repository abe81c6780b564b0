// reportpipe segment FILE [--format=tree|jsonl]
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "cli/commands.h"
#include "cli/files.h"
#include "lib/json/json_line.h"
#include "services/segmenter/segmenter.h"

ABSL_FLAG(std::string, encoding, "auto",
          "Encoding of the report files: auto (UTF-8 when the bytes are valid "
          "UTF-8, else GB18030), utf-8, or gb18030 (also gbk).");

namespace reportpipe::cli {
namespace {

std::string KindName(v1::SegmentKind kind) {
  switch (kind) {
    case v1::SEGMENT_KIND_TITLE:
      return "TITLE";
    case v1::SEGMENT_KIND_SECTION:
      return "SECTION";
    case v1::SEGMENT_KIND_POINT:
      return "POINT";
    case v1::SEGMENT_KIND_PARAGRAPH:
      return "PARAGRAPH";
    case v1::SEGMENT_KIND_SENTENCE:
      return "SENTENCE";
    case v1::SEGMENT_KIND_RESIDUE:
      return "RESIDUE";
    default:
      return "UNSPECIFIED";
  }
}

void PrintJsonl(const v1::SegmentedReport& r) {
  for (const v1::Segment& s : r.segments()) {
    json::JsonLine line;
    line.Add("report", r.report_id())
        .Add("kind", KindName(s.kind()))
        .Add("level", s.level())
        .Add("path", s.path())
        .Add("marker", s.marker())
        .Add("heading", s.heading())
        .Add("start", s.span().start())
        .Add("end", s.span().end())
        .Add("parent", s.parent());
    if (s.plan()) line.Add("plan", true);
    if (s.kind() == v1::SEGMENT_KIND_TITLE) {
      line.Add("region", r.metadata().region())
          .Add("year", r.metadata().year())
          .Add("report_type", v1::ReportType_Name(r.metadata().report_type()));
    }
    if (s.kind() == v1::SEGMENT_KIND_SENTENCE) {
      line.Add("text", r.text().substr(s.span().start(),
                                       s.span().end() - s.span().start()));
    }
    std::cout << line.str() << "\n";
  }
}

void PrintTree(const v1::SegmentedReport& r) {
  const v1::ReportMetadata& md = r.metadata();
  std::cout << r.report_id() << "\n  region: " << md.region()
            << "\n  year: " << md.year()
            << "\n  type: " << v1::ReportType_Name(md.report_type()) << " ("
            << md.classification_reason() << ")\n";
  for (const v1::Segment& s : r.segments()) {
    if (s.kind() != v1::SEGMENT_KIND_SECTION &&
        s.kind() != v1::SEGMENT_KIND_POINT &&
        s.kind() != v1::SEGMENT_KIND_TITLE) {
      continue;
    }
    std::cout << std::string(2 * (s.level() + 1), ' ') << s.marker()
              << s.heading() << "  [" << s.path() << " " << s.span().start()
              << "-" << s.span().end() << (s.plan() ? " plan" : "") << "]\n";
  }
}

}  // namespace

int SegmentCommand(const std::vector<std::string>& args,
                   const std::string& format) {
  if (args.empty()) {
    std::cerr << "usage: reportpipe segment FILE... [--format=tree|jsonl]\n";
    return 2;
  }
  if (format != "tree" && format != "jsonl") {
    std::cerr << "reportpipe segment: --format must be tree or jsonl\n";
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> paths = ExpandReportPaths(args);
  if (!paths.ok()) {
    std::cerr << "reportpipe segment: " << paths.status().message() << "\n";
    return 1;
  }
  int failures = 0;
  for (const std::string& path : *paths) {
    absl::StatusOr<v1::Report> report =
        LoadReport(path, absl::GetFlag(FLAGS_encoding));
    absl::StatusOr<v1::SegmentedReport> segmented =
        report.ok() ? segmenter::SegmentReport(*report, {}) : report.status();
    if (!segmented.ok()) {
      std::cerr << path << ": " << segmented.status().message() << "\n";
      ++failures;
      continue;
    }
    if (format == "jsonl") {
      PrintJsonl(*segmented);
    } else {
      PrintTree(*segmented);
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace reportpipe::cli
