// `photomap embed --model DIR [--image FILE]... [--text TEXT]...`: the whole encoder chain from
// the command line (decode → preprocess → tokenizer → forward pass), printing one JSON document
// with an L2-normalised embedding per input. For checking a model directory and for scripts.
#pragma once

#include <string>
#include <vector>

namespace photomap::app {

struct EmbedOptions {
  std::string model_dir;
  std::vector<std::string> images;
  std::vector<std::string> texts;
  int threads = 0;  // GEMM threads; 0 = all cores
};

// Returns the exit code: 0 with JSON on stdout, 1 with the error on stderr.
int RunEmbed(const EmbedOptions& options, const char* argv0);

}  // namespace photomap::app
