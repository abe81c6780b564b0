#include "cli/compare_format.h"

#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/html_report.h"
#include "lib/json/json_line.h"

namespace reportpipe::cli {
namespace {

std::string Strip(const std::string& name, const std::string& prefix) {
  return name.compare(0, prefix.size(), prefix) == 0 ? name.substr(prefix.size()) : name;
}

std::string SourceName(v1::ValueSource s) { return Strip(v1::ValueSource_Name(s), "VALUE_SOURCE_"); }
std::string StatusName(v1::ClaimStatus s) { return Strip(v1::ClaimStatus_Name(s), "CLAIM_STATUS_"); }

std::string Csv(const std::string& field) {
  if (field.find_first_of(",\"\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Number(double v) { return json::FormatNumber(v); }

std::string ClaimsSummary(const v1::ComparisonRow& row) {
  std::vector<std::string> parts;
  for (const v1::Claim& c : row.claims()) {
    parts.push_back(absl::StrCat(c.text(), " [", StatusName(c.status()), "]"));
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

bool IsCompareFormat(const std::string& format) {
  return format == "table" || format == "csv" || format == "jsonl" || format == "html";
}

std::string RowJson(const v1::ComparisonRow& row) {
  std::string claims = "[";
  for (int i = 0; i < row.claims_size(); ++i) {
    const v1::Claim& c = row.claims(i);
    json::JsonLine claim;
    claim.Add("text", c.text())
        .Add("claimed_change", c.claimed_change())
        .Add("unit", c.unit())
        .Add("status", StatusName(c.status()));
    if (c.status() != v1::CLAIM_STATUS_UNVERIFIABLE) {
      claim.Add("computed_change", c.computed_change()).Add("previous_value", c.previous_value());
    }
    absl::StrAppend(&claims, i ? "," : "", claim.str());
  }
  claims += "]";
  std::string alternatives = "[";
  for (int i = 0; i < row.alternatives_size(); ++i) {
    const v1::AlternativeValue& a = row.alternatives(i);
    json::JsonLine alt;
    alt.Add("value", a.value()).Add("unit", a.unit()).Add("report", a.ref().report_id());
    absl::StrAppend(&alternatives, i ? "," : "", alt.str());
  }
  alternatives += "]";
  json::JsonLine line;
  line.Add("region", row.region())
      .Add("year", row.year())
      .Add("indicator", row.indicator())
      .Add("canonical_id", row.canonical_id())
      .Add("value", row.value())
      .Add("unit", row.unit())
      .Add("qualifier", Strip(v1::Qualifier_Name(row.qualifier()), "QUALIFIER_"))
      .Add("source", SourceName(row.source()));
  if (row.previous_year() != 0) {
    line.Add("previous_year", row.previous_year())
        .Add("previous_value", row.previous_value())
        .Add("change", row.change())
        .Add("change_unit", row.change_unit())
        .Add("change_ratio", row.change_ratio());
  } else {
    line.AddNull("previous_year").AddNull("previous_value").AddNull("change")
        .AddNull("change_unit").AddNull("change_ratio");
  }
  line.Add("conflicting", row.conflicting())
      .AddRaw("alternatives", alternatives)
      .Add("report", row.ref().report_id())
      .Add("report_year", row.ref().report_year())
      .Add("section", row.ref().section())
      .Add("sentence", row.ref().sentence())
      .Add("start", row.ref().span().start())
      .Add("end", row.ref().span().end())
      .AddRaw("claims", claims);
  if (row.rank() != 0) line.Add("rank", row.rank());
  return line.str();
}

std::string FormatComparison(const v1::CompareResponse& response,
                             const std::vector<v1::RatioCheck>& ratio_checks,
                             const std::string& format) {
  std::ostringstream out;
  if (format == "jsonl") {
    for (const v1::ComparisonRow& row : response.rows()) out << RowJson(row) << "\n";
  } else if (format == "csv") {
    out << "region,year,indicator,canonical_id,value,unit,source,previous_year,"
           "previous_value,change,change_unit,change_ratio,conflicting,report,claims\n";
    for (const v1::ComparisonRow& row : response.rows()) {
      const bool prev = row.previous_year() != 0;
      out << Csv(row.region()) << "," << row.year() << "," << Csv(row.indicator()) << ","
          << row.canonical_id() << "," << Number(row.value()) << "," << Csv(row.unit()) << ","
          << SourceName(row.source()) << "," << (prev ? absl::StrCat(row.previous_year()) : "")
          << "," << (prev ? Number(row.previous_value()) : "") << ","
          << (prev ? Number(row.change()) : "") << "," << (prev ? row.change_unit() : "") << ","
          << (prev ? Number(row.change_ratio()) : "") << ","
          << (row.conflicting() ? "true" : "false") << "," << Csv(row.ref().report_id()) << ","
          << Csv(ClaimsSummary(row)) << "\n";
    }
  } else if (format == "html") {
    out << HtmlReport(response, ratio_checks);
  } else {
    for (const v1::ComparisonRow& row : response.rows()) {
      out << row.region() << "\t" << row.year() << "\t" << row.indicator() << "\t"
          << Number(row.value()) << row.unit();
      if (row.source() == v1::VALUE_SOURCE_IMPLIED) out << " (implied)";
      if (row.previous_year() != 0) {
        out << "\t" << (row.change() >= 0 ? "+" : "") << Number(row.change())
            << row.change_unit() << " vs " << row.previous_year();
      } else {
        out << "\t-";
      }
      if (row.conflicting()) out << "\tCONFLICTING";
      for (const v1::Claim& c : row.claims()) {
        out << "\t" << c.text() << " [" << StatusName(c.status()) << "]";
      }
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace reportpipe::cli
