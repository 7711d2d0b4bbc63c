/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab's seeded random numbers (splitmix64): the same seed gives the same
 * sequence on every machine and libc, so a run's seed replays its inputs.
 */
#ifndef PPCCOMPAT_LAB_PRNG_H
#define PPCCOMPAT_LAB_PRNG_H

#include <stdint.h>

static inline uint64_t prng_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform enough in [0, n) for test inputs (n > 0; the modulo bias is below 2^-32). */
static inline uint64_t prng_below(uint64_t *state, uint64_t n)
{
	return prng_next(state) % n;
}

/* In [lo, hi], lo <= hi. */
static inline uint64_t prng_range(uint64_t *state, uint64_t lo, uint64_t hi)
{
	return hi - lo == UINT64_MAX ? prng_next(state) : lo + prng_below(state, hi - lo + 1);
}

/* An index drawn with the given weights (n > 0, their sum > 0). */
static inline unsigned int prng_weighted(uint64_t *state, const unsigned int *weights,
					 unsigned int n)
{
	uint64_t total = 0, pick;

	for (unsigned int i = 0; i < n; i++)
		total += weights[i];
	pick = prng_below(state, total);
	for (unsigned int i = 0; i < n; i++) {
		if (pick < weights[i])
			return i;
		pick -= weights[i];
	}
	return n - 1;
}

#endif
