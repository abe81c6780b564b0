// Reads the metrics of one sentence: numbers from the grammar, labels from
// the words around them, and what the sentence's shape says about them —
// lists zipped by 分别, values shared by 均, from-to pairs (由A压缩至B),
// changes (同比下降X), targets in plans, cumulative figures, and the topic a
// bare rate takes from the counts before it.
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_SENTENCE_READER_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_SENTENCE_READER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "re2/re2.h"
#include "reportpipe/config/v1/pack.pb.h"
#include "reportpipe/v1/metric.pb.h"
#include "services/extractor/catalog_matcher.h"
#include "services/extractor/labels.h"
#include "services/extractor/number_grammar.h"
#include "services/extractor/required_words.h"
#include "services/extractor/table_rows.h"

namespace reportpipe::extractor {

// Where a sentence stands.
struct SentenceContext {
  // The folded text of the whole report.
  std::string_view text;
  // The sentence in it.
  size_t begin = 0;
  size_t end = 0;
  // The sentence stands in a plan section.
  bool plan = false;
  // The year the report is about (0 when unknown).
  int report_year = 0;
  // The first count of the sentence before, in the same paragraph: the topic
  // of a bare rate that opens a sentence.
  std::string_view previous_topic;
  // The numbers of the sentence, when the caller found them for the whole
  // text at once (null: Read finds them itself).
  const std::vector<Mention>* mentions = nullptr;
};

// Where a metric Read appended stands in the folded text (the caller maps it
// back to the original).
struct FoundSpan {
  size_t start = 0;
  size_t end = 0;
};

class SentenceReader {
 public:
  static absl::StatusOr<std::unique_ptr<SentenceReader>> Create(
      const config::v1::PatternPack& pack, const config::v1::Catalog& catalog);

  // Appends the sentence's metrics to `metrics`, and returns where each
  // stands: one span for each metric appended, in the same order. The
  // metrics are made by `metrics` itself, so on its arena when it has one:
  // the extractor's streams build their answers on an arena, where some 800
  // small allocations a report cost a pointer bump each.
  std::vector<FoundSpan> Read(
      const SentenceContext& context,
      google::protobuf::RepeatedPtrField<v1::Metric>* metrics) const;

  // Appends the figures of a table's data row (table_rows.h): a metric for
  // each cell that holds a figure under a column whose header names one (a
  // year, 数值, 上年, 目标, 同比), and returns where each stands, as Read
  // does. `columns` holds what each cell of the row is under.
  std::vector<FoundSpan> ReadTableRow(
      const std::vector<TableCell>& row,
      const std::vector<TableColumn>& columns, const SentenceContext& context,
      google::protobuf::RepeatedPtrField<v1::Metric>* metrics) const;

  // The numbers of a whole text, found in one pass: far cheaper than a pass
  // per sentence, since each regex call has a fixed cost.
  std::vector<Mention> FindNumbers(std::string_view text) const {
    return grammar_->Find(text, 0, text.size());
  }

 private:
  struct Slot;
  void Label(const SentenceContext& c, std::vector<Slot>* slots) const;
  std::string CanonicalId(const std::string& label, const std::string& topic,
                          const std::string& unit) const;
  std::string PreviousClauseLabel(const SentenceContext& c,
                                  const std::vector<Slot>& slots,
                                  size_t clause_start) const;
  void OfTheListBefore(const SentenceContext& c, size_t clause_start,
                       std::string* label) const;
  std::string OfTheListNamedBefore(const SentenceContext& c,
                                   size_t clause_start,
                                   const std::string& label) const;

  std::unique_ptr<NumberGrammar> grammar_;
  std::unique_ptr<LabelRules> labels_;
  std::unique_ptr<CatalogMatcher> catalog_;
  std::unique_ptr<RE2> change_;
  std::unique_ptr<RE2> change_pp_;
  // A basis that ends the words before a figure (实现同比), and a verb of
  // change after it (的增长): 同比18.3%的增长.
  std::unique_ptr<RE2> basis_at_end_;
  std::unique_ptr<RE2> verb_after_;
  std::unique_ptr<RE2> up_;
  // 分别 before a zipped list: its basis of change and verb, if any.
  std::unique_ptr<RE2> respectively_;
  std::unique_ptr<RE2> basis_;
  std::unique_ptr<RE2> target_;
  std::unique_ptr<RE2> cumulative_;
  // Both of the above as one pattern, target first: a sentence with neither
  // (most) is read once, not twice.
  std::unique_ptr<RE2> markers_;
  // The words one of markers_ or basis_ needs (required_words.h): most
  // sentences hold no marker, and most words before a number no basis of
  // change, which these say without RE2 reading them.
  std::unique_ptr<RequiredWords> marker_words_;
  std::unique_ptr<RequiredWords> basis_words_;
  std::vector<std::string> subset_words_;
};

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_SENTENCE_READER_H_
