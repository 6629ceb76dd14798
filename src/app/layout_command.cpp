#include "app/layout_command.h"

#include <chrono>
#include <cstdio>

#include "map/umap.h"
#include "util/npy_file.h"

namespace photomap::app {

int RunLayout(const LayoutOptions& options) {
  auto input = ReadNpyFile(options.input);
  if (!input.ok()) {
    std::fprintf(stderr, "photomap: %s\n", input.error().message.c_str());
    return 1;
  }
  map::UmapParams params;
  params.seed = options.seed;
  params.n_neighbors = options.neighbors;
  params.min_dist = options.min_dist;
  params.n_epochs = options.epochs;
  const auto start = std::chrono::steady_clock::now();
  auto layout = map::FitUmap(map::ViewOf(input->data, input->rows, input->cols), params);
  if (!layout.ok()) {
    std::fprintf(stderr, "photomap: %s: %s\n", options.input.c_str(),
                 layout.error().message.c_str());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (Status written = WriteNpyFile(options.output, *layout, input->rows, 2); !written.ok()) {
    std::fprintf(stderr, "photomap: %s\n", written.error().message.c_str());
    return 1;
  }
  std::fprintf(stderr, "photomap: %zu x %zu → %s in %.2f s\n", input->rows, input->cols,
               options.output.c_str(), seconds);
  return 0;
}

}  // namespace photomap::app
