#include "lib/text/content_hash.h"

#include "gtest/gtest.h"

namespace reportpipe::text {
namespace {

TEST(ContentHashTest, IsSha256InHex) {
  // The published SHA-256 of "abc".
  EXPECT_EQ(ContentHash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ContentHashTest, DiffersForOneChangedByte) {
  EXPECT_NE(ContentHash("办理人大代表建议39件"), ContentHash("办理人大代表建议38件"));
}

}  // namespace
}  // namespace reportpipe::text
