// Rules out texts that cannot hold a match of a pattern before RE2 reads
// them: a match must contain at least one of the pattern's required words
// (its "atoms", as RE2's FilteredRE2 works them out), and a text with none
// of them holds no match.
//
//   RequiredWords words(*markers);      // the compiled pattern
//   if (words.MayMatch(sentence) && markers->Match(sentence, …)) …
//
// Why: each RE2 search costs a fixed hundred nanoseconds or so and then
// some 16 instructions a byte, and most sentences hold no target or
// cumulative marker, most number-led words no verb of change. Looking for a
// few words through text::HeadSet reads each byte once, far more cheaply.
//
// MayMatch answers true whenever a match is possible, so asking it first
// never changes a result: it is false only when no required word occurs.
// A pattern for which no such words can be given (one alternative is bare
// digits, say, or any required word would be shorter than three bytes) is
// always answered true, as is one with a word of characters that may have
// case: anything but ASCII other than letters and CJK (FilteredRE2 gives its
// words in lower case; these compare bytes).
#ifndef REPORTPIPE_SERVICES_EXTRACTOR_REQUIRED_WORDS_H_
#define REPORTPIPE_SERVICES_EXTRACTOR_REQUIRED_WORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/text/code_point_set.h"
#include "lib/text/heads.h"
#include "re2/re2.h"

namespace reportpipe::extractor {

class RequiredWords {
 public:
  // Words shorter than this are not looked for: a one- or two-byte word
  // (a digit, "19") is in nearly every text that holds a number, so
  // FilteredRE2 counts it as no requirement at all.
  static constexpr int kMinWordBytes = 3;

  explicit RequiredWords(const RE2& pattern);

  // False only if `text` holds none of the required words, so that
  // `pattern` cannot match anywhere in it.
  bool MayMatch(std::string_view text) const;

  // Whether MayMatch can ever say false (for tests and the docs).
  bool filters() const { return !always_; }
  const std::vector<std::string>& words() const { return words_; }

 private:
  // First three bytes of a word in a text, as one number: where a head
  // stands, each word is first compared on these (all are three bytes or
  // longer), most often the only comparison.
  static uint32_t FirstThree(const char* s) {
    const auto* u = reinterpret_cast<const unsigned char*>(s);
    return uint32_t{u[0]} | uint32_t{u[1]} << 8 | uint32_t{u[2]} << 16;
  }

  std::vector<std::string> words_;
  std::vector<uint32_t> first_three_;  // of each word, in words_' order
  // The first character of each word. The heads (two bytes) of 年, 十 and
  // 与 are shared with many common characters (并, 南, 上, 不); one bit
  // for the whole character settles nearly all of those before a word is
  // compared.
  text::CodePointSet first_characters_;
  text::HeadSet heads_;
  bool always_ = true;
};

}  // namespace reportpipe::extractor

#endif  // REPORTPIPE_SERVICES_EXTRACTOR_REQUIRED_WORDS_H_
