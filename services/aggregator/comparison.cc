#include "services/aggregator/comparison.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "lib/json/json_line.h"

namespace reportpipe::aggregator {
namespace {

// A row's coordinates.
struct RowKey {
  std::string region;
  std::string key;
  int year = 0;
  bool operator<(const RowKey& o) const {
    return std::tie(region, key, year) < std::tie(o.region, o.key, o.year);
  }
};

// A value that could fill a row, and whether that year's report states it.
struct Candidate {
  const StoredMetric* stored;
  bool same_year;
};

// The year a VALUE metric's figure is for, or nullopt for what never
// enters a year's row (cumulative and multi-year figures, targets, changes,
// earlier levels).
std::optional<int> ValueYear(const StoredMetric& s) {
  const v1::Metric& m = s.metric;
  if (m.kind() != v1::METRIC_KIND_VALUE && m.kind() != v1::METRIC_KIND_UNSPECIFIED) {
    return std::nullopt;
  }
  switch (m.period().kind()) {
    case v1::PERIOD_KIND_CUMULATIVE:
    case v1::PERIOD_KIND_RANGE:
      return std::nullopt;
    case v1::PERIOD_KIND_YEAR:
      return m.period().year() != 0 ? m.period().year() : s.report_year;
    default:
      return s.report_year;
  }
}

v1::SourceRef Ref(const StoredMetric& s) {
  v1::SourceRef ref;
  ref.set_report_id(s.report_id);
  ref.set_source(s.source);
  ref.set_report_year(s.report_year);
  ref.set_section(s.metric.section());
  ref.set_sentence(s.metric.sentence());
  *ref.mutable_span() = s.metric.span();
  ref.set_content_hash(s.content_hash);
  return ref;
}

bool SameValue(double a, const std::string& ua, double b, const std::string& ub) {
  return ua == ub && std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(a));
}

// Digits after the decimal point of a number as a report writes it.
int Decimals(double v) {
  const std::string text = json::FormatNumber(v);
  const size_t point = text.find('.');
  return point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
}

// How far a computed number may be from a stated one that was rounded to
// its last digit.
double Tolerance(double stated) { return 0.5 * std::pow(10.0, -Decimals(stated)) + 1e-9; }

double RoundTo(double v, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}

// The clause of the sentence that holds the claim (较上年下降4.2个百分点).
// The offsets index the sentence's original bytes; a sentence stored
// without its line breaks (text copied out of a PDF) is shorter, and is
// given whole rather than cut at offsets that no longer fall on its
// characters.
std::string ClaimText(const v1::Metric& m) {
  const std::string& sentence = m.sentence();
  if (m.span().start() < m.sentence_span().start() ||
      m.sentence_span().end() - m.sentence_span().start() != sentence.size()) {
    return sentence;
  }
  const size_t start = m.span().start() - m.sentence_span().start();
  const size_t end = m.span().end() - m.sentence_span().start();
  if (end > sentence.size() || start > end) return sentence;
  size_t from = 0;
  for (const char* mark : {"，", ",", "；", ";", "。", "：", ":"}) {
    const size_t p = sentence.rfind(mark, start);
    if (p != std::string::npos && p < start) {
      from = std::max(from, p + std::strlen(mark));
    }
  }
  return sentence.substr(from, end - from);
}

std::string FoldLabel(const std::string& label) {
  std::string out;
  for (size_t i = 0; i < label.size();) {
    // Quotes and spaces say nothing of the indicator.
    bool skip = false;
    for (const char* q : {"“", "”", "‘", "’", "\"", " "}) {
      const size_t n = std::strlen(q);
      if (label.compare(i, n, q) == 0) {
        i += n;
        skip = true;
        break;
      }
    }
    if (!skip) out.push_back(label[i++]);
  }
  return out;
}

// What a claimed change says about the other year, given one year's value:
// the earlier value from the later one (forward = false) or the later from
// the earlier. A rate's change in % is read in percentage points, as most
// reports mean it (通过率88.8%，较上一年提高13.8% → 75.0%).
std::optional<double> Apply(const std::string& row_unit, const std::string& claim_unit,
                            double claimed, double known, bool forward) {
  const int decimals = std::max({Decimals(known), Decimals(claimed), 1});
  if (claim_unit == "pp" || (claim_unit == "%" && row_unit == "%") ||
      claim_unit == row_unit) {
    return RoundTo(forward ? known + claimed : known - claimed, decimals);
  }
  if (claim_unit == "%") {
    const double factor = 1 + claimed / 100;
    if (factor <= 0) return std::nullopt;
    // As precise as the stated value it comes from: a count stays whole.
    return RoundTo(forward ? known * factor : known / factor, Decimals(known));
  }
  return std::nullopt;
}

// Checks a claim against two stored values; sets status and computed change.
void Check(const std::string& row_unit, double previous, double current,
           v1::Claim* claim) {
  const double claimed = claim->claimed_change();
  const std::string& unit = claim->unit();
  std::vector<std::pair<double, double>> readings;  // computed, slack
  if (unit == "pp" && row_unit == "%") {
    readings.push_back({current - previous, 0});
  } else if (unit == "%") {
    if (previous != 0) readings.push_back({(current - previous) / previous * 100, 0.05});
    if (row_unit == "%") readings.push_back({current - previous, 0});
  } else if (unit == row_unit) {
    readings.push_back({current - previous, 0});
  }
  claim->set_previous_value(previous);
  if (readings.empty()) {
    claim->set_status(v1::CLAIM_STATUS_UNVERIFIABLE);
    return;
  }
  const auto closest = std::min_element(
      readings.begin(), readings.end(), [claimed](const auto& a, const auto& b) {
        return std::fabs(a.first - claimed) < std::fabs(b.first - claimed);
      });
  claim->set_computed_change(RoundTo(closest->first, 4));
  const bool consistent =
      std::fabs(closest->first - claimed) <= Tolerance(claimed) + closest->second;
  claim->set_status(consistent ? v1::CLAIM_STATUS_CONSISTENT
                               : v1::CLAIM_STATUS_INCONSISTENT);
}

bool Selected(const v1::ComparisonRow& row, const std::string& key,
              const v1::CompareRequest& request) {
  if (!request.region().empty() && row.region() != request.region()) return false;
  if (request.from_year() != 0 && row.year() < request.from_year()) return false;
  if (request.to_year() != 0 && row.year() > request.to_year()) return false;
  const std::string& want = request.indicator();
  return want.empty() || row.canonical_id() == want || key == want ||
         row.indicator().find(want) != std::string::npos;
}

}  // namespace

