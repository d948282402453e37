/* The user address-space layout (docs/DESIGN.md): where the stack, its limit and the mmap area sit.
 * Numbers follow Linux x86-64 without randomisation so that programs see the same limits. */
#pragma once
#include "mm/types.h"

#define USER_MIN     0x10000UL        /* below: never mapped, so NULL dereferences fault */
#define USER_END     0x7ffffffff000UL /* Linux's TASK_SIZE: no user mapping reaches past it */
#define STACK_TOP    USER_END
#define STACK_SIZE   (8UL << 20) /* RLIMIT_STACK default: the stack never grows longer */
#define STACK_BASE   (STACK_TOP - STACK_SIZE)
#define STACK_EXPAND (128UL << 10) /* setup_arg_pages(): the stack below the arguments at exec */
/* Linux's stack_guard_gap; a touch this far under STACK_BASE still counts as a stack overflow */
#define STACK_GUARD (256UL * PAGE_SIZE)
#define MMAP_TOP    (STACK_TOP - (128UL << 20)) /* Linux's minimum stack gap */
#define MAP32_LO    0x40000000UL /* MAP_32BIT: Linux places these in [1 GiB, 2 GiB) */
#define MAP32_HI    0x80000000UL
