// SPDX-License-Identifier: GPL-2.0
#include "l2-payload.h"

#include <string.h>

/* Runs at L2_ENTRY; instruction words as the little-endian L2 fetches them. */
static const uint32_t l2_main[] = {
	0x39202000, /*        li    r9, L2_MESSAGE_ADDR                            */
	0x39400000, /*        li    r10, 0              # characters printed       */
	0x88c90000, /* loop:  lbz   r6, 0(r9)                                      */
	0x2c260000, /*        cmpdi r6, 0                                          */
	0x4182002c, /*        beq   done                                           */
	0x78c6c1c6, /*        sldi  r6, r6, 56          # first byte is the MSB    */
	0x38600058, /*        li    r3, H_PUT_TERM_CHAR                            */
	0x38800000, /*        li    r4, 0               # terminal 0               */
	0x38a00001, /*        li    r5, 1               # one byte                 */
	0x44000022, /*        sc    1                                              */
	0x2c230000, /*        cmpdi r3, 0               # H_SUCCESS from our VMM?  */
	0x40820054, /*        bne   lost                                           */
	0x39290001, /*        addi  r9, r9, 1                                      */
	0x394a0001, /*        addi  r10, r10, 1                                    */
	0x4bffffd0, /*        b     loop                                           */
	0x38600000, /* done:  li    r3, 0                                          */
	0x6063f0c0, /*        ori   r3, r3, L2_H_DONE                              */
	0x7d445378, /*        mr    r4, r10                                        */
	0x44000022, /*        sc    1                   # the VMM does not resume  */
	0x48000034, /*        b     lost                                           */
};

/*
 * Reached when an hcall returns to the L2 with an answer that is not our
 * VMM's: someone below the L1 took it (PR KVM in a pseries L1 cannot catch
 * "sc 1", the L0 answers H_PRIVILEGE). A store outside guest memory is an
 * exit every KVM flavour gives the VMM (KVM_EXIT_MMIO), carrying r3.
 */
static const uint32_t l2_lost[] = {
	0x3d601000, /* lost:  lis   r11, L2_LOST_MMIO_ADDR >> 16                   */
	0xf86b0000, /*        std   r3, 0(r11)                                     */
	0x4bfffff8, /*        b     lost                                           */
};

/*
 * Copied to every 32-byte slot from 0x200 to the message, which covers every
 * interrupt vector of a real-mode guest (0x200 machine check ... 0x1700), so
 * an unexpected interrupt ends the run with its vector instead of executing
 * zeroes (an illegal instruction) forever.
 */
static const uint32_t l2_trap[] = {
	0x38600000, /* trap:  li    r3, 0                                          */
	0x6063f0c4, /*        ori   r3, r3, L2_H_TRAP                              */
	0x38800000, /*        li    r4, <vector>        # patched per slot         */
	0x7cba02a6, /*        mfsrr0 r5                                            */
	0x7cdb02a6, /*        mfsrr1 r6                                            */
	0x44000022, /*        sc    1                                              */
	0x48000182, /*        ba    lost                                           */
};

#define L2_TRAP_FIRST 0x200u
#define L2_TRAP_STRIDE 0x20u
#define L2_TRAP_VECTOR_WORD 2

_Static_assert(L2_MESSAGE_ADDR == 0x2000, "l2_main loads the message address as an immediate");
#define L2_LOST 0x180u

_Static_assert(L2_LOST == 0x180, "l2_trap branches to 0x180 as an absolute address");
_Static_assert(L2_ENTRY + sizeof(l2_main) <= L2_LOST, "l2_main runs into l2_lost");
_Static_assert(L2_LOST + sizeof(l2_lost) <= L2_TRAP_FIRST, "l2_lost overlaps the vectors");
_Static_assert(L2_LOST_MMIO_ADDR == 0x10000000 && L2_LOST_MMIO_ADDR >= L2_MEM_SIZE,
	       "l2_lost stores to 0x10000000, which must be outside guest memory");
_Static_assert(sizeof(l2_trap) <= L2_TRAP_STRIDE, "trap stub larger than its slot");
_Static_assert(L2_MESSAGE_ADDR + sizeof(L2_MESSAGE) <= L2_MEM_SIZE, "message outside memory");

void l2_payload_load(void *mem)
{
	unsigned char *base = mem;

	memset(base, 0, L2_MEM_SIZE);
	memcpy(base + L2_ENTRY, l2_main, sizeof(l2_main));
	memcpy(base + L2_LOST, l2_lost, sizeof(l2_lost));
	for (uint32_t vector = L2_TRAP_FIRST; vector < L2_MESSAGE_ADDR; vector += L2_TRAP_STRIDE) {
		uint32_t stub[sizeof(l2_trap) / sizeof(l2_trap[0])];

		memcpy(stub, l2_trap, sizeof(stub));
		stub[L2_TRAP_VECTOR_WORD] |= vector;
		memcpy(base + vector, stub, sizeof(stub));
	}
	memcpy(base + L2_MESSAGE_ADDR, L2_MESSAGE, sizeof(L2_MESSAGE));
}