Directions::Directions(const config::v1::Catalog& catalog) {
  for (const config::v1::Indicator& ind : catalog.indicators()) {
    better_[ind.id()] = ind.better();
  }
}

v1::Better Directions::For(const std::string& canonical_id) const {
  auto it = better_.find(canonical_id);
  return it == better_.end() ? v1::BETTER_UNSPECIFIED : it->second;
}

std::string IndicatorKey(const v1::Metric& metric) {
  if (!metric.canonical_id().empty()) return metric.canonical_id();
  std::string key = "label:" + FoldLabel(metric.indicator());
  const std::string& label = metric.indicator();
  const bool bare = label.size() <= 12 ||
                    (label.size() >= 3 && label.compare(label.size() - 3, 3, "率") == 0);
  if (bare && !metric.topic().empty()) key += "@" + FoldLabel(metric.topic());
  return key;
}

v1::CompareResponse Compare(const std::vector<StoredMetric>& metrics,
                            const v1::CompareRequest& request,
                            const Directions& directions) {
  // 1. Values into rows: that year's report first, a later report's series
  // only where that year's report is silent.
  std::map<RowKey, std::vector<Candidate>> groups;
  for (const StoredMetric& s : metrics) {
    const std::optional<int> year = ValueYear(s);
    if (!year) continue;
    groups[{s.region, IndicatorKey(s.metric), *year}].push_back(
        {&s, s.report_year == *year});
  }
  std::map<RowKey, v1::ComparisonRow> rows;
  for (auto& [key, candidates] : groups) {
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                       return a.same_year && !b.same_year;
                     });
    const StoredMetric& chosen = *candidates.front().stored;
    v1::ComparisonRow& row = rows[key];
    row.set_region(key.region);
    row.set_year(key.year);
    row.set_indicator(chosen.metric.indicator());
    row.set_canonical_id(chosen.metric.canonical_id());
    row.set_value(chosen.metric.value());
    row.set_unit(chosen.metric.unit());
    row.set_qualifier(chosen.metric.qualifier());
    row.set_source(v1::VALUE_SOURCE_REPORTED);
    *row.mutable_ref() = Ref(chosen);
    row.set_better(directions.For(chosen.metric.canonical_id()));
    for (size_t i = 1; i < candidates.size(); ++i) {
      const v1::Metric& m = candidates[i].stored->metric;
      if (SameValue(m.value(), m.unit(), row.value(), row.unit())) continue;
      bool known = false;
      for (const v1::AlternativeValue& a : row.alternatives()) {
        known = known || SameValue(m.value(), m.unit(), a.value(), a.unit());
      }
      if (known) continue;
      v1::AlternativeValue* alt = row.add_alternatives();
      alt->set_value(m.value());
      alt->set_unit(m.unit());
      alt->set_qualifier(m.qualifier());
      *alt->mutable_ref() = Ref(*candidates[i].stored);
      row.set_conflicting(true);
    }
  }

  // 2. Each report's own change statements, checked against the stored
  // values; where a year is missing, the value the claim implies.
  std::map<std::pair<std::string, std::string>, std::string> last_value_key;
  std::map<RowKey, std::vector<v1::Claim>> claims;
  std::map<RowKey, v1::ComparisonRow> implied;
  for (const StoredMetric& s : metrics) {
    const v1::Metric& m = s.metric;
    if (m.kind() == v1::METRIC_KIND_VALUE) {
      last_value_key[{s.content_hash, m.indicator()}] = IndicatorKey(m);
      continue;
    }
    if (m.kind() != v1::METRIC_KIND_CHANGE) continue;
    // A change is about the value its sentence stated before it (通过率为
    // 88.8%，较上一年提高13.8%), else about its own label.
    auto known = last_value_key.find({s.content_hash, m.indicator()});
    const std::string key = known != last_value_key.end() ? known->second : IndicatorKey(m);
    const int year = m.period().year() != 0 ? m.period().year() : s.report_year;
    v1::Claim claim;
    claim.set_text(ClaimText(m));
    claim.set_claimed_change(m.direction() == v1::DIRECTION_DOWN ? -m.value() : m.value());
    claim.set_unit(m.unit());
    *claim.mutable_ref() = Ref(s);
    claim.set_status(v1::CLAIM_STATUS_UNVERIFIABLE);
    const RowKey here{s.region, key, year};
    const RowKey before{s.region, key, year - 1};
    auto current = rows.find(here);
    auto previous = rows.find(before);
    if (current != rows.end() && previous != rows.end() &&
        previous->second.unit() == current->second.unit()) {
      Check(current->second.unit(), previous->second.value(), current->second.value(), &claim);
    } else if (current != rows.end() && previous == rows.end() && !implied.count(before)) {
      const v1::ComparisonRow& cur = current->second;
      if (auto value = Apply(cur.unit(), claim.unit(), claim.claimed_change(), cur.value(), false)) {
        v1::ComparisonRow row = cur;
        row.set_year(year - 1);
        row.set_value(*value);
        row.set_qualifier(v1::QUALIFIER_EXACT);
        row.set_source(v1::VALUE_SOURCE_IMPLIED);
        *row.mutable_ref() = claim.ref();
        row.clear_alternatives();
        row.set_conflicting(false);
        implied[before] = row;
      }
    } else if (current == rows.end() && previous != rows.end() && !implied.count(here)) {
      // Only the change is stated: it implies this year's value.
      const v1::ComparisonRow& prev = previous->second;
      if (auto value = Apply(prev.unit(), claim.unit(), claim.claimed_change(), prev.value(), true)) {
        v1::ComparisonRow row = prev;
        row.set_year(year);
        row.set_value(*value);
        row.set_qualifier(v1::QUALIFIER_EXACT);
        row.set_source(v1::VALUE_SOURCE_IMPLIED);
        *row.mutable_ref() = claim.ref();
        row.clear_alternatives();
        row.set_conflicting(false);
        implied[here] = row;
      }
    }
    claims[here].push_back(std::move(claim));
  }
  for (auto& [key, row] : implied) {
    if (!rows.count(key)) rows[key] = row;
  }

  // 3. The previous reported year of each row, and the change from it.
  v1::CompareResponse out;
  const v1::ComparisonRow* last = nullptr;
  const RowKey* last_key = nullptr;
  for (auto& [key, row] : rows) {
    if (last_key && (last_key->region != key.region || last_key->key != key.key)) {
      last = nullptr;
    }
    if (last != nullptr && last->unit() == row.unit()) {
      row.set_previous_year(last->year());
      row.set_previous_value(last->value());
      row.set_change(RoundTo(row.value() - last->value(), 6));
      row.set_change_unit(row.unit() == "%" ? "pp" : row.unit());
      row.set_change_ratio(last->value() != 0 ? (row.value() - last->value()) / last->value()
                                              : 0);
    }
    if (row.source() == v1::VALUE_SOURCE_REPORTED) {
      last = &row;
      last_key = &key;
    }
    if (auto it = claims.find(key); it != claims.end()) {
      for (v1::Claim& claim : it->second) *row.add_claims() = claim;
    }
    if (Selected(row, key.key, request)) *out.add_rows() = row;
  }
  return out;
}

