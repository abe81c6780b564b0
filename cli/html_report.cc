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

// A report's file name without its directories, for display.
std::string Basename(const std::string& id) {
  const size_t slash = id.rfind('/');
  return slash == std::string::npos ? id : id.substr(slash + 1);
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
  std::vector<std::vector<const v1::ComparisonRow*>> groups;
  std::map<std::string, size_t> index;
  for (const v1::ComparisonRow& row : response.rows()) {
    const std::string key = absl::StrCat(
        row.region(), "\x1f", row.canonical_id().empty() ? row.indicator() : row.canonical_id());
    auto [it, added] = index.emplace(key, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(&row);
  }
  std::vector<size_t> series, single;
  for (size_t i = 0; i < groups.size(); ++i) {
    (groups[i].size() > 1 ? series : single).push_back(i);
  }
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"/>"
          "<title>法治政府建设年度报告 比较 — reportpipe</title><style>"
          "body{font-family:sans-serif;margin:2em;color:#222;max-width:70em}"
          "table{border-collapse:collapse;margin:.5em 0 1.5em}"
          "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
          ".implied{color:#777;font-style:italic}.INCONSISTENT{color:#c00;font-weight:bold}"
          ".conflict{background:#fff3cd}section{margin-bottom:1.5em}"
          "section h3{margin-bottom:.2em}.chart{float:right;margin-left:1em}"
          "section::after{content:\"\";display:block;clear:both}"
          "</style></head><body>\n";
  html << "<h1>法治政府建设年度报告：逐年比较</h1>\n<p>" << response.rows_size() << " rows; "
       << series.size() << " indicators with more than one year, " << single.size()
       << " with one. Implied values (derived from a report's own change statement, never "
          "reported) are in grey italics and drawn hollow.</p>\n";

  // First what an analyst must see: claims the stored values contradict.
  std::ostringstream wrong;
  int inconsistent = 0;
  for (const auto& rows : groups) {
    for (const v1::ComparisonRow* r : rows) {
      for (const v1::Claim& c : r->claims()) {
        if (c.status() != v1::CLAIM_STATUS_INCONSISTENT) continue;
        ++inconsistent;
        wrong << "<li class=\"INCONSISTENT\">" << HtmlEscape(r->region()) << " · "
              << HtmlEscape(r->indicator()) << " · " << r->year() << ": “" << HtmlEscape(c.text())
              << "” states " << Number(c.claimed_change()) << HtmlEscape(c.unit())
              << "; the stored values give " << Number(c.computed_change()) << " (from "
              << Number(c.previous_value()) << " to " << Number(r->value()) << HtmlEscape(r->unit())
              << ")</li>\n";
      }
    }
  }
  html << "<h2>Claims that do not match the stored values (" << inconsistent << ")</h2>\n";
  if (inconsistent == 0) {
    html << "<p>None: every change a report states agrees with the stored values, or cannot be "
            "checked.</p>\n";
  } else {
    html << "<ul>\n" << wrong.str() << "</ul>\n";
  }

  html << "<h2>Year over year</h2>\n";
  for (size_t g : series) {
    const auto& rows = groups[g];
    const v1::ComparisonRow& head = *rows.front();
    html << "<section><h3>" << HtmlEscape(head.region()) << " · " << HtmlEscape(head.indicator())
         << (head.canonical_id().empty() ? "" : " <small>(" + HtmlEscape(head.canonical_id()) + ")</small>")
         << "</h3>\n" << Chart(rows)
         << "\n<table><tr><th>year</th><th>value</th><th>change</th>"
            "<th>the report's own claims</th><th>where</th></tr>\n";
    for (const v1::ComparisonRow* r : rows) {
      const bool implied = r->source() == v1::VALUE_SOURCE_IMPLIED;
      html << "<tr" << (r->conflicting() ? " class=\"conflict\"" : "") << "><td>" << r->year()
           << "</td><td" << (implied ? " class=\"implied\"" : "") << ">" << Number(r->value())
           << HtmlEscape(r->unit()) << (implied ? " (implied)" : "");
      for (const v1::AlternativeValue& a : r->alternatives()) {
        html << "<br/>also " << Number(a.value()) << HtmlEscape(a.unit()) << " in "
             << HtmlEscape(Basename(a.ref().report_id()));
      }
      html << "</td><td>";
      if (r->previous_year() != 0) {
        html << (r->change() >= 0 ? "+" : "") << Number(r->change()) << HtmlEscape(r->change_unit())
             << " vs " << r->previous_year();
      }
      html << "</td><td>";
      for (const v1::Claim& c : r->claims()) {
        html << "<div class=\"" << StatusText(c.status()) << "\">" << HtmlEscape(c.text()) << " — "
             << StatusText(c.status());
        if (c.status() == v1::CLAIM_STATUS_INCONSISTENT) {
          html << " (stored values give " << Number(c.computed_change()) << ")";
        }
        html << "</div>";
      }
      html << "</td><td>" << HtmlEscape(Basename(r->ref().report_id())) << " "
           << HtmlEscape(r->ref().section()) << "</td></tr>\n";
    }
    html << "</table></section>\n";
  }

  if (!single.empty()) {
    html << "<h2>Figures stated for one year only</h2>\n<table><tr><th>region</th><th>year</th>"
            "<th>indicator</th><th>value</th><th>where</th></tr>\n";
    for (size_t g : single) {
      const v1::ComparisonRow& r = *groups[g].front();
      const bool implied = r.source() == v1::VALUE_SOURCE_IMPLIED;
      html << "<tr><td>" << HtmlEscape(r.region()) << "</td><td>" << r.year() << "</td><td>"
           << HtmlEscape(r.indicator()) << "</td><td" << (implied ? " class=\"implied\"" : "")
           << ">" << Number(r.value()) << HtmlEscape(r.unit()) << "</td><td>"
           << HtmlEscape(Basename(r.ref().report_id())) << " " << HtmlEscape(r.ref().section())
           << "</td></tr>\n";
    }
    html << "</table>\n";
  }

  if (!ratio_checks.empty()) {
    html << "<h2>Rates checked against their counts</h2><table><tr><th>report</th>"
            "<th>rate</th><th>stated</th><th>counts</th><th>computed</th><th>check</th></tr>\n";
    for (const v1::RatioCheck& c : ratio_checks) {
      html << "<tr><td>" << HtmlEscape(Basename(c.report_id())) << "</td><td>"
           << HtmlEscape(c.indicator()) << "</td><td>" << Number(c.stated_rate()) << "%</td><td>"
           << HtmlEscape(c.numerator_indicator()) << " " << Number(c.numerator()) << " / "
           << HtmlEscape(c.denominator_indicator()) << " " << Number(c.denominator())
           << "</td><td>" << Number(c.computed_rate()) << "%</td><td class=\""
           << StatusText(c.status()) << "\">" << StatusText(c.status()) << "</td></tr>\n";
    }
    html << "</table>\n";
  }
  html << "</body></html>\n";
  return html.str();
}

}  // namespace reportpipe::cli
