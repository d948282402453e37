/* The host platform under the unit tests: fake physical RAM in one aligned buffer, a counting
 * TLB flush, and helpers shared by the test files. */
#pragma once
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "mm/as.h"
#include "mm/frame.h"

#define HOST_RAM_DEFAULT (64UL << 20)

extern uint8_t *host_ram;          /* fake physical address 0 */
extern size_t host_ram_size;       /* bytes */
extern unsigned long host_flushes; /* hal_flush_page() calls so far */
extern vaddr_t host_last_flush;    /* the va of the latest one */
extern bool host_exec_only;        /* hal_exec_only(): false unless a test sets it */

/* Fresh fake RAM of bytes (rounded to pages) with a frame table over two usable ranges with
 * unaligned ends; the kernel half template is set too. */
void host_init(size_t bytes);

/* host_init(HOST_RAM_DEFAULT): criterion .init for most tests. */
void host_setup(void);

/* Release the fake RAM: criterion .fini. */
void host_teardown(void);

/* The byte the user sees at va, read through the page table (-1 when not mapped). */
int host_peek(struct as *as, vaddr_t va);

/* The leaf PTE of va, or 0 when absent. */
uint64_t host_pte(struct as *as, vaddr_t va);

/* A new address space; host_as_done() destroys it and checks every frame came back. */
struct as *host_as(void);
void host_as_done(struct as *as);

/* A user store of byte v at va as the CPU would do it: fault if the PTE does not allow the
 * write, then write through the page table. Returns the fault result. */
enum fault_result host_poke(struct as *as, vaddr_t va, uint8_t v);

/* A user load at va: fault if needed, then read; -1 - fault result when the access is illegal. */
int host_load(struct as *as, vaddr_t va);

#ifndef CRITERION_H_
/* Criterion's header was not read (cppcheck skips system headers): plain C for the analysis. */
#define TestSuite(...)
#define Test(suite, name, ...) void suite##_##name(void)
#endif
