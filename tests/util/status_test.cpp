#include "util/status.h"

#include <gtest/gtest.h>

namespace photomap {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return InvalidInput("value: expected > 0, got " + std::to_string(v));
  return v;
}

Status Chain(int v) {
  PHOTOMAP_RETURN_IF_ERROR(ParsePositive(v));
  return Status::Ok();
}

TEST(StatusTest, ResultHoldsValueOrError) {
  auto good = ParsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  auto bad = ParsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(bad.error().message, "value: expected > 0, got -1");
}

TEST(StatusTest, ReturnIfErrorPropagates) {
  EXPECT_TRUE(Chain(1).ok());
  Status s = Chain(0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidInput);
}

TEST(StatusTest, ContextPrefixesMessage) {
  Error e = NotFound("no such file").WithContext("config.yaml");
  EXPECT_EQ(e.message, "config.yaml: no such file");
  EXPECT_STREQ(ErrorKindName(e.kind), "not_found");
}

TEST(StatusTest, ErrnoErrorNamesCause) {
  Error e = ErrnoError("open /x", ENOENT);
  EXPECT_EQ(e.kind, ErrorKind::kIo);
  EXPECT_NE(e.message.find("No such file"), std::string::npos);
}

}  // namespace
}  // namespace photomap
