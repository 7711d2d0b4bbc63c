/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The L2 guest every lab VMM runs: a few instructions in real mode that print
 * a message through H_PUT_TERM_CHAR and then stop the vCPU with a private
 * hcall, so the VMM never has to interrupt a spinning guest (which has hung
 * the emulated L0 under nested API v1, see lab-notes.md).
 */
#ifndef PPCCOMPAT_LAB_L2_PAYLOAD_H
#define PPCCOMPAT_LAB_L2_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#define L2_MEM_SIZE (2u << 20)
#define L2_ENTRY 0x100u
#define L2_MESSAGE_ADDR 0x2000u
#define L2_MESSAGE "PPCCOMPAT-L2-OK"

/* PAPR: print up to 16 bytes (r5) held big-endian in r6:r7 on terminal r4. */
#define H_PUT_TERM_CHAR 0x58
/*
 * Private hcalls in the range KVM keeps for hypervisor-specific calls
 * (0xf000 up: KVMPPC_H_RTAS, QEMU's KVMPPC_H_*), at numbers neither the
 * kernel nor QEMU implement, so that the L1 kernel hands them to us as
 * KVM_EXIT_PAPR_HCALL.
 *   L2_H_DONE: r4 = number of characters printed.
 *   L2_H_TRAP: r4 = interrupt vector, r5 = SRR0, r6 = SRR1.
 */
#define L2_H_DONE 0xf0c0
#define L2_H_TRAP 0xf0c4

/*
 * When an hcall comes back with an answer that is not ours, the L2 stores r3
 * here, outside its memory: the VMM sees KVM_EXIT_MMIO instead of a guest
 * spinning on an hcall it never gets to see.
 */
#define L2_LOST_MMIO_ADDR 0x10000000u

/* MSR of the L2: 64-bit, FP available, machine checks on, little-endian, real mode. */
#define L2_MSR ((UINT64_C(1) << 63) | (UINT64_C(1) << 13) | (UINT64_C(1) << 12) | UINT64_C(1))
/* LPCR[ILE]: take interrupts little-endian, so the trap stubs below decode. */
#define L2_LPCR_ILE (UINT64_C(1) << 25)

/* Writes code, trap stubs and message into the guest's memory (L2_MEM_SIZE bytes). */
void l2_payload_load(void *mem);

#endif
