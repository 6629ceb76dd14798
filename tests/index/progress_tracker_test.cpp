// ProgressTracker: PhotoMapAI's status values, ETA arithmetic on an injected clock, warnings,
// and the cancel flag surviving the scanning → indexing transition (§12.3 fixed).
#include "index/progress_tracker.h"

#include <gtest/gtest.h>

namespace photomap::index {
namespace {

TEST(ProgressTrackerTest, IdleWithoutEntry) {
  ProgressTracker t;
  auto v = t.Get("a");
  EXPECT_EQ(v.status, JobStatus::kIdle);
  EXPECT_EQ(v.current_step, "No operation in progress");
  EXPECT_FALSE(v.estimated_time_remaining.has_value());
}

TEST(ProgressTrackerTest, EtaExtrapolatesObservedRate) {
  ProgressTracker t;
  auto now = ProgressTracker::Clock::time_point{};
  t.SetClockForTesting([&] { return now; });
  t.Start("a", JobStatus::kIndexing, 100, "Starting indexing");
  EXPECT_FALSE(t.Get("a").estimated_time_remaining.has_value()) << "no rate yet";
  now += std::chrono::seconds(10);
  t.Update("a", 25, "Processing x.jpg");
  auto v = t.Get("a");
  EXPECT_EQ(JobStatusName(v.status), std::string("indexing"));
  EXPECT_DOUBLE_EQ(v.progress_percentage, 25.0);
  EXPECT_DOUBLE_EQ(v.elapsed_time, 10.0);
  ASSERT_TRUE(v.estimated_time_remaining.has_value());
  EXPECT_DOUBLE_EQ(*v.estimated_time_remaining, 30.0);  // 75 left at 2.5 img/s
}

TEST(ProgressTrackerTest, CancelShowsErrorAtOnceAndFlagSurvivesStart) {
  ProgressTracker t;
  t.Start("a", JobStatus::kScanning, 0, "Preparing index update...");
  EXPECT_TRUE(t.Running("a"));
  t.Cancel("a");
  auto v = t.Get("a");
  EXPECT_EQ(v.status, JobStatus::kError);
  EXPECT_EQ(v.error_message.value_or(""), "Indexing cancelled by user");
  EXPECT_FALSE(t.Running("a"));
  t.Start("a", JobStatus::kIndexing, 10, "Starting indexing");
  EXPECT_TRUE(t.CancelFlag("a")->load()) << "a cancel during scanning is not lost";
  t.Update("a", 3, "ignored?");
  t.ResetCancel("a");
  EXPECT_FALSE(t.CancelFlag("a")->load());
}

TEST(ProgressTrackerTest, CompletionJoinsAndConsumesWarnings) {
  ProgressTracker t;
  t.Start("a", JobStatus::kIndexing, 4, "x");
  t.AddWarning("a", "one.");
  t.AddWarning("a", "one.");
  t.AddWarning("a", "two.");
  t.Complete("a", "Indexing completed successfully");
  auto v = t.Get("a");
  EXPECT_EQ(v.status, JobStatus::kCompleted);
  EXPECT_EQ(v.images_processed, 4);
  EXPECT_EQ(v.warning_message.value_or(""), "one. two.");
  t.Start("a", JobStatus::kIndexing, 1, "x");
  t.Complete("a", "again");
  EXPECT_FALSE(t.Get("a").warning_message.has_value());
}

}  // namespace
}  // namespace photomap::index
