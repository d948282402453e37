/* Page reclaim: the policy in use, the counters, and (to come) eviction through the reverse map.
 * Interface first, so that the parts above can be built against it. */
#include <errno.h>
#include <stddef.h>

#include "mm/evict.h"
#include "mm/reclaim.h"

struct vm_events vm_events;
void (*mm_trace_page)(const char *what, const struct as *as, vaddr_t va, uint64_t slot);

static const struct evict_policy *policy = &evict_clock;

/* Choose the policy called name; 0 or -EINVAL. */
int reclaim_set_policy(const char *name)
{
	const struct evict_policy *p = evict_policy_named(name);

	if (!p)
		return -EINVAL;
	policy = p;
	return 0;
}

/* The name of the policy in use. */
const char *reclaim_policy_name(void)
{
	return policy->name;
}
