// OpenBLAS kernel selection. Debian's OpenBLAS 0.3.21 is built with DYNAMIC_ARCH and picks its
// kernels from CPUID when the library loads; CPUs newer than the library (e.g. Emerald Rapids,
// family 6 model 207, on the development machines) are not recognised and fall back to the
// generic "Prescott" SSE3 kernels, about 8x slower for sgemm. The only switch is the
// OPENBLAS_CORETYPE environment variable, read once at load, so a process must be started with it:
// mains call RecommendedOpenBlasCore() first and, when it returns a name, re-exec themselves with
// OPENBLAS_CORETYPE set to it (the library never touches the environment itself).
// Thread-safety: the two queries are pure, safe from any thread; the restart is for main().
#pragma once

#include <optional>
#include <string>

namespace photomap::model {

// The core OpenBLAS selected, e.g. "SkylakeX", "Haswell", "Prescott".
std::string OpenBlasCoreName();

// "SkylakeX" (AVX-512) or "Haswell" (AVX2 + FMA) when OpenBLAS fell back to a generic core on a
// CPU that supports those instruction sets; nullopt when its choice is already fine.
std::optional<std::string> RecommendedOpenBlasCore();

// For mains, first thing: when RecommendedOpenBlasCore() names a core and the user set no
// OPENBLAS_CORETYPE, sets it and re-executes /proc/self/exe with `argv`. Returns only when no
// restart is needed or the exec failed (the program then works, with slower kernels).
void RestartWithRecommendedOpenBlasCore(char** argv);

}  // namespace photomap::model
