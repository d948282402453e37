/* Inodes: allocation, references and names, freeing with their pages, the boot tree (/, /dev,
 * /tmp, /proc), and the counts main.c's leak check compares. */
#include <assert.h>

#include "arch/x86_64/platform.h"
#include "fs/lock.h"
#include "fs/vfs.h"
#include "lib/panic.h"
#include "mm/as.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/slab.h"
#include <errno.h>
#include <string.h>

struct inode *vfs_root;

static struct slab_cache inode_cache;
static struct inode *all_inodes;
static size_t ninodes;
static uint64_t next_ino = 1;

struct fs_time fs_now(void)
{
	uint64_t ns = arch_realtime_ns();
	return (struct fs_time){(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000)};
}

struct inode *inode_alloc(uint32_t mode)
{
	if (!inode_cache.objsize)
		slab_init(&inode_cache, sizeof(struct inode));
	struct inode *ip = slab_alloc(&inode_cache);
	if (!ip)
		return NULL;
	ip->ino = next_ino++;
	ip->mode = mode;
	ip->refs = 1;
	ip->atime = ip->mtime = ip->ctime = ip->btime = fs_now();
	if (S_ISDIR(mode)) {
		ip->size = 2 * DIR_BOGO_SIZE; /* Linux's tmpfs: 20 bytes a name, "." and ".." too */
		ip->next_off = DIR_POS_FIRST + 1;
	}
	ip->all_next = all_inodes;
	if (all_inodes)
		all_inodes->all_prev = ip;
	all_inodes = ip;
	ninodes++;
	return ip;
}

void inode_get(struct inode *ip)
{
	ip->refs++;
}

/* Free ip and what it owns: its pages, its symlink target, its hold on its parent. */
static void inode_free(struct inode *ip)
{
	if (ip->data)
		tmpfs_release_data(ip);
	if (ip->target)
		frame_free(ip->target_pa);
	if (ip->all_prev)
		ip->all_prev->all_next = ip->all_next;
	else
		all_inodes = ip->all_next;
	if (ip->all_next)
		ip->all_next->all_prev = ip->all_prev;
	ninodes--;
	struct inode *parent = S_ISDIR(ip->mode) && ip->parent != ip ? ip->parent : NULL;
	slab_free(&inode_cache, ip);
	if (parent)
		inode_put(parent);
}

void inode_put(struct inode *ip)
{
	assert(ip->refs > 0);
	if (--ip->refs == 0 && ip->nlink == 0)
		inode_free(ip);
}

void inode_drop_link(struct inode *ip)
{
	assert(ip->nlink > 0);
	ip->nlink--;
	ip->ctime = fs_now();
	if (S_ISDIR(ip->mode))
		ip->nlink = 0; /* rmdir: its own "." goes with its name */
	if (ip->nlink == 0 && ip->refs == 0)
		inode_free(ip);
}

int inode_get_write(struct inode *ip)
{
	if (ip->writecount < 0)
		return -ETXTBSY;
	ip->writecount++;
	return 0;
}

void inode_put_write(struct inode *ip)
{
	assert(ip->writecount > 0);
	ip->writecount--;
}

int inode_deny_write(struct inode *ip)
{
	if (ip->writecount > 0)
		return -ETXTBSY;
	ip->writecount--;
	return 0;
}

void inode_allow_write(struct inode *ip)
{
	assert(ip->writecount < 0);
	ip->writecount++;
}

size_t inodes_live(void)
{
	return ninodes;
}

/* Inodes no name reaches and no one holds would be leaks; count those without a name. */
size_t inodes_unnamed(void)
{
	size_t n = 0;
	for (struct inode *ip = all_inodes; ip; ip = ip->all_next)
		n += ip->nlink == 0;
	return n;
}

size_t inodes_referenced(void)
{
	size_t n = 0;
	for (struct inode *ip = all_inodes; ip; ip = ip->all_next) {
		n += ip->refs;
		if (S_ISDIR(ip->mode) && ip->parent != ip)
			n--; /* a directory's hold on its parent is the tree's, not a leak */
	}
	return n;
}

/* The frames under a radix node of the shmem tree at level (1 = leaves point at data). */
static size_t radix_nodes(paddr_t node, unsigned level)
{
	size_t n = 1;
	if (level > 1) {
		const paddr_t *e = phys_to_virt(node);
		for (unsigned i = 0; i < PAGE_SIZE / sizeof(paddr_t); i++)
			if (e[i])
				n += radix_nodes(e[i], level - 1);
	}
	return n;
}

