#include "app/models_command.h"

#include <atomic>
#include <cstdio>

#include "app/stop_signals.h"
#include "model/encoder_spec.h"
#include "model/model_store.h"

namespace photomap::app {
namespace {

std::string HumanBytes(uint64_t bytes) {
  char buf[32];
  if (bytes >= (1ull << 30)) {
    std::snprintf(buf, sizeof(buf), "%.2f GB", bytes / double(1ull << 30));
  } else if (bytes >= (1ull << 20)) {
    std::snprintf(buf, sizeof(buf), "%.1f MB", bytes / double(1ull << 20));
  } else {
    std::snprintf(buf, sizeof(buf), "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return buf;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "photomap models: %s\n", message.c_str());
  return 1;
}

int List(const model::ModelStore& store) {
  auto installed = store.List();
  if (!installed.ok()) return Fail(installed.error().message);
  std::printf("Models in %s:\n", store.root().c_str());
  if (installed->empty()) std::printf("  (none)\n");
  for (const auto& m : *installed) {
    std::printf("  %-45s %10s  %s\n", m.spec.c_str(), HumanBytes(m.size_bytes).c_str(),
                m.complete ? "installed" : "incomplete (run pull again to resume)");
  }
  std::printf("Known encoder specs:\n");
  for (const auto& spec : model::KnownEncoderSpecs()) std::printf("  %s\n", spec.c_str());
  return 0;
}

int Pull(const model::ModelStore& store, const model::EncoderSpec& spec,
         const std::string& base_url) {
  std::atomic<bool> cancel{false};
  StopSignals stop_signals([&cancel](int) {
    cancel = true;
    std::fprintf(stderr, "\ncancelling; the partial download is kept for the next pull\n");
  });
  model::PullOptions options;
  options.base_url = base_url;
  options.cancel = &cancel;
  options.progress = [](const model::PullProgress& p) {
    std::fprintf(stderr, "\r[%d/%d] %-28s %s", p.file_index + 1, p.file_count, p.file.c_str(),
                 p.bytes_total
                     ? (HumanBytes(p.bytes_done) + " / " + HumanBytes(p.bytes_total)).c_str()
                     : HumanBytes(p.bytes_done).c_str());
    std::fflush(stderr);
  };
  auto dir = store.Pull(spec, options);
  std::fprintf(stderr, "\n");
  if (!dir.ok()) return Fail(dir.error().message);
  std::printf("%s installed in %s\n", spec.spec.c_str(), dir->c_str());
  return 0;
}

}  // namespace

int RunModels(const ModelsOptions& options, const Environment& env) {
  const std::string root = env.ModelStoreDir(options.cache_dir);
  model::ModelStore store(root);
  if (options.action == "list") return List(store);
  auto spec = model::ParseEncoderSpec(options.spec);
  if (!spec.ok()) return Fail(spec.error().message);
  if (options.action == "pull") return Pull(store, *spec, env.ModelHubUrl(options.base_url));
  if (options.action == "remove") {
    Status removed = store.Remove(*spec);
    if (!removed.ok()) return Fail(removed.error().message);
    std::printf("removed %s\n", spec->spec.c_str());
    return 0;
  }
  return Fail("unknown action '" + options.action + "'; use list, pull or remove");
}

}  // namespace photomap::app
