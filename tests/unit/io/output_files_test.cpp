#include "engine/io/output_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "engine/core/diagnostics.hpp"
#include "engine/io/durable_write.hpp"

namespace tamnhin::io {
namespace {

namespace fs = std::filesystem;

class OutputFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("tamnhin_output_files_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
  static std::string read(const fs::path& path) {
    std::ostringstream out;
    out << std::ifstream(path, std::ios::binary).rdbuf();
    return out.str();
  }
  fs::path dir_;
};

TEST_F(OutputFiles, WritesEveryFileAndLeavesNoTemporaries) {
  write_files_atomically(dir_, {{"forecast.csv", "a,b\n1,2\n"}, {"run.json", "{}\n"}});
  EXPECT_EQ(entries(), (std::vector<std::string>{"forecast.csv", "run.json"}));
  EXPECT_EQ(read(dir_ / "forecast.csv"), "a,b\n1,2\n");
  // Overwriting an earlier run's file is the normal case.
  write_files_atomically(dir_, {{"forecast.csv", "new\n"}});
  EXPECT_EQ(read(dir_ / "forecast.csv"), "new\n");
  EXPECT_EQ(entries().size(), 2u);
}

TEST_F(OutputFiles, FailureRemovesTemporariesAndKeepsOldFiles) {
  write_files_atomically(dir_, {{"forecast.csv", "old\n"}});
  // The second file cannot be created (its subdirectory does not exist) after the first
  // temporary has been written: that one must go, and the old forecast must survive.
  try {
    write_files_atomically(dir_, {{"forecast.csv", "new\n"}, {"missing/targets.csv", "x\n"}});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].where.file, (dir_ / "missing/targets.csv").string());
    EXPECT_NE(e.diagnostics()[0].message.find("No such file or directory"), std::string::npos);
  }
  EXPECT_EQ(entries(), (std::vector<std::string>{"forecast.csv"}));
  EXPECT_EQ(read(dir_ / "forecast.csv"), "old\n");
}

// The files are written at once, each on its own thread: of several that fail, the first
// in the list is named, however the writes finish, and no temporary is left.
TEST_F(OutputFiles, OfSeveralFailuresTheFirstInTheListIsNamed) {
  for (int round = 0; round < 20; ++round) {
    try {
      write_files_atomically(dir_, {{"forecast.csv", "new\n"},
                                    {"missing_a/targets.csv", "x\n"},
                                    {"missing_b/run.json", "{}\n"},
                                    {"scorecard.txt", "y\n"}});
      FAIL() << "expected InputError";
    } catch (const InputError& e) {
      ASSERT_EQ(e.diagnostics().size(), 1u);
      EXPECT_EQ(e.diagnostics()[0].where.file, (dir_ / "missing_a/targets.csv").string());
    }
    EXPECT_TRUE(entries().empty());
  }
}

TEST_F(OutputFiles, RenameFailureRemovesTheRemainingTemporaries) {
  fs::create_directories(dir_ / "targets.csv" / "occupied");  // cannot be replaced by a file
  EXPECT_THROW(write_files_atomically(dir_, {{"targets.csv", "x\n"}, {"run.json", "{}\n"}}),
               InputError);
  EXPECT_EQ(entries(), (std::vector<std::string>{"targets.csv"}));
}

TEST_F(OutputFiles, FullDiskIsCaught) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  try {
    detail::write_file_durably("/dev/full", std::string(1 << 16, 'x'));
    FAIL() << "expected a write error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ENOSPC);
  }
}

TEST_F(OutputFiles, PrepareCreatesNestedDirectories) {
  prepare_output_dir(dir_ / "a" / "b");
  EXPECT_TRUE(fs::is_directory(dir_ / "a" / "b"));
  EXPECT_TRUE(fs::is_empty(dir_ / "a" / "b"));  // the probe is gone
}

TEST_F(OutputFiles, PrepareRejectsAFile) {
  std::ofstream(dir_ / "out") << "not a directory";
  try {
    prepare_output_dir(dir_ / "out");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics()[0].where.file, (dir_ / "out").string());
    EXPECT_NE(e.diagnostics()[0].hint.find("--out"), std::string::npos);
  }
  EXPECT_THROW(prepare_output_dir(dir_ / "out" / "below"), InputError);
}

TEST_F(OutputFiles, PrepareRejectsAReadOnlyDirectory) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores permissions";
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(prepare_output_dir(dir_), InputError);
  EXPECT_THROW(write_files_atomically(dir_, {{"forecast.csv", "x\n"}}), InputError);
}

}  // namespace
}  // namespace tamnhin::io