/* True when an inode before ip on the list has its object in the same slab page as ip's. */
static bool object_page_seen(const struct inode *ip)
{
	uintptr_t page = (uintptr_t)ip->data & ~(uintptr_t)PAGE_MASK;
	for (const struct inode *o = all_inodes; o != ip; o = o->all_next)
		if (o->data && ((uintptr_t)o->data & ~(uintptr_t)PAGE_MASK) == page)
			return true;
	return false;
}

/* The frames of ip's data: its pages, its tree's nodes, and (once per slab page, since after a
 * run the files' objects are the only shared objects left) the slab page holding the object. */
static size_t data_frames(const struct inode *ip)
{
	const struct shmem *s = ip->data;
	return s->resident + (s->root ? radix_nodes(s->root, s->levels) : 0) +
	       !object_page_seen(ip);
}

uint64_t fs_data_pages(void)
{
	uint64_t n = 0;
	for (struct inode *ip = all_inodes; ip; ip = ip->all_next)
		n += ip->data ? ip->data->resident : 0;
	return n;
}

uint64_t fs_swap_slots(void)
{
	uint64_t n = 0;
	for (struct inode *ip = all_inodes; ip; ip = ip->all_next)
		n += ip->data ? ip->data->swapped : 0;
	return n;
}

size_t fs_frames(void)
{
	size_t n = inode_cache.pages + dirent_slab_pages() + file_slab_pages() + lock_slab_pages();
	for (struct inode *ip = all_inodes; ip; ip = ip->all_next)
		n += (ip->data ? data_frames(ip) : 0) + (ip->target != NULL);
	return n;
}

/* The boot tree's directory name under the root, made with mode when the archive had none; an
 * existing one gets mode (as the oracle's init chmods /tmp and mounts over /dev and /proc). The
 * directory with a reference, or a panic: SOS cannot run without it. */
static struct inode *boot_dir(const char *name, uint32_t mode, uint32_t dev)
{
	struct inode *ip = dir_lookup(vfs_root, name, strlen(name));
	if (ip && S_ISDIR(ip->mode))
		inode_get(ip);
	else if ((ip && dir_unlink(vfs_root, name, strlen(name))) ||
	         dir_create(vfs_root, name, strlen(name), S_IFDIR | mode, NULL, 0, &ip))
		panic("fs: cannot make /%s", name);
	ip->mode = S_IFDIR | mode;
	if (dev)
		ip->dev = dev; /* a mount's root: what is under it is its own too */
	return ip;
}

/* A character device node under dir, unless the name is taken. */
static void boot_dev(struct inode *dir, const char *name, uint32_t minor, uint32_t mode)
{
	struct inode *ip;
	if (dir_lookup(dir, name, strlen(name)))
		return;
	if (dir_create(dir, name, strlen(name), S_IFCHR | mode, NULL, MKDEV(DEV_MEM_MAJOR, minor),
	               &ip))
		panic("fs: cannot make /dev/%s", name);
	inode_put(ip);
}

/* mm's hooks: a region mapping a file holds a reference on the open file. */
static void file_get_hook(void *f)
{
	file_get(f);
}

static void file_put_hook(void *f)
{
	file_put(f);
}

/* mm's question for a MAP_SHARED mapping: may it ever write to the file? */
static bool file_writable_hook(void *f)
{
	uint32_t acc = ((const struct file *)f)->flags & O_ACCMODE;
	return acc == O_WRONLY || acc == O_RDWR;
}

void vfs_init(void)
{
	mm_set_file_hooks(file_get_hook, file_put_hook);
	mm_set_file_writable_hook(file_writable_hook);
	vfs_root = inode_alloc(S_IFDIR | 0755);
	if (!vfs_root)
		panic("fs: no memory for the root");
	vfs_root->nlink = 2;
	vfs_root->dev = FS_DEV_ROOT;
	vfs_root->parent = vfs_root; /* keeps its reference for good */
}

void vfs_boot_tree(void)
{
	struct inode *dev = boot_dir("dev", 0755, FS_DEV_DEV);
	boot_dev(dev, "null", 3, 0666);
	boot_dev(dev, "zero", 5, 0666);
	boot_dev(dev, "full", 7, 0666);
	boot_dev(dev, "random", 8, 0666);
	boot_dev(dev, "urandom", 9, 0666);
	inode_put(dev);
	inode_put(boot_dir("proc", 0555, FS_DEV_PROC));
	inode_put(boot_dir("tmp", 01777, 0));
}
