// Random SYNTHETIC texts for the tests that compare a fast method with its
// reference: each text a run of pieces drawn at random, the same texts on
// every run for a seed.
#ifndef REPORTPIPE_TESTS_RANDOM_PIECES_H_
#define REPORTPIPE_TESTS_RANDOM_PIECES_H_

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace reportpipe::testing {

class RandomPieces {
 public:
  // Texts of `min_pieces` to `max_pieces` pieces, each drawn from `pieces`.
  RandomPieces(std::vector<std::string> pieces, uint32_t seed, int min_pieces,
               int max_pieces)
      : pieces_(std::move(pieces)),
        random_(seed),
        pick_(0, pieces_.size() - 1),
        length_(min_pieces, max_pieces) {}

  std::string Next() {
    std::string text;
    for (int n = length_(random_); n > 0; --n) text += pieces_[pick_(random_)];
    return text;
  }

 private:
  std::vector<std::string> pieces_;
  std::mt19937 random_;
  std::uniform_int_distribution<size_t> pick_;
  std::uniform_int_distribution<int> length_;
};

}  // namespace reportpipe::testing

#endif  // REPORTPIPE_TESTS_RANDOM_PIECES_H_
