// SPDX-License-Identifier: GPL-2.0
#include "l2-payload.h"

#include <string.h>

/* Runs at L2_ENTRY; instruction words as the little-endian L2 fetches them. */
static const uint32_t l2_main[] = {
	0x39202000, /*        li    r9, L2_MESSAGE_ADDR                            */
	0x39400000, /*        li    r10, 0              # characters printed       */
	0x88c90000, /* loop:  lbz   r6, 0(r9)                                      */
	0x2c260000, /*        cmpdi r6, 0                                          */
	0x41820024, /*        beq   done                                           */
	0x78c6c1c6, /*        sldi  r6, r6, 56          # first byte is the MSB    */
	0x38600058, /*        li    r3, H_PUT_TERM_CHAR                            */
	0x38800000, /*        li    r4, 0               # terminal 0               */
	0x38a00001, /*        li    r5, 1               # one byte                 */
	0x44000022, /*        sc    1                                              */
	0x39290001, /*        addi  r9, r9, 1                                      */
	0x394a0001, /*        addi  r10, r10, 1                                    */
	0x4bffffd8, /*        b     loop                                           */
	0x38600000, /* done:  li    r3, 0                                          */
	0x6063f0c0, /*        ori   r3, r3, L2_H_DONE                              */
	0x7d445378, /*        mr    r4, r10                                        */
	0x44000022, /*        sc    1                                              */
	0x4bfffff0, /*        b     done                # if resumed, stop again   */
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
	0x4bffffe8, /*        b     trap                                           */
};

#define L2_TRAP_FIRST 0x200u
#define L2_TRAP_STRIDE 0x20u
#define L2_TRAP_VECTOR_WORD 2

_Static_assert(L2_MESSAGE_ADDR == 0x2000, "l2_main loads the message address as an immediate");
_Static_assert(L2_ENTRY + sizeof(l2_main) <= L2_TRAP_FIRST, "L2 code overlaps the vectors");
_Static_assert(sizeof(l2_trap) <= L2_TRAP_STRIDE, "trap stub larger than its slot");
_Static_assert(L2_MESSAGE_ADDR + sizeof(L2_MESSAGE) <= L2_MEM_SIZE, "message outside memory");

void l2_payload_load(void *mem)
{
	unsigned char *base = mem;

	memset(base, 0, L2_MEM_SIZE);
	memcpy(base + L2_ENTRY, l2_main, sizeof(l2_main));
	for (uint32_t vector = L2_TRAP_FIRST; vector < L2_MESSAGE_ADDR; vector += L2_TRAP_STRIDE) {
		uint32_t stub[sizeof(l2_trap) / sizeof(l2_trap[0])];

		memcpy(stub, l2_trap, sizeof(stub));
		stub[L2_TRAP_VECTOR_WORD] |= vector;
		memcpy(base + vector, stub, sizeof(stub));
	}
	memcpy(base + L2_MESSAGE_ADDR, L2_MESSAGE, sizeof(L2_MESSAGE));
}
