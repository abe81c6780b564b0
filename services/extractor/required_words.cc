#include "services/extractor/required_words.h"

#include "lib/text/affixes.h"
#include "lib/text/utf8.h"
#include "re2/filtered_re2.h"

namespace reportpipe::extractor {
namespace {

// Whether every code point of `word` is one that has no case: ASCII other
// than letters, CJK (U+2E80–U+9FFF: radicals, punctuation, kana, the
// unified ideographs; U+F900–U+FAFF) and the halfwidth and fullwidth forms
// other than the Latin letters (U+FF00–U+FFEF). FilteredRE2 lowercases its
// words; for these, lower case is the word itself, so a byte comparison is
// exact. Anything else is refused, cased or not: U+A640 and U+A722 on, say,
// have lower cases (RE2's unicode_tolower), and a refused word only means
// the pattern is always asked.
bool CaselessWord(std::string_view word) {
  if (!text::ValidateUtf8(word).ok()) return false;
  for (size_t p = 0; p < word.size();) {
    char32_t c = 0;
    p += static_cast<size_t>(text::DecodeUtf8(word, p, &c));
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return false;
      continue;
    }
    const bool cjk =
        (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
    const bool wide = c >= 0xFF00 && c <= 0xFFEF &&
                      !(c >= 0xFF21 && c <= 0xFF3A) &&
                      !(c >= 0xFF41 && c <= 0xFF5A);
    if (!cjk && !wide) return false;
  }
  return true;
}

}  // namespace

RequiredWords::RequiredWords(const RE2& pattern) {
  if (!pattern.ok()) return;
  re2::FilteredRE2 filter(kMinWordBytes);
  int id = 0;
  if (filter.Add(pattern.pattern(), pattern.options(), &id) != RE2::NoError) {
    return;
  }
  filter.Compile(&words_);
  // A pattern that passes the filter with no word found has no
  // requirement FilteredRE2 could state: it is always asked.
  std::vector<int> none;
  std::vector<int> passing;
  filter.AllPotentials(none, &passing);
  if (!passing.empty() || words_.empty()) {
    words_.clear();
    return;
  }
  for (const std::string& w : words_) {
    // All are kMinWordBytes or longer (FilteredRE2 counts bytes); checked,
    // since MayMatch compares that many bytes before the rest.
    if (w.size() < kMinWordBytes || !CaselessWord(w)) {
      words_.clear();
      return;
    }
    heads_.AddWord(w);
    first_three_.push_back(FirstThree(w.data()));
    char32_t first = 0;
    text::DecodeUtf8(w, 0, &first);  // valid: CaselessWord said so
    first_characters_.AddCodePoint(first);
  }
  always_ = false;
}

bool RequiredWords::MayMatch(std::string_view text) const {
  if (always_) return true;
  for (size_t p = heads_.Find(text, 0); p + kMinWordBytes <= text.size();
       p = heads_.FindAfter(text, p)) {
    // A character cut short by the text's end begins no word (the words are
    // whole UTF-8), and is not decoded.
    const unsigned char lead = static_cast<unsigned char>(text[p]);
    if (p + text::kSequenceLength[lead] > text.size()) break;
    char32_t first = 0;
    text::DecodeUtf8(text, p, &first);
    if (!first_characters_.Contains(first)) continue;
    const uint32_t three = FirstThree(text.data() + p);
    for (size_t i = 0; i < words_.size(); ++i) {
      if (first_three_[i] == three && text::HasWordAt(text, p, words_[i])) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace reportpipe::extractor
