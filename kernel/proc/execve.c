/* execve from the file system: check the program file's ELF headers in its page cache, build the
 * new address space beside the old one, and only then replace the old (the point of no return). */
#include "arch/x86_64/platform.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "lib/printf.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "mm/shmem.h"
#include "proc/execve.h"
#include <errno.h>
#include <string.h>

#define PHDR_SIZE 56

/* The file's first page in its page cache (read back from swap if there), or NULL (empty, a hole,
 * not a tmpfs file, no memory). Valid until the next safe point of reclaim (reclaim.h). */
const uint8_t *exec_head(struct inode *ip)
{
	struct shmem *obj = tmpfs_object(ip);
	paddr_t pa = 0;
	if (obj && ip->size && shmem_find(obj, 0, &pa))
		return NULL; /* on swap, and it cannot come back */
	return pa ? phys_to_virt(pa) : NULL;
}

/* Check ip as an ELF program SOS maps from the page cache: headers in the first page, and every
 * segment's offset and address alike within a page (Linux's elf_map() fails otherwise). */
static int check_program(struct inode *ip, struct elf_program *ep)
{
	const uint8_t *head = exec_head(ip);
	uint64_t phoff;
	uint16_t phnum;
	if (!head || ip->size < 64)
		return -ENOEXEC;
	memcpy(&phoff, head + 32, sizeof(phoff));
	memcpy(&phnum, head + 56, sizeof(phnum));
	if (phoff > PAGE_SIZE || (uint64_t)phnum * PHDR_SIZE > PAGE_SIZE - phoff)
		return -ENOEXEC;
	if (elf_check(head, ip->size, ep))
		return -ENOEXEC;
	for (unsigned i = 0; i < ep->nsegments; i++) {
		const struct elf_segment *s = &ep->segments[i];
		if (s->filesz && (s->offset & PAGE_MASK) != (s->vaddr & PAGE_MASK))
			return -ENOEXEC;
	}
	return 0;
}

/* What the old program leaves behind at exec: its address space (given back to a vfork parent),
 * its clear_child_tid word (cleared, as Linux's mm_release), its close-on-exec files. */
static void leave_old(struct proc *p, struct as *as)
{
	uint64_t zero = 0;
	if (p->clear_child_tid)
		(void)as_copyout(p->as, p->clear_child_tid, &zero, sizeof(uint32_t));
	p->clear_child_tid = 0;
	struct as *old = p->as;
	bool borrowed = p->as_borrowed;
	p->as = as;
	arch_switch_root(as->root);
	proc_vfork_release_as(p); /* a vfork parent waits for the exec, lent memory or not */
	if (!borrowed && old) {   /* the first process has none before */
		p->exec_minflt += old->minflt;
		p->exec_majflt += old->majflt;
		proc_count_faults(old);
		as_destroy(old);
	}
	fd_close_on_exec(p->fds);
}

/* Record the new program as /proc shows it and start it at its entry. */
static void start_new(struct proc *p, struct inode *ip, const struct exec_args *args,
                      const struct elf_program *ep, const struct exec_layout *layout)
{
	snprintf(p->name, sizeof(p->name), "%s", args->argc ? args->argv[0] : args->filename);
	if (!inode_path_name(ip, p->exe_path, sizeof(p->exe_path)))
		snprintf(p->exe_path, sizeof(p->exe_path), "%s", args->filename);
	p->exe_dev = ip->dev;
	p->exe_ino = ip->ino;
	p->exe_image = NULL;
	p->exe_obj = tmpfs_object(ip);
	p->layout = *layout;
	p->execed = true;
	p->fs_base = 0;
	arch_set_fs_base(0);
	arch_fpu_reset();
	trapframe_init_user(p->tf, ep->entry, layout->start_stack);
}

int proc_exec(struct proc *p, struct inode *ip, const struct exec_args *args)
{
	struct elf_program ep;
	struct exec_layout layout = {0};
	int err = check_program(ip, &ep);
	if (err)
		return err;
	struct as *as = as_create();
	if (!as)
		return -ENOMEM;
	struct shmem *obj = tmpfs_object(ip);
	shmem_get(obj);
	err = exec_load(as, NULL, obj, &ep, args, &layout);
	shmem_put(obj);
	if (err >= 0) {
		/* the point of no return: exec_permitted() found no writer */
		int busy = proc_set_exe(p, ip);
		err = busy ? busy : err;
	}
	if (err < 0) {
		as_destroy(as);
		return err;
	}
	leave_old(p, as);
	signal_exec(&p->sig);
	start_new(p, ip, args, &ep, &layout);
	if (err == EXEC_BSS_REFUSED)
		proc_kill(p, SIGSEGV, "exec failed: a segment's bss is larger than RAM + swap");
	return 0;
}
