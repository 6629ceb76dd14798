#include "http/router.h"

#include <gtest/gtest.h>

namespace photomap::http {
namespace {

Router MakeRouter() {
  Router r;
  auto noop = [](const httplib::Request&, httplib::Response&, const PathParams&) {};
  r.Add("GET", "/available_albums/", noop);
  r.Add("GET", "/album/{album_key}/", noop);
  r.Add("DELETE", "/delete_album/{album_key}", noop);
  r.Add("GET", "/images/{album_key}/{path:path}", noop);
  r.Add("POST", "/add_album/", noop);
  return r;
}

TEST(RouterTest, MatchesParamsAndRestOfPath) {
  Router r = MakeRouter();
  auto m = r.Resolve("GET", "/album/family/");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(m.params.at("album_key"), "family");
  auto img = r.Resolve("GET", "/images/fam/2020/summer/a b.jpg");
  ASSERT_EQ(img.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(img.params.at("path"), "2020/summer/a b.jpg");
  EXPECT_EQ(r.Resolve("HEAD", "/album/x/").outcome, Router::Outcome::kMatched);
}

TEST(RouterTest, TrailingSlashRedirectsAreRelative) {
  Router r = MakeRouter();
  auto add = r.Resolve("GET", "/available_albums");
  ASSERT_EQ(add.outcome, Router::Outcome::kRedirect);
  EXPECT_EQ(add.location, "available_albums/");
  auto album = r.Resolve("GET", "/album/x");
  ASSERT_EQ(album.outcome, Router::Outcome::kRedirect);
  EXPECT_EQ(album.location, "x/");
  auto del = r.Resolve("DELETE", "/delete_album/x/");
  ASSERT_EQ(del.outcome, Router::Outcome::kRedirect);
  EXPECT_EQ(del.location, "../x");
}

TEST(RouterTest, WrongMethodIs405AndUnknownIs404) {
  Router r = MakeRouter();
  auto m = r.Resolve("POST", "/available_albums/");
  EXPECT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET");
  EXPECT_EQ(r.Resolve("GET", "/nope").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(r.Resolve("GET", "/album//").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(r.Resolve("GET", "/images/k").outcome, Router::Outcome::kNotFound);
}

}  // namespace
}  // namespace photomap::http
