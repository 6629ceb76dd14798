// photomap's command line: `serve` now; `index`, `search`, `models` and `doctor` join it as
// their modules land. Parses arguments, calls one library function, returns its exit code.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdlib>

#include "app/embed_command.h"
#include "app/environment.h"
#include "app/index_command.h"
#include "app/layout_command.h"
#include "app/models_command.h"
#include "app/search_command.h"
#include "app/serve_command.h"
#include "model/openblas_runtime.h"

namespace {

int ParsePort(const std::string& text, int fallback) {
  try {
    size_t used = 0;
    int port = std::stoi(text, &used);
    if (used == text.size() && port >= 0 && port <= 65535) return port;
  } catch (...) {
  }
  spdlog::warn("PHOTOMAP_PORT='{}' is not a port number; using {}", text, fallback);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  // OpenBLAS picks its kernels at load; on CPUs newer than Debian's OpenBLAS it falls back to
  // generic ones (~8x slower), so the process restarts once with the right core named.
  photomap::model::RestartWithRecommendedOpenBlasCore(argv);
  using photomap::app::Environment;
  const Environment env = Environment::FromProcess();
  spdlog::set_level(spdlog::level::from_str(env.log_level.value_or("info")));

  CLI::App app{"photomap: explore a lifetime of photos by meaning"};
  app.set_version_flag("--version", std::string("photomap ") + PHOTOMAP_VERSION);
  app.require_subcommand(1);

  photomap::app::ServeOptions serve;
  serve.host = env.host.value_or("127.0.0.1");
  serve.port = env.port ? ParsePort(*env.port, 8050) : 8050;
  serve.config_path = env.DefaultConfigPath();
  if (env.album_locked) {
    std::string list = *env.album_locked;
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      serve.album_locked.push_back(list.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  serve.open_browser = !photomap::app::EnvFlag(env.no_browser);
  bool no_browser = false;
  std::string log_level;
  CLI::App* serve_cmd =
      app.add_subcommand("serve", "Serve the web UI and the PhotoMapAI-compatible API");
  serve_cmd->add_option("--host", serve.host, "Address to bind (env PHOTOMAP_HOST)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--port", serve.port,
                   "Port to listen on, 0 for any free port (env PHOTOMAP_PORT)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--config", serve.config_path, "config.yaml to use (env PHOTOMAP_CONFIG)")
      ->capture_default_str();
  serve_cmd->add_option("--album-locked", serve.album_locked,
                        "Lock the UI to these album keys (env PHOTOMAP_ALBUM_LOCKED)");
  serve_cmd->add_option("--cert", serve.cert_path, "TLS certificate (PEM)");
  serve_cmd->add_option("--key", serve.key_path, "TLS private key (PEM)");
  serve_cmd->add_flag("--no-browser", no_browser,
                      "Do not open a browser (env PHOTOMAP_NO_BROWSER)");
  bool no_index_on_start = false, serve_offline = false;
  serve_cmd->add_flag("--no-index-on-start", no_index_on_start,
                      "Do not index never-indexed \"auto\" albums at start-up");
  serve_cmd->add_flag("--offline", serve_offline,
                      "Never download a model; \"auto\" albums fall back to classic:v1");
  serve.web_root = PHOTOMAP_WEB_ROOT;
  serve_cmd->add_option("--web-root", serve.web_root, "Folder of the built web UI")
      ->capture_default_str();
  serve_cmd->add_option("--log-level", log_level,
                        "trace, debug, info, warn, error (env PHOTOMAP_LOG_LEVEL)");

  photomap::app::ModelsOptions models;
  CLI::App* models_cmd = app.add_subcommand("models", "List, download or remove encoder models");
  models_cmd->require_subcommand(1);
  models_cmd->add_option("--cache-dir", models.cache_dir,
                         "Model store (default $XDG_CACHE_HOME/photomap/models)");
  models_cmd->add_option("--base-url", models.base_url, "Model hub URL (default Hugging Face)");
  models_cmd->add_subcommand("list", "Show installed and known models");
  models_cmd->add_subcommand("pull", "Download a model (resumable)")
      ->add_option("spec", models.spec, "Encoder spec, e.g. openai-clip:ViT-B/32")
      ->required();
  models_cmd->add_subcommand("remove", "Delete a downloaded model")
      ->add_option("spec", models.spec, "Encoder spec")
      ->required();

  photomap::app::IndexOptions index_opts;
  index_opts.config_path = env.DefaultConfigPath();
  CLI::App* index_cmd =
      app.add_subcommand("index", "Index (or update) one album; Ctrl-C keeps the work done");
  index_cmd->add_option("--config", index_opts.config_path, "config.yaml to use")
      ->capture_default_str();
  index_cmd->add_option("--album", index_opts.album_key, "Album key")->required();
  index_cmd->add_option("--models", index_opts.model_dir,
                        "Model store (default $XDG_CACHE_HOME/photomap/models)");
  index_cmd->add_flag("--offline", index_opts.offline,
                      "Never download a model; an \"auto\" album falls back to classic:v1");
  photomap::app::SearchOptions search_opts;
  search_opts.config_path = env.DefaultConfigPath();
  CLI::App* search_cmd =
      app.add_subcommand("search", "Search an indexed album by text and/or image");
  search_cmd->add_option("--config", search_opts.config_path, "config.yaml to use")
      ->capture_default_str();
  search_cmd->add_option("--album", search_opts.album_key, "Album key")->required();
  search_cmd->add_option("query", search_opts.query, "What to look for");
  search_cmd->add_option("--negative", search_opts.negative, "What to avoid");
  search_cmd->add_option("--image", search_opts.image_path, "Query image file");
  search_cmd->add_option("-n,--limit", search_opts.limit, "Results to print")
      ->capture_default_str();
  search_cmd->add_option("--models", search_opts.model_dir,
                         "Model store (default $XDG_CACHE_HOME/photomap/models)");

  photomap::app::EmbedOptions embed;
  CLI::App* embed_cmd = app.add_subcommand("embed", "Print embeddings of images and texts (JSON)");
  embed_cmd->add_option("--model", embed.model_dir, "Model directory (config.json, weights, ...)")
      ->required();
  embed_cmd->add_option("--image", embed.images, "Image file (repeatable)");
  embed_cmd->add_option("--text", embed.texts, "Text (repeatable)");
  embed_cmd->add_option("--threads", embed.threads, "GEMM threads (0 = all cores)");

  photomap::app::LayoutOptions layout;
  CLI::App* layout_cmd =
      app.add_subcommand("layout", "UMAP layout (N x 2 .npy) of an N x D embeddings .npy");
  layout_cmd->add_option("--input", layout.input, "N x D float32/float64 .npy")->required();
  layout_cmd->add_option("--output", layout.output, "Where to write the N x 2 float32 .npy")
      ->required();
  layout_cmd->add_option("--seed", layout.seed, "Random seed")->capture_default_str();
  layout_cmd->add_option("--neighbors", layout.neighbors, "n_neighbors (capped at N - 1)")
      ->capture_default_str()
      ->check(CLI::Range(2, 200));
  layout_cmd->add_option("--min-dist", layout.min_dist, "min_dist")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  layout_cmd->add_option("--epochs", layout.epochs, "SGD epochs (0 = the default, 200)")
      ->check(CLI::Range(0, 100000));

  CLI11_PARSE(app, argc, argv);
  if (layout_cmd->parsed()) return photomap::app::RunLayout(layout);
  if (embed_cmd->parsed()) return photomap::app::RunEmbed(embed, argv[0]);
  if (models_cmd->parsed()) {
    for (const char* action : {"list", "pull", "remove"}) {
      if (models_cmd->got_subcommand(action)) models.action = action;
    }
    return photomap::app::RunModels(models, env);
  }
  if (!log_level.empty()) spdlog::set_level(spdlog::level::from_str(log_level));
  if (index_cmd->parsed()) return photomap::app::RunIndex(index_opts, env);
  if (search_cmd->parsed()) return photomap::app::RunSearch(search_opts, env);
  if (serve_cmd->parsed()) {
    if (no_browser) serve.open_browser = false;
    if (no_index_on_start) serve.index_new_albums_on_start = false;
    if (serve_offline) serve.allow_model_download = false;
    if (serve.cert_path.empty() != serve.key_path.empty()) {
      spdlog::error("--cert and --key must be given together");
      return 1;
    }
    return photomap::app::RunServe(serve, env, PHOTOMAP_VERSION);
  }
  return 0;
}
