#include "engine/io/output_files.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <thread>

#include "engine/core/diagnostics.hpp"
#include "engine/io/durable_write.hpp"

namespace tamnhin::io {

namespace detail {

void write_file_durably(const std::filesystem::path& path, std::string_view content) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) throw std::system_error(errno, std::generic_category(), "open");
  int error = 0;
  const char* step = nullptr;
  if (std::fwrite(content.data(), 1, content.size(), file) != content.size()) {
    error = errno, step = "write";
  } else if (std::fflush(file) != 0) {
    error = errno, step = "write";
  } else if (::fsync(::fileno(file)) != 0) {
    error = errno, step = "sync";
  }
  // Close in every case (no leaked descriptor); a close error matters only if all else
  // went well, as NFS may report a failed write only here.
  if (std::fclose(file) != 0 && step == nullptr) error = errno, step = "close";
  if (step != nullptr) throw std::system_error(error, std::generic_category(), step);
}

}  // namespace detail

namespace {

[[noreturn]] void fail(const std::filesystem::path& where, std::string message,
                       std::string hint = {}) {
  throw InputError(Diagnostic{{where.string()}, {}, std::move(message), std::move(hint)});
}

constexpr const char* out_hint = "choose another --out, or fix the directory's permissions";

}  // namespace

void prepare_output_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    fail(dir, "output directory is an existing file, not a directory", "choose another --out");
  }
  fs::create_directories(dir, ec);
  if (ec) fail(dir, "cannot create output directory: " + ec.message(), out_hint);
  // A probe rather than access(2): it answers the real question (can we create, write
  // and remove a file here) on read-only mounts, ACLs and full disks alike.
  const fs::path probe = dir / (".tamnhin-probe-" + std::to_string(::getpid()));
  try {
    detail::write_file_durably(probe, "probe\n");
  } catch (const std::system_error& e) {
    std::remove(probe.c_str());
    fail(dir, std::string("cannot write in output directory: ") + std::strerror(e.code().value()),
         out_hint);
  }
  if (std::remove(probe.c_str()) != 0) {
    fail(dir, std::string("cannot remove a file in output directory: ") + std::strerror(errno),
         out_hint);
  }
}

void write_files_atomically(const std::filesystem::path& dir,
                            const std::vector<std::pair<std::string, std::string>>& files) {
  const std::string suffix = ".tmp-" + std::to_string(::getpid());
  std::vector<std::filesystem::path> temps;  // written and not yet renamed
  const auto clean_up = [&](std::size_t from) {
    for (std::size_t i = from; i < temps.size(); ++i) std::remove(temps[i].c_str());
  };
  // Hidden and in the same directory: invisible to a glob for *.csv, and rename(2) within
  // one file system is atomic.
  for (const auto& file : files) temps.push_back(dir / ("." + file.first + suffix));
  // Each file on a thread of its own: a journalling file system commits fsyncs that wait
  // together at once (ten files: 50-73 ms one after the other, 15-19 ms together on this
  // machine's ext4), and writing is most of the end of a short run. The first failure in
  // file order is the one reported, as when they were written in turn.
  std::vector<int> errors(files.size(), 0);
  {
    std::vector<std::jthread> writers;
    for (std::size_t i = 0; i < files.size(); ++i) {
      writers.emplace_back([&, i] {
        try {
          detail::write_file_durably(temps[i], files[i].second);
        } catch (const std::system_error& e) {
          errors[i] = e.code().value();
        }
      });
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (errors[i] == 0) continue;
    clean_up(0);
    fail(dir / files[i].first, "cannot write: " + std::string(std::strerror(errors[i])), out_hint);
  }
  // A directory in the way of an output is the one rename failure known in advance: check
  // every name before moving any, so that no new file lands next to old ones.
  for (const auto& [name, content] : files) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir / name, ec)) {
      clean_up(0);
      fail(dir / name, "cannot move into place: " + std::string(std::strerror(EISDIR)),
           "remove or rename the directory " + (dir / name).string() + ", or choose another --out");
    }
  }
  // Renaming is the only step that can leave some new files next to some old ones, and
  // it fails only if the directory changes under us; the temps of the rest are removed.
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::filesystem::path target = dir / files[i].first;
    if (std::rename(temps[i].c_str(), target.c_str()) != 0) {
      const int error = errno;
      clean_up(i);
      fail(target, "cannot move into place: " + std::string(std::strerror(error)), out_hint);
    }
  }
}

}  // namespace tamnhin::io
