#include "lib/text/heads.h"

#include <algorithm>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace reportpipe::text {
namespace {

constexpr int kGroups = 8;  // bits of a table entry

// Fills `by_low` and `by_high` so that, for every byte b of `set`,
// by_low[b & 15] & by_high[b >> 4] is not zero. The bytes that share their
// high four bits form a row, and its low four bits a mask of sixteen; rows
// with one mask share a group. Past eight masks the last group takes the
// rest of them all, a wider filter that still lets every byte of the set
// through.
void BuildTables(const std::bitset<256>& set, std::array<uint8_t, 16>* by_low,
                 std::array<uint8_t, 16>* by_high) {
  by_low->fill(0);
  by_high->fill(0);
  std::vector<uint16_t> masks;  // one per group, in order of first use
  for (int high = 0; high < 16; ++high) {
    uint16_t row = 0;
    for (int low = 0; low < 16; ++low) {
      if (set.test(static_cast<size_t>(high * 16 + low))) row |= 1u << low;
    }
    if (row == 0) continue;
    auto same = std::find(masks.begin(), masks.end(), row);
    size_t group = static_cast<size_t>(same - masks.begin());
    if (same == masks.end()) {
      if (masks.size() < kGroups) {
        masks.push_back(row);
      } else {
        group = kGroups - 1;
        masks[group] |= row;
      }
    }
    (*by_high)[high] |= static_cast<uint8_t>(1u << group);
  }
  for (size_t group = 0; group < masks.size(); ++group) {
    for (int low = 0; low < 16; ++low) {
      if (masks[group] & (1u << low)) {
        (*by_low)[low] |= static_cast<uint8_t>(1u << group);
      }
    }
  }
}

#if defined(__x86_64__)
// The bytes of `v` that the tables let through, as a mask of sixteen bits.
__attribute__((target("ssse3"))) inline __m128i Through(
    __m128i v, const std::array<uint8_t, 16>& by_low,
    const std::array<uint8_t, 16>& by_high) {
  const __m128i nibble = _mm_set1_epi8(0x0F);
  const __m128i low = _mm_and_si128(v, nibble);
  const __m128i high = _mm_and_si128(_mm_srli_epi16(v, 4), nibble);
  const __m128i low_groups = _mm_shuffle_epi8(
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(by_low.data())), low);
  const __m128i high_groups = _mm_shuffle_epi8(
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(by_high.data())), high);
  return _mm_and_si128(low_groups, high_groups);
}
#endif

// Fills `by_low` and `by_high` so that each byte of sets[k] has group k
// in both its entries: by_low[b & 15] & by_high[b >> 4] has bit k set.
// A group's bytes are taken as the product of their low and high halves
// (E4 and B8 in one group let B4 and E8 through too).
void BuildGroupTables(const std::vector<std::bitset<256>>& sets,
                      std::array<uint8_t, 16>* by_low,
                      std::array<uint8_t, 16>* by_high) {
  by_low->fill(0);
  by_high->fill(0);
  for (size_t k = 0; k < sets.size(); ++k) {
    for (size_t b = 0; b < 256; ++b) {
      if (!sets[k].test(b)) continue;
      (*by_low)[b & 15] |= static_cast<uint8_t>(1u << k);
      (*by_high)[b >> 4] |= static_cast<uint8_t>(1u << k);
    }
  }
}

}  // namespace

void HeadSet::AddWord(std::string_view word) {
  if (word.empty()) return;
  const auto first = static_cast<unsigned char>(word[0]);
  if (word.size() == 1) {
    AddFirstByte(first);
    return;
  }
  const auto second = static_cast<unsigned char>(word[1]);
  if (kSequenceLength[first] != 3 || word.size() < 3 ||
      (second & 0xC0) != 0x80 || (word[2] & 0xC0) != 0x80) {
    AddPair(first, second);
    return;
  }
  const auto third = static_cast<unsigned char>(word[2]);
  Set(&bits_, first, second);
  characters_.set((first & 0x0Fu) << 12 | (second & 0x3Fu) << 6 |
                  (third & 0x3Fu));
  for (Pair& p : pairs_) {
    if (p.first == first && p.second == second) {
      p.thirds.set(third);
      BuildFilter();
      return;
    }
  }
  pairs_.push_back(Pair{first, second, {}});
  pairs_.back().thirds.set(third);
  BuildFilter();
}

