// Prefix and suffix tests for the short literal words of the pattern packs
// (、, 分之, 百分之, measure words …).
//
// The extractor makes thousands of these tests a report and nearly all of
// them fail. Comparing one byte first settles most of them without a call to
// memcmp, which cost more than the comparison itself (callgrind: 1.7 million
// memcmp calls over 362 reports from separator trimming alone). The byte
// compared is the word's last: in UTF-8 the first byte of a Han character is
// shared by thousands of characters, its last byte by far fewer.
#ifndef REPORTPIPE_LIB_TEXT_AFFIXES_H_
#define REPORTPIPE_LIB_TEXT_AFFIXES_H_

#include <cstddef>
#include <cstring>
#include <string_view>

namespace reportpipe::text {

// True when `s` begins with `word`.
inline bool HasPrefix(std::string_view s, std::string_view word) {
  if (word.size() > s.size()) return false;
  if (word.empty()) return true;
  return s[word.size() - 1] == word.back() &&
         std::memcmp(s.data(), word.data(), word.size() - 1) == 0;
}

// True when `s` ends with `word`.
inline bool HasSuffix(std::string_view s, std::string_view word) {
  if (word.size() > s.size()) return false;
  if (word.empty()) return true;
  return s.back() == word.back() &&
         std::memcmp(s.data() + s.size() - word.size(), word.data(),
                     word.size() - 1) == 0;
}

// True when `word` stands in `s` at byte `pos` (false past the end).
inline bool HasWordAt(std::string_view s, size_t pos, std::string_view word) {
  return pos <= s.size() && HasPrefix(s.substr(pos), word);
}

// Where the last `word` in `s` starts, or npos (s.size() for an empty word,
// as std::string::rfind). std::string::rfind calls memcmp at every position.
inline size_t FindLast(std::string_view s, std::string_view word) {
  if (word.empty()) return s.size();
  for (size_t end = s.size(); end >= word.size(); --end) {
    if (s[end - 1] == word.back() &&
        std::memcmp(s.data() + end - word.size(), word.data(),
                    word.size() - 1) == 0) {
      return end - word.size();
    }
  }
  return std::string_view::npos;
}

}  // namespace reportpipe::text

#endif  // REPORTPIPE_LIB_TEXT_AFFIXES_H_
