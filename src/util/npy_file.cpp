#include "util/npy_file.h"

#include <cstdint>
#include <cstring>
#include <limits>

#include "util/atomic_file.h"

namespace photomap {

namespace {

// The value text after "'key':" in the header dict, up to the next top-level comma or brace.
bool HeaderValue(const std::string& header, const std::string& key, std::string* value) {
  const size_t at = header.find("'" + key + "'");
  if (at == std::string::npos) return false;
  size_t pos = header.find(':', at);
  if (pos == std::string::npos) return false;
  ++pos;
  while (pos < header.size() && header[pos] == ' ') ++pos;
  size_t end = pos;
  if (end < header.size() && header[end] == '(') {
    end = header.find(')', end);
    if (end == std::string::npos) return false;
    ++end;
  } else {
    while (end < header.size() && header[end] != ',' && header[end] != '}') ++end;
  }
  *value = header.substr(pos, end - pos);
  return true;
}

bool ParseShape(const std::string& text, std::vector<uint64_t>* dims) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
  size_t pos = 1;
  while (pos < text.size() - 1) {
    while (pos < text.size() - 1 && (text[pos] == ' ' || text[pos] == ',')) ++pos;
    if (pos >= text.size() - 1) break;
    uint64_t v = 0;
    size_t digits = 0;
    while (pos < text.size() - 1 && text[pos] >= '0' && text[pos] <= '9') {
      if (v > (std::numeric_limits<uint64_t>::max() - 9) / 10) return false;
      v = v * 10 + static_cast<uint64_t>(text[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0) return false;
    while (pos < text.size() - 1 && text[pos] == 'L') ++pos;
    dims->push_back(v);
  }
  return true;
}

}  // namespace

Result<NpyMatrix> ParseNpy(const std::string& bytes) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) {
    return Corrupt("not a .npy file (bad magic)");
  }
  const auto major = static_cast<unsigned char>(bytes[6]);
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return Corrupt("truncated .npy header");
    for (int i = 0; i < 4; ++i) {
      header_len |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    }
    offset = 12;
  } else {
    return Unsupported(".npy format version " + std::to_string(major) + " is not supported");
  }
  if (bytes.size() - offset < header_len) return Corrupt("truncated .npy header");
  const std::string header = bytes.substr(offset, header_len);
  std::string descr, order, shape_text;
  if (!HeaderValue(header, "descr", &descr) || !HeaderValue(header, "fortran_order", &order) ||
      !HeaderValue(header, "shape", &shape_text)) {
    return Corrupt("malformed .npy header: " + header);
  }
  if (order != "False") return Unsupported("Fortran-order .npy arrays are not supported");
  size_t item = 0;
  if (descr == "'<f4'") {
    item = 4;
  } else if (descr == "'<f8'") {
    item = 8;
  } else {
    return Unsupported(".npy dtype " + descr + " is not supported (use float32 or float64)");
  }
  std::vector<uint64_t> dims;
  if (!ParseShape(shape_text, &dims)) return Corrupt("malformed .npy shape " + shape_text);
  if (dims.empty() || dims.size() > 2) {
    return Unsupported(".npy array must have 1 or 2 dimensions, not " +
                       std::to_string(dims.size()));
  }
  NpyMatrix m;
  m.rows = dims[0];
  m.cols = dims.size() == 2 ? dims[1] : 1;
  const size_t payload = bytes.size() - offset - header_len;
  if (m.cols != 0 && m.rows > payload / item / m.cols) {
    return Corrupt(".npy data is shorter than its shape says");
  }
  const size_t count = m.rows * m.cols;
  if (count * item != payload) return Corrupt(".npy data size does not match its shape");
  m.data.resize(count);
  const char* data = bytes.data() + offset + header_len;
  if (item == 4) {
    if (count > 0) std::memcpy(m.data.data(), data, count * 4);
  } else {
    for (size_t i = 0; i < count; ++i) {
      double v;
      std::memcpy(&v, data + i * 8, 8);
      m.data[i] = static_cast<float>(v);
    }
  }
  return m;
}

Result<NpyMatrix> ReadNpyFile(const std::string& path) {
  auto bytes = ReadFileToString(path);
  if (!bytes.ok()) return bytes.error();
  auto m = ParseNpy(*bytes);
  if (!m.ok()) return Error{m.error().kind, path + ": " + m.error().message};
  return m;
}

std::string EncodeNpyF32(const std::vector<float>& data, size_t rows, size_t cols) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(float));
  return out;
}

Status WriteNpyFile(const std::string& path, const std::vector<float>& data, size_t rows,
                    size_t cols) {
  AtomicWriteOptions options;
  options.new_file_mode = 0644;
  return AtomicWriteFile(path, EncodeNpyF32(data, rows, cols), options);
}

}  // namespace photomap
