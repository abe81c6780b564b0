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
                                           size_t end) {
  std::vector<text::ByteSpan> out;
  size_t start = begin;
  int depth = 0;
  bool in_ascii_quote = false;
  size_t opened_at = 0;
  // An opener found to be stray, read as plain text when the scan comes past
  // it again (npos: none).
  size_t stray = std::string_view::npos;
  for (size_t pos = begin; pos < end;) {
    // A Han character (lead byte E4–E9, U+4000–U+9FFF, the bulk of a
    // report) is none of the marks below and can end nothing: stepped over
    // without decoding, unless a quotation has been open too long by now.
    // Its two continuation bytes are checked, so that bytes that are not
    // UTF-8 still decode one at a time.
    const unsigned char lead = static_cast<unsigned char>(t[pos]);
    const bool open = depth > 0 || in_ascii_quote;
    if (lead >= 0xE4 && lead <= 0xE9 &&
        (!open || pos - opened_at <= kMaxEnclosedBytes) && pos + 3 <= end &&
        (t[pos + 1] & 0xC0) == 0x80 && (t[pos + 2] & 0xC0) == 0x80) {
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
    if ((depth > 0 || in_ascii_quote) && pos - opened_at > kMaxEnclosedBytes) {
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
    if (c == '\n') {
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
