// One self-contained HTML page of a comparison, for a county analyst: a
// table per indicator with a small year-over-year chart in inline SVG,
// implied values drawn hollow, inconsistent claims marked. No script and no
// network fetch is needed to read it. The page is also well-formed XML
// (XHTML syntax), so that tests can parse it strictly.
#ifndef REPORTPIPE_CLI_HTML_REPORT_H_
#define REPORTPIPE_CLI_HTML_REPORT_H_

#include <string>
#include <vector>

#include "reportpipe/v1/aggregator.pb.h"

namespace reportpipe::cli {

std::string HtmlReport(const v1::CompareResponse& response,
                       const std::vector<v1::RatioCheck>& ratio_checks);

// `text` with & < > " ' escaped.
std::string HtmlEscape(const std::string& text);

}  // namespace reportpipe::cli

#endif  // REPORTPIPE_CLI_HTML_REPORT_H_
