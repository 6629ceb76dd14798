#include "model/openblas_runtime.h"

#include <cblas.h>

#include <unistd.h>

#include <array>
#include <cstdlib>

namespace photomap::model {

std::string OpenBlasCoreName() {
  const char* name = openblas_get_corename();
  return name != nullptr ? name : "";
}

std::optional<std::string> RecommendedOpenBlasCore() {
  // Cores OpenBLAS falls back to when it does not know the CPU model (names as it reports them,
  // lower-case in some versions).
  static constexpr std::array<const char*, 8> kGeneric = {
      "Prescott", "prescott", "Core2", "core2", "Nehalem", "nehalem", "Sandybridge", "sandybridge"};
  const std::string core = OpenBlasCoreName();
  bool generic = false;
  for (const char* g : kGeneric) generic = generic || core == g;
  if (!generic) return std::nullopt;
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")) {
    return std::string("SkylakeX");
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    return core == "Haswell" ? std::nullopt : std::optional<std::string>("Haswell");
  }
#endif
  return std::nullopt;
}

void RestartWithRecommendedOpenBlasCore(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;  // the user's choice always wins
  const std::optional<std::string> core = RecommendedOpenBlasCore();
  if (!core) return;
  ::setenv("OPENBLAS_CORETYPE", core->c_str(), 1);
  ::execv("/proc/self/exe", argv);
}

}  // namespace photomap::model
