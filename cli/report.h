/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report of one probed host, as text for people and as the --json
 * document described by doc/ppccompat-report.schema.json.
 */
#ifndef PPCCOMPAT_REPORT_H
#define PPCCOMPAT_REPORT_H

#include <stdio.h>

#include "ppccompat.h"

/* Bumped when a key changes meaning or disappears. */
#define REPORT_FORMAT_VERSION 1

/* not_asked_why: shown when the KVM ioctl was not tried ("--no-kvm", ...). */
void report_text(FILE *out, const struct ppccompat_host *h, const char *not_asked_why);
void report_json(FILE *out, const struct ppccompat_host *h);
/* What the evidence level rests on, as a short phrase ("the device tree"). */
const char *report_evidence_basis(const struct ppccompat_host *h);

#endif
