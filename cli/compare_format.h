// Prints comparison rows as a table, CSV, JSON lines or one self-contained
// HTML page. Shared by `reportpipe compare` and `reportpipe run`.
#ifndef REPORTPIPE_CLI_COMPARE_FORMAT_H_
#define REPORTPIPE_CLI_COMPARE_FORMAT_H_

#include <string>
#include <vector>

#include "reportpipe/v1/aggregator.pb.h"

namespace reportpipe::cli {

// True for the formats below.
bool IsCompareFormat(const std::string& format);

// The rows in `format` (table, csv, jsonl or html). `ratio_checks` are the
// within-report checks, shown on the HTML page.
std::string FormatComparison(const v1::CompareResponse& response,
                             const std::vector<v1::RatioCheck>& ratio_checks,
                             const std::string& format);

// One JSON object for a row, with the fields other tools read: region, year,
// indicator, canonical_id, value, unit, qualifier, source (REPORTED or
// IMPLIED), previous_year, previous_value, change, change_unit,
// change_ratio, conflicting, alternatives, report, section, sentence,
// start, end, and claims (text, claimed_change, unit, status,
// computed_change).
std::string RowJson(const v1::ComparisonRow& row);

}  // namespace reportpipe::cli

#endif  // REPORTPIPE_CLI_COMPARE_FORMAT_H_
