#include "cli/html_report.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lib/json/json_line.h"

namespace reportpipe::cli {
namespace {

constexpr int kWidth = 260;
constexpr int kHeight = 90;
constexpr int kPad = 18;

std::string Number(double v) { return json::FormatNumber(v); }

// A chart of one indicator of one region over its years: reported values
// as filled dots joined by a line, implied ones hollow, a red ring where a
// claim about that year is inconsistent.
std::string Chart(const std::vector<const v1::ComparisonRow*>& rows) {
  double lo = rows.front()->value(), hi = lo;
  int first = rows.front()->year(), last = first;
  for (const v1::ComparisonRow* r : rows) {
    lo = std::min(lo, r->value());
    hi = std::max(hi, r->value());
    first = std::min(first, r->year());
    last = std::max(last, r->year());
  }
  if (hi == lo) {
    hi += 1;
    lo -= 1;
  }
  auto x = [&](int year) {
    return last == first ? kWidth / 2.0
                         : kPad + (year - first) * (kWidth - 2.0 * kPad) / (last - first);
  };
  auto y = [&](double v) { return kHeight - kPad - (v - lo) * (kHeight - 2.0 * kPad) / (hi - lo); };
  std::ostringstream svg;
  svg << "<svg class=\"chart\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" viewBox=\"0 0 " << kWidth << " " << kHeight << "\" role=\"img\">";
  std::string points;
  for (const v1::ComparisonRow* r : rows) {
    if (r->source() != v1::VALUE_SOURCE_REPORTED) continue;
    absl::StrAppend(&points, points.empty() ? "" : " ", x(r->year()), ",", y(r->value()));
  }
  if (!points.empty()) {
    svg << "<polyline points=\"" << points << "\" fill=\"none\" stroke=\"#3465a4\"/>";
  }
  for (const v1::ComparisonRow* r : rows) {
    const bool implied = r->source() == v1::VALUE_SOURCE_IMPLIED;
    bool wrong = false;
    for (const v1::Claim& c : r->claims()) wrong = wrong || c.status() == v1::CLAIM_STATUS_INCONSISTENT;
    svg << "<circle cx=\"" << x(r->year()) << "\" cy=\"" << y(r->value()) << "\" r=\"4\" "
        << (implied ? "fill=\"white\" stroke=\"#3465a4\"" : "fill=\"#3465a4\"") << "><title>"
        << r->year() << ": " << Number(r->value()) << HtmlEscape(r->unit())
        << (implied ? " (implied)" : "") << "</title></circle>";
    if (wrong) {
      svg << "<circle class=\"wrong\" cx=\"" << x(r->year()) << "\" cy=\"" << y(r->value())
          << "\" r=\"8\" fill=\"none\" stroke=\"#cc0000\" stroke-width=\"2\"/>";
    }
    svg << "<text x=\"" << x(r->year()) << "\" y=\"" << kHeight - 3
        << "\" font-size=\"10\" text-anchor=\"middle\">" << r->year() << "</text>";
  }
  svg << "</svg>";
  return svg.str();
}

std::string StatusText(v1::ClaimStatus s) {
  switch (s) {
    case v1::CLAIM_STATUS_CONSISTENT:
      return "consistent";
    case v1::CLAIM_STATUS_INCONSISTENT:
      return "INCONSISTENT";
    default:
      return "unverifiable";
  }
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string HtmlReport(const v1::CompareResponse& response,
                       const std::vector<v1::RatioCheck>& ratio_checks) {
  // Rows grouped by region and indicator, in the order they come.
  std::vector<std::pair<std::string, std::vector<const v1::ComparisonRow*>>> groups;
  std::map<std::string, size_t> index;
  int inconsistent = 0;
  for (const v1::ComparisonRow& row : response.rows()) {
    const std::string key = absl::StrCat(row.region(), "\x1f",
                                         row.canonical_id().empty() ? row.indicator() : row.canonical_id());
    auto [it, added] = index.emplace(key, groups.size());
    if (added) groups.push_back({key, {}});
    groups[it->second].second.push_back(&row);
    for (const v1::Claim& c : row.claims()) inconsistent += c.status() == v1::CLAIM_STATUS_INCONSISTENT;
  }
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"/>"
          "<title>法治政府建设年度报告 比较 — reportpipe</title><style>"
          "body{font-family:sans-serif;margin:2em;color:#222}"
          "table{border-collapse:collapse;margin:.5em 0 1.5em}"
          "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
          ".implied{color:#777;font-style:italic}.INCONSISTENT{color:#c00;font-weight:bold}"
          ".conflict{background:#fff3cd}section{margin-bottom:1.5em}"
          "</style></head><body>\n";
  html << "<h1>法治政府建设年度报告：逐年与跨地区比较</h1>\n<p>" << response.rows_size()
       << " rows, " << groups.size() << " indicators; " << inconsistent
       << " inconsistent change claims. Implied values (derived from a report's own change "
          "statement, never reported) are shown in grey italics and drawn hollow.</p>\n";
  for (const auto& [key, rows] : groups) {
    const v1::ComparisonRow& head = *rows.front();
    html << "<section><h2>" << HtmlEscape(head.region()) << " · " << HtmlEscape(head.indicator())
         << (head.canonical_id().empty() ? "" : " <small>(" + HtmlEscape(head.canonical_id()) + ")</small>")
         << "</h2>\n" << Chart(rows)
         << "\n<table><tr><th>year</th><th>value</th><th>source</th><th>change</th>"
            "<th>claims in the report</th><th>where</th></tr>\n";
    for (const v1::ComparisonRow* r : rows) {
      const bool implied = r->source() == v1::VALUE_SOURCE_IMPLIED;
      html << "<tr" << (r->conflicting() ? " class=\"conflict\"" : "") << "><td>" << r->year()
           << "</td><td" << (implied ? " class=\"implied\"" : "") << ">" << Number(r->value())
           << HtmlEscape(r->unit());
      for (const v1::AlternativeValue& a : r->alternatives()) {
        html << "<br/>also " << Number(a.value()) << HtmlEscape(a.unit()) << " in "
             << HtmlEscape(a.ref().report_id());
      }
      html << "</td><td>" << (implied ? "implied" : "reported") << "</td><td>";
      if (r->previous_year() != 0) {
        html << (r->change() >= 0 ? "+" : "") << Number(r->change()) << HtmlEscape(r->change_unit())
             << " vs " << r->previous_year();
      }
      html << "</td><td>";
      for (const v1::Claim& c : r->claims()) {
        html << "<div class=\"" << StatusText(c.status()) << "\">" << HtmlEscape(c.text()) << " — "
             << StatusText(c.status());
        if (c.status() == v1::CLAIM_STATUS_INCONSISTENT) {
          html << " (stated " << Number(c.claimed_change()) << HtmlEscape(c.unit())
               << ", stored values give " << Number(c.computed_change()) << ")";
        }
        html << "</div>";
      }
      html << "</td><td>" << HtmlEscape(r->ref().report_id()) << " " << HtmlEscape(r->ref().section())
           << "</td></tr>\n";
    }
    html << "</table></section>\n";
  }
  if (!ratio_checks.empty()) {
    html << "<section><h2>Rates checked against their counts</h2><table><tr><th>report</th>"
            "<th>rate</th><th>stated</th><th>counts</th><th>computed</th><th>check</th></tr>\n";
    for (const v1::RatioCheck& c : ratio_checks) {
      html << "<tr><td>" << HtmlEscape(c.report_id()) << "</td><td>" << HtmlEscape(c.indicator())
           << "</td><td>" << Number(c.stated_rate()) << "%</td><td>"
           << HtmlEscape(c.numerator_indicator()) << " " << Number(c.numerator()) << " / "
           << HtmlEscape(c.denominator_indicator()) << " " << Number(c.denominator())
           << "</td><td>" << Number(c.computed_rate()) << "%</td><td class=\""
           << StatusText(c.status()) << "\">" << StatusText(c.status()) << "</td></tr>\n";
    }
    html << "</table></section>\n";
  }
  html << "</body></html>\n";
  return html.str();
}

}  // namespace reportpipe::cli