v1::CompareRegionsResponse CompareRegions(
    const std::vector<StoredMetric>& metrics,
    const v1::CompareRegionsRequest& request, const Directions& directions) {
  v1::CompareRequest filter;
  filter.set_indicator(request.indicator());
  filter.set_from_year(request.year());
  filter.set_to_year(request.year());
  v1::CompareResponse all = Compare(metrics, filter, directions);
  v1::CompareRegionsResponse out;
  std::vector<v1::ComparisonRow> rows;
  for (const v1::ComparisonRow& row : all.rows()) {
    if (row.source() == v1::VALUE_SOURCE_REPORTED) rows.push_back(row);
  }
  const v1::Better better = rows.empty() ? v1::BETTER_UNSPECIFIED : rows.front().better();
  out.set_better(better);
  std::stable_sort(rows.begin(), rows.end(),
                   [better](const v1::ComparisonRow& a, const v1::ComparisonRow& b) {
                     return better == v1::BETTER_LOWER ? a.value() < b.value()
                                                       : a.value() > b.value();
                   });
  for (size_t i = 0; i < rows.size(); ++i) {
    if (better != v1::BETTER_UNSPECIFIED) {
      // Equal values share a rank.
      const bool tie = i > 0 && rows[i].value() == rows[i - 1].value();
      rows[i].set_rank(tie ? rows[i - 1].rank() : static_cast<int>(i) + 1);
    }
    *out.add_rows() = rows[i];
  }
  return out;
}

