#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"photomap: explore a lifetime of photos by meaning"};
  app.set_version_flag("--version", std::string("photomap ") + PHOTOMAP_VERSION);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
