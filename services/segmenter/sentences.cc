#include "services/segmenter/sentences.h"

#include "lib/text/utf8.h"

namespace reportpipe::segmenter {
namespace {

// A quotation or bracket longer than this is taken for a stray mark.
constexpr size_t kMaxEnclosedBytes = 600;

bool IsOpener(char32_t c) {
  return c == U'“' || c == U'‘' || c == U'「' || c == U'『' || c == U'(' ||
         c == U'《' || c == U'【' || c == U'[' || c == U'〔';
}

bool IsCloser(char32_t c) {
  return c == U'”' || c == U'’' || c == U'」' || c == U'』' || c == U')' ||
         c == U'》' || c == U'】' || c == U']' || c == U'〕';
}

bool IsStop(char32_t c) {
  return c == U'。' || c == U'!' || c == U'?' || c == U';' || c == U'！' ||
         c == U'？' || c == U'；';
}

void Push(std::string_view t, size_t start, size_t end,
          std::vector<text::ByteSpan>* out) {
  while (start < end && (t[start] == ' ' || t[start] == '\n')) ++start;
  while (end > start && (t[end - 1] == ' ' || t[end - 1] == '\n')) --end;
  if (start < end) out->push_back({start, end});
}

}  // namespace

std::vector<text::ByteSpan> SplitSentences(std::string_view t, size_t begin,
                                           size_t end, bool wrapped) {
  std::vector<text::ByteSpan> out;
  size_t start = begin;
  int depth = 0;
  bool in_ascii_quote = false;
  size_t opened_at = 0;
  // An opener found to be stray, read as plain text when the scan comes past
  // it again (npos: none).
  size_t stray = std::string_view::npos;
  // A quotation or bracket open for too long by `pos`: a stray mark.
  const auto open_too_long = [&](size_t pos) {
    return (depth > 0 || in_ascii_quote) && pos - opened_at > kMaxEnclosedBytes;
  };
  for (size_t pos = begin; pos < end;) {
    // A lead byte E4–E9 decodes to U+4000–U+9FFF (Han characters, the bulk
    // of a report), which is none of the marks below and ends nothing: such
    // a character is stepped over without decoding, unless the stray-mark
    // rule must look at it.
    const unsigned char lead = static_cast<unsigned char>(t[pos]);
    if (lead >= 0xE4 && lead <= 0xE9 && pos + 3 <= end && !open_too_long(pos)) {
      pos += 3;
      continue;
    }
    char32_t c;
    const int len = text::DecodeUtf8(t, pos, &c);
    if (pos == stray) {
      // Plain text now.
    } else if (c == '"') {
      in_ascii_quote = !in_ascii_quote;
      if (in_ascii_quote && depth == 0) opened_at = pos;
    } else if (IsOpener(c)) {
      if (depth == 0 && !in_ascii_quote) opened_at = pos;
      ++depth;
    } else if (IsCloser(c) && depth > 0) {
      --depth;
    }
    if (open_too_long(pos)) {
      // Open for too long: a stray mark, not a quotation. Read again from
      // just after it as though it were not there, so that the sentences it
      // would have swallowed still split where they end.
      stray = opened_at;
      pos = opened_at;
      depth = 0;
      in_ascii_quote = false;
      continue;
    }
    pos += len;
    if (c == '\n' && !wrapped) {
      // Line ends close a sentence and any quotation left open on them.
      Push(t, start, pos, &out);
      start = pos;
      depth = 0;
      in_ascii_quote = false;
    } else if (IsStop(c) && depth == 0 && !in_ascii_quote) {
      // Closing quotes right after the mark belong to the sentence.
      while (pos < end) {
        char32_t next;
        const int next_len = text::DecodeUtf8(t, pos, &next);
        if (next != U'”' && next != U'’' && next != U'」') break;
        pos += next_len;
      }
      Push(t, start, pos, &out);
      start = pos;
    }
  }
  Push(t, start, end, &out);
  return out;
}

}  // namespace reportpipe::segmenter