std::vector<v1::RatioCheck> CheckRatios(const std::vector<StoredMetric>& report) {
  std::vector<v1::RatioCheck> out;
  for (size_t i = 0; i < report.size(); ++i) {
    const v1::Metric& rate = report[i].metric;
    if (rate.unit() != "%" || rate.kind() != v1::METRIC_KIND_VALUE) continue;
    const std::string& label = rate.indicator();
    if (label.size() < 9 || label.compare(label.size() - 3, 3, "率") != 0) continue;
    // The rate's own word (化解 of 化解率) must name the numerator.
    const std::string stem = label.substr(label.size() - 9, 6);
    std::vector<const v1::Metric*> counts;
    for (size_t j = 0; j < i; ++j) {
      const v1::Metric& m = report[j].metric;
      if (m.sentence_span().start() == rate.sentence_span().start() &&
          m.kind() == v1::METRIC_KIND_VALUE && m.unit() != "%" && m.unit() != "pp") {
        counts.push_back(&m);
      }
    }
    if (counts.size() < 2) continue;
    // The two counts right before the rate: the whole, then the part
    // (接收委托化解案件37件，化解成功19件，化解率…; 受理X件，办结Y件，办结率…).
    const v1::Metric& numerator = *counts.back();
    const v1::Metric& denominator = *counts[counts.size() - 2];
    if (numerator.indicator().find(stem) == std::string::npos ||
        numerator.unit() != denominator.unit() || denominator.value() <= 0 ||
        numerator.value() > denominator.value()) {
      continue;
    }
    v1::RatioCheck check;
    check.set_report_id(report[i].report_id);
    check.set_indicator(label);
    check.set_stated_rate(rate.value());
    check.set_numerator_indicator(numerator.indicator());
    check.set_numerator(numerator.value());
    check.set_denominator_indicator(denominator.indicator());
    check.set_denominator(denominator.value());
    const double computed = numerator.value() / denominator.value() * 100;
    check.set_computed_rate(RoundTo(computed, 4));
    check.set_status(std::fabs(computed - rate.value()) <= Tolerance(rate.value())
                         ? v1::CLAIM_STATUS_CONSISTENT
                         : v1::CLAIM_STATUS_INCONSISTENT);
    check.set_sentence(rate.sentence());
    out.push_back(std::move(check));
  }
  return out;
}

}  // namespace reportpipe::aggregator
