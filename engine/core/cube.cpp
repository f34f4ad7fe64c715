#include "engine/core/cube.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace tamnhin {

void advise_huge_pages(void* p, std::size_t bytes) {
#if defined(MADV_HUGEPAGE)
  // Advice only: where huge pages are off or unavailable the block keeps 4 KiB pages.
  (void)madvise(p, bytes, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace tamnhin
