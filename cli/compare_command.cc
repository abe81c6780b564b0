// reportpipe compare --aggregator=ADDR [--region=…] [--indicator=…]
//                    [--year=2023|2021-2023] [--format=table|csv|jsonl|html]
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/commands.h"
#include "cli/compare_format.h"
#include "grpcpp/grpcpp.h"
#include "reportpipe/v1/aggregator.grpc.pb.h"

ABSL_FLAG(std::string, aggregator, "", "The aggregator's address (host:port, or any gRPC target).");
ABSL_FLAG(std::string, region, "", "Only this region (e.g. 平罗县).");
ABSL_FLAG(std::string, indicator, "", "Only this indicator: a canonical id or a word of its label.");
ABSL_FLAG(std::string, year, "", "A year (2023) or a range of years (2021-2023).");
ABSL_FLAG(int32_t, deadline_seconds, 30, "How long a query may take.");

namespace reportpipe::cli {
namespace {

// Reads 2023, 2021-2023 or 2021:2023.
bool ParseYears(const std::string& text, int* from, int* to) {
  if (text.empty()) return true;
  const size_t sep = text.find_first_of("-:");
  if (sep == std::string::npos) {
    if (!absl::SimpleAtoi(text, from)) return false;
    *to = *from;
    return true;
  }
  return absl::SimpleAtoi(text.substr(0, sep), from) &&
         absl::SimpleAtoi(text.substr(sep + 1), to) && *from <= *to;
}

}  // namespace

absl::StatusOr<std::string> QueryComparison(const std::string& target,
                                            const v1::CompareRequest& request,
                                            const std::string& format) {
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  auto stub = v1::Aggregator::NewStub(channel);
  const absl::Duration deadline = absl::Seconds(absl::GetFlag(FLAGS_deadline_seconds));
  v1::CompareResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  const grpc::Status status = stub->Compare(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("compare at ", target, ": ", status.error_message()));
  }
  std::vector<v1::RatioCheck> checks;
  if (format == "html") {
    // The page also shows each report's rates checked against its counts.
    std::set<std::pair<std::string, int>> reports;
    for (const v1::ComparisonRow& row : response.rows()) {
      if (row.source() == v1::VALUE_SOURCE_REPORTED) {
        reports.insert({row.region(), row.ref().report_year()});
      }
    }
    for (const auto& [region, year] : reports) {
      v1::CheckReportRequest check;
      check.set_region(region);
      check.set_year(year);
      v1::CheckReportResponse checked;
      grpc::ClientContext check_context;
      check_context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
      if (stub->CheckReport(&check_context, check, &checked).ok()) {
        checks.insert(checks.end(), checked.ratio_checks().begin(), checked.ratio_checks().end());
      }
    }
  }
  return FormatComparison(response, checks, format);
}

int CompareCommand(const std::string& format) {
  const std::string target = absl::GetFlag(FLAGS_aggregator);
  if (target.empty()) {
    std::cerr << "usage: reportpipe compare --aggregator=ADDR [--region=…] [--indicator=…] "
                 "[--year=2023|2021-2023] [--format=table|csv|jsonl|html]\n";
    return 2;
  }
  if (!IsCompareFormat(format)) {
    std::cerr << "reportpipe compare: --format must be table, csv, jsonl or html\n";
    return 2;
  }
  v1::CompareRequest request;
  request.set_region(absl::GetFlag(FLAGS_region));
  request.set_indicator(absl::GetFlag(FLAGS_indicator));
  int from = 0, to = 0;
  if (!ParseYears(absl::GetFlag(FLAGS_year), &from, &to)) {
    std::cerr << "reportpipe compare: --year must be a year (2023) or a range (2021-2023)\n";
    return 2;
  }
  request.set_from_year(from);
  request.set_to_year(to);
  absl::StatusOr<std::string> out = QueryComparison(target, request, format);
  if (!out.ok()) {
    std::cerr << "reportpipe: " << out.status().message() << "\n";
    return 1;
  }
  std::cout << *out;
  return 0;
}

}  // namespace reportpipe::cli
