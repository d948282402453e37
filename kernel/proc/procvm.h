/* /proc/vmstat's text (procvm.c): Linux's counters of memory and paging, by name, one a line. */
#pragma once

struct proc;
struct proc_text;

/* Make /proc/vmstat's text: "name value" lines, Linux 6.12's names in its order. */
void procvm_gen(const struct proc *p, struct proc_text *t);