void HeadSet::AddPair(unsigned char first, unsigned char second) {
  Set(&bits_, first, second);
  Set(&any_third_, first, second);
  for (Pair& p : pairs_) {
    if (p.first == first && p.second == second) {
      p.thirds.set();
      BuildFilter();
      return;
    }
  }
  pairs_.push_back(Pair{first, second, {}});
  pairs_.back().thirds.set();
  BuildFilter();
}

void HeadSet::AddFirstByte(unsigned char first) {
  for (unsigned second = 0; second < 256; ++second) {
    Set(&bits_, first, second);
    Set(&any_third_, first, second);
  }
  first_bytes_.set(first);
  BuildFilter();
}

void HeadSet::BuildFilter() {
  BuildTables(first_bytes_, &tables_[0], &tables_[1]);
  // Pairs in order of their bytes, in eight runs of about equal length, a
  // group each: pairs that share a first byte most often share a group.
  std::vector<Pair> sorted = pairs_;
  std::sort(sorted.begin(), sorted.end(), [](const Pair& a, const Pair& b) {
    return a.first != b.first ? a.first < b.first : a.second < b.second;
  });
  const size_t groups = std::min<size_t>(kGroups, sorted.size());
  std::vector<std::bitset<256>> firsts(groups), seconds(groups), thirds(groups);
  for (size_t i = 0; i < sorted.size(); ++i) {
    const size_t k = i * groups / sorted.size();
    firsts[k].set(sorted[i].first);
    seconds[k].set(sorted[i].second);
    thirds[k] |= sorted[i].thirds;
  }
  BuildGroupTables(firsts, &tables_[2], &tables_[3]);
  BuildGroupTables(seconds, &tables_[4], &tables_[5]);
  BuildGroupTables(thirds, &tables_[6], &tables_[7]);
#if defined(__x86_64__)
  // Initialised here too: a HeadSet built in a static constructor may run
  // before the runtime has read the processor's features.
  __builtin_cpu_init();
  block_filter_ = __builtin_cpu_supports("ssse3");
#endif
}

#if defined(__x86_64__)

__attribute__((target("ssse3"))) size_t HeadSet::FindByBlocks(
    const unsigned char* s, size_t n, size_t* pos) const {
  size_t p = *pos;
  const __m128i zero = _mm_setzero_si128();
  for (; n - p >= kBlockReach; p += 16) {
    const __m128i here =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p));
    const __m128i next =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p + 1));
    const __m128i after_next =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p + 2));
    const __m128i pair_groups = _mm_and_si128(
        Through(here, tables_[2], tables_[3]),
        _mm_and_si128(Through(next, tables_[4], tables_[5]),
                      Through(after_next, tables_[6], tables_[7])));
    const __m128i groups =
        _mm_or_si128(Through(here, tables_[0], tables_[1]), pair_groups);
    unsigned candidates = ~static_cast<unsigned>(
                              _mm_movemask_epi8(_mm_cmpeq_epi8(groups, zero))) &
                          0xFFFFu;
    while (candidates != 0) {
      const size_t at = p + static_cast<size_t>(__builtin_ctz(candidates));
      if ((s[at] & 0xC0) != 0x80 && HeadAt(s, n, at)) return at;
      candidates &= candidates - 1;
    }
  }
  *pos = p;
  return kNotInBlocks;
}

#else

size_t HeadSet::FindByBlocks(const unsigned char*, size_t, size_t*) const {
  return kNotInBlocks;
}

#endif

}  // namespace reportpipe::text
