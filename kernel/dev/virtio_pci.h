/* The virtio 1.x (modern) PCI transport: a device found on PCI bus 0 by its capabilities, its
 * registers mapped uncached, feature negotiation, and split virtqueues that the driver lays out. */
#pragma once
#include "mm/types.h"

#define VIRTIO_VENDOR 0x1af4

/* One virtio device's register blocks (kernel addresses) and what notifying a queue needs. */
struct vpci {
	volatile uint8_t *common; /* struct virtio_pci_common_cfg */
	volatile uint8_t *notify; /* queue notifications: base of the notify capability */
	volatile uint8_t *isr;    /* interrupt status, read to clear */
	volatile uint8_t *device; /* the device type's own configuration */
	uint32_t notify_mult;     /* notify_off_multiplier */
};

/* Find a device with modern_id or transitional_id on bus 0, map its capabilities, reset it and
 * acknowledge it. 0 when ready, -1 when there is none, else -2 with *why saying what is wrong. */
int vpci_open(struct vpci *vp, uint16_t modern_id, uint16_t transitional_id, const char **why);

/* Accept the device's features among want (VIRTIO_F_VERSION_1 is always required); false (and
 * the device marked FAILED) when the device lacks one it must have or refuses FEATURES_OK. */
bool vpci_features(struct vpci *vp, uint64_t want, uint64_t *got);

/* Give queue q of size entries (a power of 2, at most the device's maximum) its three rings at
 * physical desc, avail and used, and enable it; false when the device does not offer q. */
bool vpci_queue(struct vpci *vp, uint16_t q, uint16_t size, paddr_t desc, paddr_t avail,
                paddr_t used);

/* Tell the device that the driver is ready (DRIVER_OK). */
void vpci_ready(struct vpci *vp);

/* Tell the device that queue q has new available buffers. */
void vpci_notify(struct vpci *vp, uint16_t q);

/* Read (and so clear) the interrupt status, which lowers the device's INTx line. */
uint8_t vpci_isr(struct vpci *vp);

/* Mark the device FAILED: the driver gives up on it. */
void vpci_fail(struct vpci *vp);
