#include "http/zip_stream.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>

namespace photomap::http {

namespace {

constexpr uint64_t kZip32Limit = std::numeric_limits<uint32_t>::max();
constexpr size_t kChunk = 256 * 1024;
constexpr uint16_t kVersion = 20;             // 2.0: deflate, data descriptors
constexpr uint16_t kFlags = 0x0008 | 0x0800;  // data descriptor, UTF-8 names

void Put16(std::string& out, uint16_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>(v >> 8);
}
void Put32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

void DosDateTime(std::time_t t, uint16_t* time, uint16_t* date) {
  std::tm tm{};
  if (localtime_r(&t, &tm) == nullptr || tm.tm_year < 80) {
    *time = 0;
    *date = (1 << 5) | 1;  // 1980-01-01
    return;
  }
  *time = static_cast<uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  *date = static_cast<uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

struct FdCloser {
  void operator()(int* fd) const {
    if (fd != nullptr && *fd >= 0) ::close(*fd);
    delete fd;
  }
};

}  // namespace

Status ZipStreamWriter::Write(const char* data, size_t size) {
  if (size == 0) return Status::Ok();
  if (offset_ + size > kZip32Limit) return TooLarge("zip archive would exceed 4 GiB");
  if (!sink_(data, size)) return Cancelled("the client closed the download");
  offset_ += size;
  return Status::Ok();
}

Status ZipStreamWriter::Write(const std::string& bytes) {
  return Write(bytes.data(), bytes.size());
}

Status ZipStreamWriter::AddFile(const std::string& archive_name, const std::string& path,
                                bool deflate, std::time_t mtime) {
  std::unique_ptr<int, FdCloser> fd(new int(::open(path.c_str(), O_RDONLY | O_CLOEXEC)));
  if (*fd < 0) return IoError(path + ": " + std::strerror(errno));
  Entry e;
  e.name = archive_name;
  e.method = deflate ? 8 : 0;
  e.offset = offset_;
  DosDateTime(mtime, &e.dos_time, &e.dos_date);

  std::string header;
  Put32(header, 0x04034b50);
  Put16(header, kVersion);
  Put16(header, kFlags);
  Put16(header, e.method);
  Put16(header, e.dos_time);
  Put16(header, e.dos_date);
  Put32(header, 0);  // crc, sizes: in the data descriptor
  Put32(header, 0);
  Put32(header, 0);
  Put16(header, static_cast<uint16_t>(e.name.size()));
  Put16(header, 0);
  header += e.name;
  PHOTOMAP_RETURN_IF_ERROR(Write(header));

  z_stream z{};
  if (deflate && deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                              Z_DEFAULT_STRATEGY) != Z_OK) {
    return Internal("zlib: deflateInit2 failed");
  }
  std::unique_ptr<z_stream, void (*)(z_stream*)> z_guard(deflate ? &z : nullptr,
                                                         [](z_stream* s) { deflateEnd(s); });
  std::vector<char> in(kChunk), out(kChunk + kChunk / 8 + 64);
  uLong crc = crc32(0L, Z_NULL, 0);
  const uint64_t data_start = offset_;
  while (true) {
    const ssize_t n = ::read(*fd, in.data(), in.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path + ": " + std::strerror(errno));
    }
    const bool last = n == 0;
    e.size += static_cast<uint64_t>(n);
    if (e.size > kZip32Limit) return TooLarge(path + ": file too large for a zip download");
    crc = crc32(crc, reinterpret_cast<const Bytef*>(in.data()), static_cast<uInt>(n));
    if (!deflate) {
      PHOTOMAP_RETURN_IF_ERROR(Write(in.data(), static_cast<size_t>(n)));
    } else {
      z.next_in = reinterpret_cast<Bytef*>(in.data());
      z.avail_in = static_cast<uInt>(n);
      do {
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        const int rc = ::deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_ERROR) return Internal("zlib: deflate failed");
        PHOTOMAP_RETURN_IF_ERROR(Write(out.data(), out.size() - z.avail_out));
      } while (z.avail_out == 0);
    }
    if (last) break;
  }
  e.crc = static_cast<uint32_t>(crc);
  e.compressed = offset_ - data_start;

  std::string descriptor;
  Put32(descriptor, 0x08074b50);
  Put32(descriptor, e.crc);
  Put32(descriptor, static_cast<uint32_t>(e.compressed));
  Put32(descriptor, static_cast<uint32_t>(e.size));
  PHOTOMAP_RETURN_IF_ERROR(Write(descriptor));
  entries_.push_back(std::move(e));
  return Status::Ok();
}

Status ZipStreamWriter::Finish() {
  if (entries_.size() > 0xffff) return TooLarge("zip archive has more than 65535 entries");
  const uint64_t directory_start = offset_;
  for (const Entry& e : entries_) {
    std::string c;
    Put32(c, 0x02014b50);
    Put16(c, (3 << 8) | kVersion);  // made by: Unix
    Put16(c, kVersion);
    Put16(c, kFlags);
    Put16(c, e.method);
    Put16(c, e.dos_time);
    Put16(c, e.dos_date);
    Put32(c, e.crc);
    Put32(c, static_cast<uint32_t>(e.compressed));
    Put32(c, static_cast<uint32_t>(e.size));
    Put16(c, static_cast<uint16_t>(e.name.size()));
    Put16(c, 0);               // extra
    Put16(c, 0);               // comment
    Put16(c, 0);               // disk
    Put16(c, 0);               // internal attributes
    Put32(c, 0100644u << 16);  // external: a regular file, rw-r--r--
    Put32(c, static_cast<uint32_t>(e.offset));
    c += e.name;
    PHOTOMAP_RETURN_IF_ERROR(Write(c));
  }
  std::string end;
  Put32(end, 0x06054b50);
  Put16(end, 0);
  Put16(end, 0);
  Put16(end, static_cast<uint16_t>(entries_.size()));
  Put16(end, static_cast<uint16_t>(entries_.size()));
  Put32(end, static_cast<uint32_t>(offset_ - directory_start));
  Put32(end, static_cast<uint32_t>(directory_start));
  Put16(end, 0);
  return Write(end);
}

}  // namespace photomap::http
