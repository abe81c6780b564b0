// Names for SYNTHETIC test and benchmark reports: a distinct fictional county
// for each number, so that every generated report has its own identity.
#ifndef REPORTPIPE_TESTS_SYNTHETIC_REGION_H_
#define REPORTPIPE_TESTS_SYNTHETIC_REGION_H_

#include <string>

namespace reportpipe::testing {

// `prefix`, then i's digits as heavenly stems, then 县 (合成乙甲县 for 10).
// Stems, because the title reader takes no digits inside a region's name.
inline std::string SyntheticRegion(int i, const std::string& prefix) {
  static const char* const kStems[] = {"甲", "乙", "丙", "丁", "戊",
                                       "己", "庚", "辛", "壬", "癸"};
  std::string name = "县";
  do {
    name = kStems[i % 10] + name;
    i /= 10;
  } while (i > 0);
  return prefix + name;
}

}  // namespace reportpipe::testing

#endif  // REPORTPIPE_TESTS_SYNTHETIC_REGION_H_
