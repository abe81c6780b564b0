#include "services/extractor/catalog_matcher.h"

#include <algorithm>
#include <atomic>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace reportpipe::extractor {
namespace {

re2::StringPiece Piece(std::string_view s) { return {s.data(), s.size()}; }

absl::StatusOr<std::unique_ptr<RE2>> Compile(
    const std::string& id,
    const google::protobuf::RepeatedPtrField<std::string>& terms) {
  if (terms.empty()) return std::unique_ptr<RE2>();
  std::vector<std::string> parts;
  for (const std::string& t : terms)
    parts.push_back(absl::StrCat("(?:", t, ")"));
  auto re =
      std::make_unique<RE2>(absl::StrCat("(", absl::StrJoin(parts, "|"), ")"));
  if (!re->ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("indicator ", id, ": bad pattern: ", re->error()));
  }
  return re;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CatalogMatcher>> CatalogMatcher::Create(
    const config::v1::Catalog& catalog) {
  static std::atomic<uint64_t> generations{0};
  auto m = std::unique_ptr<CatalogMatcher>(new CatalogMatcher());
  m->generation_ = ++generations;
  RE2::Options options;
  // Many entries in one set: give it room, and fail loudly if it runs out
  // rather than silently matching nothing (see ../shared/docs/REPORTS.md).
  options.set_max_mem(64 << 20);
  m->set_ = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  for (const config::v1::Indicator& ind : catalog.indicators()) {
    if (ind.terms().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("indicator ", ind.id(), " has no terms"));
    }
    Entry e;
    e.id = ind.id();
    absl::StatusOr<std::unique_ptr<RE2>> re = Compile(ind.id(), ind.terms());
    if (!re.ok()) return re.status();
    e.terms = *std::move(re);
    re = Compile(ind.id(), ind.topic_terms());
    if (!re.ok()) return re.status();
    e.topic = *std::move(re);
    re = Compile(ind.id(), ind.exclude_terms());
    if (!re.ok()) return re.status();
    e.exclude = *std::move(re);
    e.units.assign(ind.units().begin(), ind.units().end());
    std::string error;
    if (m->set_->Add(e.terms->pattern(), &error) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("indicator ", ind.id(), ": ", error));
    }
    m->entries_.push_back(std::move(e));
  }
  if (!m->set_->Compile()) {
    return absl::ResourceExhaustedError(
        "indicator catalog is too large for RE2::Set's memory budget");
  }
  return m;
}

std::string CatalogMatcher::Match(std::string_view label,
                                  std::string_view topic,
                                  std::string_view unit) const {
  // Labels repeat across the reports of a batch; the answer depends on
  // nothing else, so each thread keeps the answers it has found. A thread
  // cache needs no lock; it is cleared when it grows past a few thousand.
  constexpr size_t kMaxCached = 4096;
  thread_local absl::flat_hash_map<std::string, std::string> cache;
  // The key is built in one buffer per thread, kept between calls: a label
  // or topic of six Han characters is past the small-string size, and a new
  // key each call cost an allocation for an answer that is nearly always
  // cached. The generation goes in as its eight bytes.
  thread_local std::string key;
  key.assign(reinterpret_cast<const char*>(&generation_), sizeof(generation_));
  key.append(label).append("\x1f").append(topic).append("\x1f").append(unit);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() >= kMaxCached) cache.clear();
  std::string id = MatchUncached(label, topic, unit);
  cache.emplace(key, id);
  return id;
}

std::string CatalogMatcher::MatchUncached(std::string_view label,
                                          std::string_view topic,
                                          std::string_view unit) const {
  std::vector<int> hits;
  RE2::Set::ErrorInfo info;
  if (!set_->Match(Piece(label), &hits, &info)) return "";
  const std::string both =
      absl::StrCat(std::string(label), "|", std::string(topic));
  const Entry* best = nullptr;
  size_t best_length = 0;
  bool best_topic = false;
  for (int i : hits) {
    const Entry& e = entries_[i];
    if (!e.units.empty() &&
        std::find(e.units.begin(), e.units.end(), unit) == e.units.end()) {
      continue;
    }
    if (e.topic && !RE2::PartialMatch(both, *e.topic)) continue;
    if (e.exclude && RE2::PartialMatch(both, *e.exclude)) continue;
    re2::StringPiece matched;
    if (!RE2::PartialMatch(Piece(label), *e.terms, &matched)) continue;
    const bool has_topic = e.topic != nullptr;
    // Longer terms are more specific; at equal length an entry whose topic
    // was confirmed wins.
    if (best == nullptr || matched.size() > best_length ||
        (matched.size() == best_length && has_topic && !best_topic)) {
      best = &e;
      best_length = matched.size();
      best_topic = has_topic;
    }
  }
  return best ? best->id : "";
}

}  // namespace reportpipe::extractor
